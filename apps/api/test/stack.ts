// The whole embedded runtime for tests: PGlite in a temp folder, the sandbox with a small generated tenant,
// first sync and reconcile done, the app served on an ephemeral port, and an API token for each demo role.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiToken, loadConfig, type UserRole, userContext } from "@reckon/core";
import { type Runtime, startRuntime } from "../src/runtime";

export interface TestStackOptions {
  accounts?: number;
  months?: number;
  seed?: number;
  asOf?: string;
  fixture?: string;
  env?: Record<string, string>;
}

export interface StackUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  password: string;
  token: string;
}

export type TestStack = Runtime & {
  dataDir: string;
  /** One user per role (the first of each in the demo tenant), each with its own API token. */
  as: Record<UserRole, StackUser>;
  /** fetch against the stack as a role (admin unless said otherwise); `null` sends no credentials. */
  fetch(path: string, init?: RequestInit, role?: UserRole | null): Promise<Response>;
};

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
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
    RECKON_RATE_LIMIT_PER_MINUTE: "100000",
    RECKON_ANON_RATE_LIMIT_PER_MINUTE: "100000",
    ...(options.fixture ? { RECKON_SANDBOX_FIXTURE: options.fixture } : {}),
    ...options.env,
  });
  const clock = () => new Date(`${asOf}T12:00:00Z`);
  const runtime = await startRuntime(config, { clock });
  const url = runtime.url.replace("localhost", "127.0.0.1");
  const as = {} as Record<UserRole, StackUser>;
  for (const user of runtime.demo!.access.users) {
    if (as[user.role]) continue;
    const ctx = userContext(
      runtime.services,
      { tenant_id: runtime.tenant.tenant.tenantId, user_id: user.id, ...user },
      "token",
      "test",
    );
    const { token } = await createApiToken({ ctx, input: { name: `test ${user.role}` } });
    as[user.role] = { ...user, token };
  }
  return {
    ...runtime,
    url,
    dataDir,
    as,
    fetch: (path, init = {}, role = "admin") => {
      const headers = new Headers(init.headers);
      if (role) headers.set("authorization", `Bearer ${as[role].token}`);
      return fetch(`${url}${path}`, { ...init, headers });
    },
    stop: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
