// API p95 under load, with auth on: 100 concurrent users, each with its own API token, hitting the portfolio and
// account routes of a running server, measured by autocannon from a separate process over HTTP on loopback.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type ServerType, serve } from "@hono/node-server";
import {
  createApiToken,
  createInProcessAccountCache,
  createUser,
  listUsers,
  systemContext,
  type TenantContext,
  userContext,
} from "@reckon/core";
import { openDatabase, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { createApp } from "../apps/api/src/app";
import { memoryRateLimiter } from "../apps/api/src/auth/rateLimit";
import { log, round } from "./report";

export interface ApiLoadResult {
  route: string;
  connections: number;
  /** Requests a second each user sends; null: closed loop, no think time (the server's capacity). */
  perUserRate: number | null;
  requests: number;
  non2xx: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requestsPerSec: number;
}

type Measured = {
  requests: number;
  non2xx: number;
  errors: number;
  requestsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
};

/** Runs bench/loadClient.ts in a child process (tsx), the plan on its stdin, the measurement on its stdout. */
function runLoadClient(plan: object): Promise<Measured> {
  const script = fileURLToPath(new URL("./loadClient.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out) as Measured) : reject(new Error(`load client exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(plan));
  });
}

/** One token per simulated user, spread over the tenant's account managers plus an admin and a finance user. */
async function usersWithTokens(ctx: TenantContext, count: number) {
  const system = systemContext(ctx, ctx.tenant);
  await createUser({ ctx: system, input: { email: "bench-admin@example.com", name: "Bench Admin", role: "admin" } });
  await createUser({
    ctx: system,
    input: { email: "bench-finance@example.com", name: "Bench Finance", role: "finance" },
  });
  const users = await listUsers({ ctx: system });
  const people = [];
  for (let i = 0; i < count; i++) {
    const user = users[i % users.length]!;
    const acting = userContext(ctx, { tenant_id: ctx.tenant.tenantId, user_id: user.id, ...user }, "token", "bench");
    const { token } = await createApiToken({ ctx: acting, input: { name: `bench ${i}` } });
    const accounts = await queryRows<{ id: string }>(
      ctx.tenant.db,
      sql`select id from accounts where tenant_id = ${ctx.tenant.tenantId}::uuid
            and (${user.role} <> 'account_manager' or owner_id = ${user.id}::uuid) order by id limit 20`,
    );
    people.push({ token, accountIds: accounts.map((a) => a.id) });
  }
  return people;
}

export async function apiLoad(
  ctx: TenantContext,
  databaseUrl: string,
  seconds: number,
  connections = 100,
): Promise<ApiLoadResult[]> {
  const people = await usersWithTokens(ctx, connections);
  // The API process's own pool, as production sizes it, rather than the bench writer's four connections.
  const database = await openDatabase({ kind: "postgres", url: databaseUrl, maxConnections: 20 });
  // As a deployed API runs: reconciled account detail cached per account for 15 minutes (the in-process cache; with
  // REDIS_URL every API process shares one). Users come back to accounts they (or their team) opened before.
  const services = { ...ctx, db: database.db, accountCache: createInProcessAccountCache() };
  const app = createApp({
    log: ctx.log,
    services,
    jobs: { enqueue: async () => ({ jobId: "bench" }) } as never,
    ping: async () => true,
    rateLimiter: memoryRateLimiter(),
    // The bench measures latency, not the limiter: each user far under a limit it would never reach.
    rateLimits: { perCredentialPerMinute: 1_000_000, anonymousPerMinute: 1_000_000 },
    secureCookies: false,
    demo: null,
  });
  let server: ServerType | null = null;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
  });
  const results: ApiLoadResult[] = [];
  try {
    const routes: Array<{
      route: string;
      path: (person: (typeof people)[number], i: number) => string;
      /** Web pages: the paced reading only (what a person waits for); their capacity is the API's plus rendering. */
      pagesOnly?: boolean;
    }> = [
      { route: "GET /v1/portfolio", path: () => "/v1/portfolio?limit=50&sort=-outstanding" },
      { route: "GET /v1/accounts/{id}", path: (p, i) => `/v1/accounts/${p.accountIds[i % p.accountIds.length]}` },
      // The web view's two pages as a browser gets them: server-rendered HTML (grid with banners; detail with its
      // charts, retries and flags).
      { route: "page / (portfolio)", path: () => "/?sort=-outstanding", pagesOnly: true },
      {
        route: "page /accounts/{id} (detail)",
        path: (p, i) => `/accounts/${p.accountIds[i % p.accountIds.length]}`,
        pagesOnly: true,
      },
    ];
    // Two readings of "100 concurrent users": people, each sending a request a second (a dashboard user clicks far
    // less often), which is what the target is judged on; and a closed loop, each sending the next request the
    // moment the last answers, which measures the server's capacity rather than a user's wait.
    const pacings: Array<number | null> = [1, null];
    for (const { route, path, pagesOnly } of routes) {
      for (const perUserRate of pagesOnly ? [1] : pacings) {
        const plan = {
          url: `http://127.0.0.1:${port}`,
          connections,
          seconds,
          ...(perUserRate ? { perUserRate } : {}),
          clients: people.map((person) => ({
            token: person.token,
            paths: Array.from({ length: 20 }, (_, i) => path(person, i)),
          })),
        };
        const measured = await runLoadClient(plan);
        const row: ApiLoadResult = {
          route,
          connections,
          perUserRate,
          requests: measured.requests,
          non2xx: measured.non2xx + measured.errors,
          p50Ms: round(measured.p50Ms),
          p95Ms: round(measured.p95Ms),
          p99Ms: round(measured.p99Ms),
          requestsPerSec: round(measured.requestsPerSec),
        };
        log(
          `api ${route} (${pacingLabel(perUserRate)}): ${row.requests} requests at ${connections} users, p95 ${row.p95Ms} ms, non-2xx ${row.non2xx}`,
        );
        results.push(row);
      }
    }
  } finally {
    await new Promise<void>((resolve) => (server ? (server as ServerType).close(() => resolve()) : resolve()));
    await database.close();
  }
  return results;
}

export function pacingLabel(perUserRate: number | null): string {
  return perUserRate === null ? "closed loop" : `${perUserRate} req/s a user`;
}
