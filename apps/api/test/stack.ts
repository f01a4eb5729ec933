// The whole embedded runtime for tests: PGlite in a temp folder, the sandbox with a small generated tenant,
// first sync and reconcile done, the app served on an ephemeral port.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@reckon/core";
import { type Runtime, startRuntime } from "../src/runtime";

export interface TestStackOptions {
  accounts?: number;
  months?: number;
  seed?: number;
  asOf?: string;
  fixture?: string;
  env?: Record<string, string>;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<Runtime & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "reckon-stack-"));
  const asOf = options.asOf ?? "2026-11-25";
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    RECKON_DATA_DIR: dataDir,
    RECKON_DEMO_ACCOUNTS: String(options.accounts ?? 40),
    RECKON_DEMO_MONTHS: String(options.months ?? 6),
    RECKON_DEMO_SEED: String(options.seed ?? 11),
    RECKON_AS_OF: asOf,
    LOG_LEVEL: "silent",
    ...(options.fixture ? { RECKON_SANDBOX_FIXTURE: options.fixture } : {}),
    ...options.env,
  });
  const clock = () => new Date(`${asOf}T12:00:00Z`);
  const runtime = await startRuntime(config, { clock });
  return {
    ...runtime,
    url: runtime.url.replace("localhost", "127.0.0.1"),
    dataDir,
    stop: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
