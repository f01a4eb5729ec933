// The whole stack for a bench step: the embedded runtime (API, in-process jobs, sandbox, demo tenant) on a scratch
// PostgreSQL database, its data folder in a temp dir, both gone on stop.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@reckon/core";
import { type Runtime, startRuntime } from "../apps/api/src/runtime";

export interface BenchStack {
  runtime: Runtime;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startBenchStack(databaseUrl: string, accounts: number, name: string): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `reckon-bench-${name}-`));
  try {
    const runtime = await startRuntime(
      loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        RECKON_DATA_DIR: dataDir,
        RECKON_DEMO_ACCOUNTS: String(accounts),
        RECKON_DEMO_MONTHS: "6",
        LOG_LEVEL: "silent",
      }),
    );
    return {
      runtime,
      dataDir,
      stop: async () => {
        await runtime.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
