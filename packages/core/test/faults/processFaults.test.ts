// Process faults mid-sync: the worker process killed with SIGKILL and restarted, the private Postgres crash-restarted,
// the private Redis restarted empty. Each run ends compared with the generator's ground truth.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { queryRows } from "@reckon/db";
import type { RunningSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "../../src/context";
import { asOf, testSecretKey } from "../pipeline";
import {
  cleanRun,
  expectClean,
  finishRun,
  jobRunner,
  newTenant,
  requestsBefore,
  type Suite,
  sources,
  startSuite,
  stopSuite,
} from "./harness";
import { privateServicesAvailable, until } from "./privateServices";

const seed = 34;
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
/** The production worker entry, as `npm run worker` starts it. */
const workerEntry = "apps/api/src/worker.ts";

/** Holds the third Stripe answer so the sync is certainly under way, with batches stored, when the fault strikes. */
function holdStripe(suite: Suite, sandbox: RunningSandbox, ms: number): number {
  const okCount = requestsBefore(suite, seed, "stripe", 3);
  sandbox.faults.letThrough("stripe", okCount);
  sandbox.faults.delayNext("stripe", 1, ms);
  return okCount;
}

/** True once Stripe has a stored cursor (a batch is committed) and the held request has been sent. */
async function midSync(ctx: TenantContext, sandbox: RunningSandbox, okCount: number): Promise<boolean> {
  if (sandbox.faults.requestCount("stripe") < okCount) return false;
  const rows = await queryRows<{ n: number }>(
    ctx.tenant.db,
    sql`select count(*)::int as n from sync_cursors where tenant_id = ${ctx.tenant.tenantId}::uuid and source = 'stripe'`,
  );
  return rows[0]!.n === 1;
}

async function runsStillRunning(ctx: TenantContext): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    ctx.tenant.db,
    sql`select count(*)::int as n from sync_runs where tenant_id = ${ctx.tenant.tenantId}::uuid and status = 'running'`,
  );
  return rows[0]!.n;
}

function startWorker(suite: Suite, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", workerEntry], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: suite.postgres.url,
      REDIS_URL: suite.redis.url,
      RECKON_QUEUE_PREFIX: prefix,
      RECKON_SECRET_KEY: testSecretKey,
      RECKON_SANDBOX: "off",
      RECKON_AS_OF: asOf,
      LOG_LEVEL: "fatal",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
}

const workers: ChildProcess[] = [];
const postgresRestarts = ["fast", "immediate"] as const;
/**
 * KNOWN BUG, out of the default run: a Postgres restart mid-sync crashes the process with an uncaught
 * "TypeError: Cannot read properties of null (reading 'write')" from postgres.js 3.4.9 (src/connection.js nextWrite,
 * a buffered write fired by setImmediate after the socket closed; porsager/postgres#1154 and #1208, fixes in #1168 and
 * #1209 unreleased). The data ends right, but a worker dies and its runs stay 'running'. Run these cases with
 * RECKON_FAULTS_KNOWN_BUGS=1; they join the default run once the driver is fixed or patched.
 */
const knownBugs = process.env.RECKON_FAULTS_KNOWN_BUGS === "1";
if (!knownBugs)
  console.warn("Postgres restart cases left out: known postgres.js crash (set RECKON_FAULTS_KNOWN_BUGS=1)");

describe.runIf(privateServicesAvailable())("process faults against the generator's ground truth", () => {
  let suite: Suite;
  beforeAll(async () => {
    suite = await startSuite("process");
    await cleanRun(suite, seed);
  });
  afterAll(async () => {
    suite?.table.print("Process faults");
    for (const worker of workers) if (worker.exitCode === null) worker.kill("SIGKILL");
    await stopSuite(suite);
  });

  it("a worker killed with SIGKILL mid-sync and restarted loses and duplicates nothing", async () => {
    const { ctx, sandbox } = await newTenant(suite, seed);
    const prefix = `${suite.prefix}-workers`;
    const producer = jobRunner(suite.database, suite.redis.url, prefix, false);
    try {
      const okCount = holdStripe(suite, sandbox, 5_000);
      const first = await startWorker(suite, prefix);
      workers.push(first);
      await producer.enqueue("sync.tenant", { tenantId: ctx.tenant.tenantId, reason: "schedule" });
      await until(() => midSync(ctx, sandbox, okCount), "the worker mid-sync");
      const died = new Promise((resolve) => first.once("exit", resolve));
      first.kill("SIGKILL");
      await died;
      // BullMQ hands a dead worker's job to another once its lock (30 s) expires and a stalled check runs.
      workers.push(await startWorker(suite, prefix));
      await producer.drain();
      const outcome = await finishRun(suite, seed, ctx, ["transient", "internal"]);
      suite.table.add("worker SIGKILL mid-sync, restarted", outcome);
      expectClean(outcome, "worker SIGKILL");
    } finally {
      await producer.close();
    }
  }, 150_000);

  it.runIf(knownBugs).each(postgresRestarts)(
    "Postgres restarted (%s) mid-sync loses and duplicates nothing",
    async (mode) => {
      const { ctx, sandbox } = await newTenant(suite, seed);
      const okCount = holdStripe(suite, sandbox, 1_500);
      await suite.runner.enqueue("sync.tenant", { tenantId: ctx.tenant.tenantId, reason: "schedule" });
      await until(() => midSync(ctx, sandbox, okCount), "the sync mid-way");
      await suite.postgres.restart(mode);
      await suite.runner.drain();
      expect(sandbox.faults.requestCount("stripe"), "the held request was answered after the restart").toBeGreaterThan(
        okCount,
      );
      const outcome = await finishRun(suite, seed, ctx, ["internal", "transient"]);
      suite.table.add(`Postgres restart (${mode}) mid-sync`, outcome);
      expectClean(outcome, `Postgres restart (${mode})`);
    },
    60_000,
  );

  it("Redis restarted empty mid-sync loses and duplicates nothing", async () => {
    const { ctx, sandbox } = await newTenant(suite, seed);
    const okCount = holdStripe(suite, sandbox, 1_500);
    // Two sync jobs run at once per worker, so one of the three is still waiting in Redis when it goes.
    for (const source of sources) {
      await suite.runner.enqueue("sync.source", { tenantId: ctx.tenant.tenantId, source, reason: "schedule" });
    }
    await until(() => midSync(ctx, sandbox, okCount), "the sync mid-way");
    await suite.redis.restart();
    // The jobs that were running finish in this process; what waited in Redis is gone, and the schedule's next
    // rounds (finishRun) sync those sources again.
    await until(async () => (await runsStillRunning(ctx)) === 0, "the running syncs to finish");
    const outcome = await finishRun(suite, seed, ctx, ["internal", "transient"]);
    suite.table.add("Redis restarted empty mid-sync", outcome);
    expectClean(outcome, "Redis restart");
    expect(outcome.orphanedRuns).toBe(0);
  }, 60_000);
});
