// Process faults mid-sync: the worker process killed with SIGKILL and restarted, the private Postgres crash-restarted,
// the private Redis restarted empty. Each run ends compared with the generator's ground truth, with no run left
// 'running' (the sync upkeep closes what a dead worker left open) and the schedules back after Redis lost them.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openDatabase, queryRows } from "@reckon/db";
import type { RunningSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "../../src/context";
import { createLogger } from "../../src/log";
import { interruptedRunError } from "../../src/sync/closeInterruptedRuns";
import { tenantSyncScheduleKey } from "../../src/sync/getSyncStatus";
import { type SyncUpkeep, startSyncUpkeep } from "../../src/sync/syncUpkeep";
import { asOf, clock, testSecretKey } from "../pipeline";
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

/**
 * True once Stripe has a stored cursor (a batch is committed) and the held request has been sent, and QuickBooks has
 * stored a batch too. The last is so the fault never lands between Intuit's token answer and the commit of the rotated
 * refresh token: the old one is dead from that answer on, so a process killed in that window loses the grant (an
 * admin reconnects), whatever the client does. Everywhere else the sync must lose nothing.
 */
async function midSync(ctx: TenantContext, sandbox: RunningSandbox, okCount: number): Promise<boolean> {
  if (sandbox.faults.requestCount("stripe") < okCount) return false;
  const rows = await queryRows<{ source: string }>(
    ctx.tenant.db,
    sql`select source from sync_cursors where tenant_id = ${ctx.tenant.tenantId}::uuid`,
  );
  const stored = new Set(rows.map((r) => r.source));
  return stored.has("stripe") && stored.has("quickbooks");
}

async function runsInterrupted(ctx: TenantContext): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    ctx.tenant.db,
    sql`select count(*)::int as n from sync_runs where tenant_id = ${ctx.tenant.tenantId}::uuid
        and status = 'failed' and errors @> ${JSON.stringify([{ kind: interruptedRunError.kind }])}::jsonb`,
  );
  return rows[0]!.n;
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

async function stopWorker(worker: ChildProcess): Promise<number | null> {
  if (worker.exitCode !== null) return worker.exitCode;
  const exited = new Promise<number | null>((resolve) => worker.once("exit", resolve));
  worker.kill("SIGTERM");
  return exited;
}

const workers: ChildProcess[] = [];
/**
 * `fast` ends every session cleanly; `immediate` drops them like a crash. Either used to kill the process with an
 * uncaught TypeError from postgres.js 3.4.9 (a buffered write fired after its socket closed, porsager/postgres#1154 and
 * #1208): patches/postgres+3.4.9.patch settles those writes with CONNECTION_CLOSED instead.
 */
const postgresRestarts = [
  ["fast", "Postgres fast restart mid-sync"],
  ["immediate", "Postgres crash-restart mid-sync"],
] as const;
/** A day: no schedule the upkeep registers here fires during the suite; the test rounds stand for the schedule. */
const syncEveryMs = 24 * 3600_000;

