// The sync upkeep on PGlite with the in-process runner: interrupted runs closed (and live ones left alone), schedules
// registered once per connected tenant and left alone when registered again.
import { type DatabaseHandle, queryRows, type SyncSource } from "@reckon/db";
import { freshPglite } from "@reckon/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { recordingHandlers, silentLog, waitFor } from "../../test/jobsTestkit";
import { createInProcessRunner } from "../jobs/inProcess";
import type { ActiveJob, JobRunner } from "../jobs/runner";
import { closeInterruptedRuns, interruptedRunError } from "./closeInterruptedRuns";
import { tenantSyncScheduleKey } from "./getSyncStatus";
import { ensureSyncSchedules, startSyncUpkeep } from "./syncUpkeep";

const clock = () => new Date("2026-11-25T12:00:00Z");
let database: DatabaseHandle;
let slugs = 0;

beforeAll(async () => {
  database = await freshPglite();
});
afterAll(async () => {
  await database?.close();
});

async function newTenant(connected: readonly SyncSource[] = []): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into tenants (slug, name) values (${`upkeep-${++slugs}`}, 'Upkeep') returning id`,
  );
  for (const source of connected) {
    await queryRows(
      database.db,
      sql`insert into source_connections (tenant_id, source, sealed_secrets) values (${row!.id}::uuid, ${source}, 'sealed')`,
    );
  }
  return row!.id;
}

async function insertRun(tenantId: string, source: SyncSource, status = "running"): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into sync_runs (tenant_id, source, mode, status, counts, started_at)
        values (${tenantId}::uuid, ${source}, 'full', ${status}, '{}'::jsonb, ${clock().toISOString()}::timestamptz)
        returning id`,
  );
  return row!.id;
}

async function run(id: string) {
  const [row] = await queryRows<{ status: string; errors: Array<{ kind: string }>; finished_at: unknown }>(
    database.db,
    sql`select status, errors, finished_at from sync_runs where id = ${id}::uuid`,
  );
  return row!;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sweep = (activeJobs: () => Promise<ActiveJob[]>, tenantId?: string) =>
  closeInterruptedRuns({
    db: database.db,
    jobs: { activeJobs },
    clock,
    log: silentLog,
    ...(tenantId ? { tenantId } : {}),
  });

describe("closeInterruptedRuns", () => {
  it("closes running runs no active job is syncing, and only those", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const aStripe = await insertRun(a, "stripe");
    const aQuickbooks = await insertRun(a, "quickbooks");
    const aAmplitude = await insertRun(a, "amplitude", "complete");
    const bStripe = await insertRun(b, "stripe");
    const bQuickbooks = await insertRun(b, "quickbooks");
    const closed = await sweep(async () => [
      { name: "sync.source", payload: { tenantId: a, source: "quickbooks", reason: "schedule" } },
      { name: "sync.tenant", payload: { tenantId: b, reason: "schedule" } },
      { name: "reconcile.tenant", payload: { tenantId: a } },
    ]);
    expect(closed.map((r) => r.id).sort()).toEqual([aStripe].sort());
    expect(await run(aStripe)).toMatchObject({ status: "failed", errors: [interruptedRunError] });
    expect((await run(aStripe)).finished_at).not.toBeNull();
    for (const live of [aQuickbooks, bStripe, bQuickbooks]) expect((await run(live)).status).toBe("running");
    expect((await run(aAmplitude)).status).toBe("complete");
    // Nothing active any more: the rest are closed too.
    expect((await sweep(async () => [])).map((r) => r.id).sort()).toEqual([aQuickbooks, bStripe, bQuickbooks].sort());
  });

  it("narrowed to a tenant, leaves other tenants' runs alone", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const aRun = await insertRun(a, "amplitude");
    const bRun = await insertRun(b, "amplitude");
    expect((await sweep(async () => [], a)).map((r) => r.id)).toEqual([aRun]);
    expect((await run(bRun)).status).toBe("running");
    await sweep(async () => [], b);
  });

  it("leaves a run that recorded its end while the sweep asked what is active", async () => {
    const tenantId = await newTenant();
    const id = await insertRun(tenantId, "stripe");
    const closed = await sweep(async () => {
      // The job finished between the sweep's two reads: it recorded its end and left the active list.
      await queryRows(database.db, sql`update sync_runs set status = 'complete' where id = ${id}::uuid`);
      return [];
    });
    expect(closed).toEqual([]);
    expect((await run(id)).status).toBe("complete");
  });

  it("closes nothing when the runner cannot say what is active", async () => {
    const tenantId = await newTenant();
    const id = await insertRun(tenantId, "quickbooks");
    await expect(sweep(() => Promise.reject(new Error("redis down")), tenantId)).rejects.toThrow("redis down");
    expect((await run(id)).status).toBe("running");
    await sweep(async () => [], tenantId);
  });
});

describe("sync upkeep", () => {
  const harness = recordingHandlers();
  let jobs: JobRunner;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(() => {
    jobs = createInProcessRunner(harness.handlers, { log: silentLog, backoffScale: 0.001 });
  });
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    harness.impl = async () => undefined;
  });
  afterAll(async () => {
    await jobs.close();
  });

  it("registers one schedule per connected tenant and leaves it alone when registered again", async () => {
    const connected = await newTenant(["stripe", "quickbooks"]);
    const unconnected = await newTenant();
    const everyMs = 3_600_000;
    await ensureSyncSchedules({ db: database.db, jobs, syncEveryMs: everyMs });
    const next = await jobs.nextRun!(tenantSyncScheduleKey(connected));
    expect(next).not.toBeNull();
    expect(await jobs.nextRun!(tenantSyncScheduleKey(unconnected))).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ensureSyncSchedules({ db: database.db, jobs, syncEveryMs: everyMs });
    expect(await jobs.nextRun!(tenantSyncScheduleKey(connected))).toEqual(next);
    await jobs.unschedule(tenantSyncScheduleKey(connected));
  });

  it("closes the run a sync job left open as soon as the job ends, never while it runs", async () => {
    const tenantId = await newTenant();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let liveRun = "";
    let deadRun = "";
    harness.impl = async (name, payload) => {
      const { source } = payload as { source: SyncSource };
      if (name !== "sync.source") return;
      if (source === "stripe") {
        // Records its start, then loses the database before it can record the end (the job fails for good).
        deadRun = await insertRun(tenantId, source);
        throw Object.assign(new Error("connection closed"), { retryable: false });
      }
      liveRun = await insertRun(tenantId, source);
      await released;
      await queryRows(database.db, sql`update sync_runs set status = 'complete' where id = ${liveRun}::uuid`);
    };
    const upkeep = startSyncUpkeep({
      db: database.db,
      jobs,
      log: silentLog,
      clock,
      syncEveryMs: 3_600_000,
      checkEveryMs: 3_600_000,
    });
    stop = () => upkeep.stop();
    await upkeep.ready;
    await jobs.enqueue("sync.source", { tenantId, source: "quickbooks", reason: "schedule" });
    await waitFor(() => liveRun !== "", 5000, "the live sync to start");
    await jobs.enqueue("sync.source", { tenantId, source: "stripe", reason: "schedule" });
    await until(async () => deadRun !== "" && (await run(deadRun)).status === "failed", "the dead run closed");
    expect((await run(deadRun)).errors).toEqual([interruptedRunError]);
    await upkeep.check();
    expect((await run(liveRun)).status, "a live sync is never closed").toBe("running");
    release();
    await jobs.drain();
    await upkeep.check();
    expect((await run(liveRun)).status).toBe("complete");
  });
});