describe.runIf(privateServicesAvailable())("process faults against the generator's ground truth", () => {
  let suite: Suite;
  beforeAll(async () => {
    suite = await startSuite("process");
    await cleanRun(suite, seed);
  });
  /**
   * What a worker process runs beside its jobs, for the jobs this process runs (suite.runner), checking often. Only
   * while no worker process runs jobs on its own prefix: this one cannot see those, and would close their live runs.
   */
  const startUpkeep = (): SyncUpkeep =>
    startSyncUpkeep({
      db: suite.database.db,
      jobs: suite.runner,
      log: createLogger("silent"),
      clock,
      syncEveryMs,
      checkEveryMs: 200,
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
      const second = await startWorker(suite, prefix);
      workers.push(second);
      await producer.drain();
      // The runs the killed worker left open are closed by the second worker's upkeep once the job it took over ends.
      await until(async () => (await runsStillRunning(ctx)) === 0, "the interrupted runs closed", 10_000);
      expect(await runsInterrupted(ctx), "the killed worker's runs say they were interrupted").toBeGreaterThan(0);
      // Stopped before the next cases: its upkeep cannot see this process's jobs and would close their live runs.
      expect(await stopWorker(second), "the second worker stops cleanly").toBe(0);
      const outcome = await finishRun(suite, seed, ctx, ["transient", "internal", interruptedRunError.kind]);
      suite.table.add("worker SIGKILL mid-sync, restarted", outcome);
      expectClean(outcome, "worker SIGKILL");
      expect(outcome.orphanedRuns).toBe(0);
    } finally {
      await producer.close();
    }
  }, 150_000);

  it.each(postgresRestarts)(
    "Postgres restarted (%s) mid-sync loses and duplicates nothing",
    async (mode, fault) => {
      const { ctx, sandbox } = await newTenant(suite, seed);
      const upkeep = startUpkeep();
      try {
        await upkeep.ready;
        const okCount = holdStripe(suite, sandbox, 1_500);
        await suite.runner.enqueue("sync.tenant", { tenantId: ctx.tenant.tenantId, reason: "schedule" });
        await until(() => midSync(ctx, sandbox, okCount), "the sync mid-way");
        await suite.postgres.restart(mode);
        // The job whose writes failed is retried (the process survives the dropped connections) and ends.
        await suite.runner.drain();
        expect(
          sandbox.faults.requestCount("stripe"),
          "the held request was answered after the restart",
        ).toBeGreaterThan(okCount);
        // A run whose end could not be written while the database was down is closed by the upkeep.
        await until(async () => (await runsStillRunning(ctx)) === 0, "the interrupted runs closed", 10_000);
        const outcome = await finishRun(suite, seed, ctx, ["internal", "transient", interruptedRunError.kind]);
        suite.table.add(fault, outcome);
        expectClean(outcome, fault);
        expect(outcome.orphanedRuns).toBe(0);
      } finally {
        await upkeep.stop();
      }
    },
    60_000,
  );

  it("Redis restarted empty mid-sync loses and duplicates nothing, and the schedule comes back", async () => {
    const { ctx, sandbox } = await newTenant(suite, seed);
    const scheduleKey = tenantSyncScheduleKey(ctx.tenant.tenantId);
    const upkeep = startUpkeep();
    try {
      await upkeep.ready;
      const scheduled = await suite.runner.nextRun!(scheduleKey);
      expect(scheduled, "the upkeep registered the tenant's schedule").not.toBeNull();
      const okCount = holdStripe(suite, sandbox, 1_500);
      // Two sync jobs run at once per worker, so one of the three is still waiting in Redis when it goes.
      for (const source of sources) {
        await suite.runner.enqueue("sync.source", { tenantId: ctx.tenant.tenantId, source, reason: "schedule" });
      }
      await until(() => midSync(ctx, sandbox, okCount), "the sync mid-way");
      await suite.redis.restart();
      // Registering an unchanged schedule leaves its next run alone, so a later next run means Redis had lost it and
      // the upkeep put it back, with nothing restarted.
      await until(
        async () =>
          ((await suite.runner.nextRun!(scheduleKey).catch(() => null))?.getTime() ?? 0) > scheduled!.getTime(),
        "the schedule registered again",
      );
      // The jobs that were running finish in this process (the upkeep knows them live though Redis forgot them); what
      // waited in Redis is gone, and the schedule's next rounds (finishRun) sync those sources again.
      await until(async () => (await runsStillRunning(ctx)) === 0, "the running syncs to finish");
      expect(await runsInterrupted(ctx), "no live run was taken for an interrupted one").toBe(0);
      const outcome = await finishRun(suite, seed, ctx, ["internal", "transient"]);
      suite.table.add("Redis restarted empty mid-sync", outcome);
      expectClean(outcome, "Redis restart");
      expect(outcome.orphanedRuns).toBe(0);
    } finally {
      await upkeep.stop();
    }
  }, 60_000);
  // The two postgres.js 3.4.9 defects a restart hit, each on its own and deterministic (patches/postgres+3.4.9.patch).
  describe("the database driver across a backend's end", () => {
    const backendGone = async (pid: number) => {
      await until(async () => {
        const rows = await queryRows<{ n: number }>(
          suite.database.db,
          sql`select count(*)::int as n from pg_stat_activity where pid = ${pid}`,
        );
        return rows[0]!.n === 0;
      }, `backend ${pid} to end`);
      // Its FATAL and FIN reach the client's socket.
      await new Promise((resolve) => setTimeout(resolve, 200));
    };

    it("rejects a query on a held connection whose backend ended, instead of crashing the process", async () => {
      const handle = await openDatabase({ kind: "postgres", url: suite.postgres.url, maxConnections: 2 });
      try {
        const reserved = await handle.postgres!.reserve();
        const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await suite.database.db.execute(sql`select pg_terminate_backend(${row!.pid})`);
        await backendGone(row!.pid);
        // Unpatched: the buffered write fires from setImmediate on a null socket, an uncaught TypeError.
        await expect(reserved`select 1`).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
        reserved.release();
      } finally {
        await handle.close();
      }
    });

    it("does not replay the error an ended backend sent onto the next connection's first query", async () => {
      const handle = await openDatabase({ kind: "postgres", url: suite.postgres.url, maxConnections: 1 });
      try {
        const client = handle.postgres!;
        const [row] = await client<{ pid: number }[]>`select pg_backend_pid() as pid`;
        const slow = client`select pg_sleep(30)`.then(
          () => "answered",
          (err: { code?: string }) => err.code,
        );
        await until(async () => {
          const rows = await queryRows<{ state: string | null }>(
            suite.database.db,
            sql`select state from pg_stat_activity where pid = ${row!.pid}`,
          );
          return rows[0]?.state === "active";
        }, "the slow query to run");
        await suite.database.db.execute(sql`select pg_terminate_backend(${row!.pid})`);
        expect(await slow).toBe("CONNECTION_CLOSED");
        // Unpatched: the reconnected connection rejects this with the old backend's 57P01.
        const [answer] = await client<{ n: number }[]>`select 1 as n`;
        expect(answer!.n).toBe(1);
      } finally {
        await handle.close();
      }
    });
  });
});
