// Provider limits end to end below HTTP: a sync through a misbehaving sandbox retries its 429s and 503s through the job
// layer and stores every record; the connectors wait for the limiter, as the sandbox's own request log shows.
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPglite } from "@reckon/db/testing";
import type { RunningSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "../src/context";
import { createJobHandlers } from "../src/jobHandlers";
import { createInProcessRunner } from "../src/jobs/inProcess";
import { createInProcessLimiter } from "../src/limits/inProcess";
import { type LimitTable, sourceLimits } from "../src/limits/limiter";
import { createLogger } from "../src/log";
import { metricsText } from "../src/observability/metrics";
import { connectorFor } from "../src/sync/connections";
import { clock, connectTenant, smallScenario } from "./pipeline";

const sources = ["quickbooks", "stripe", "amplitude"] as const;
const silent = createLogger("silent");

async function storedCounts(database: DatabaseHandle, tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ["source_customers", "invoices", "payments", "usage_daily"]) {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${tenantId}::uuid`,
    );
    counts[table] = row?.n ?? 0;
  }
  return counts;
}

/** The value of one sample line (`name{labels} value`) in Prometheus text, or 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("sync under provider rate limits and outages", () => {
  let database: DatabaseHandle;
  const sandboxes: RunningSandbox[] = [];
  let faulted: { ctx: TenantContext; sandbox: RunningSandbox };
  let clean: { ctx: TenantContext; sandbox: RunningSandbox };

  beforeAll(async () => {
    database = await freshPglite();
    const scenario = smallScenario(11, 20, 3);
    faulted = await connectTenant(database, scenario, "faulted");
    clean = await connectTenant(database, scenario, "clean");
    sandboxes.push(faulted.sandbox, clean.sandbox);
  });

  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.stop()));
    await database?.close();
  });

  it("retries 429s (Retry-After) and 503s through the job layer and ends with every record", async () => {
    // The runner's log lines are read back to see the retries (and that each names its job and tenant).
    const lines: Array<Record<string, unknown>> = [];
    const jobLog = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const limiter = createInProcessLimiter();
    const handlers = createJobHandlers({ db: database.db, log: silent, secrets: faulted.ctx.secrets, clock, limiter });
    const runner = createInProcessRunner(handlers, { log: jobLog, backoffScale: 0.001 });
    const before = sample(await metricsText(), 'source_rate_limited_total{source="quickbooks"}');

    faulted.sandbox.faults.rateLimitNext("quickbooks", 3);
    faulted.sandbox.faults.failNext("stripe", 2, 503);
    for (const source of sources) {
      await runner.enqueue("sync.source", { tenantId: faulted.ctx.tenant.tenantId, source, reason: "manual" });
      await runner.enqueue("sync.source", { tenantId: clean.ctx.tenant.tenantId, source, reason: "manual" });
    }
    await runner.drain();
    await runner.close();

    expect(await storedCounts(database, faulted.ctx.tenant.tenantId)).toEqual(
      await storedCounts(database, clean.ctx.tenant.tenantId),
    );
    expect((await storedCounts(database, faulted.ctx.tenant.tenantId)).invoices).toBeGreaterThan(0);
    const statuses = faulted.sandbox.faults.requests().map((r) => `${r.source}:${r.status}`);
    expect(statuses.filter((s) => s === "quickbooks:429")).toHaveLength(3);
    expect(statuses.filter((s) => s === "stripe:503")).toHaveLength(2);
    // Each source's final run completed; the retries went through the job runner (attempt > 1 on its log lines).
    // (The clock is pinned, so runs are told apart by their counts, not their start times.)
    const runs = await queryRows<{ source: string; statuses: string }>(
      database.db,
      sql`select source, string_agg(status, ',' order by status) as statuses from sync_runs
          where tenant_id = ${faulted.ctx.tenant.tenantId}::uuid group by source order by source`,
    );
    expect(Object.fromEntries(runs.map((r) => [r.source, r.statuses]))).toEqual({
      amplitude: "complete",
      quickbooks: "complete,failed,failed,failed",
      stripe: "complete,failed,failed",
    });
    const retries = lines.filter((l) => l.msg === "job failed, will retry");
    expect(retries.length).toBe(5);
    for (const line of retries) {
      expect(line).toMatchObject({ job: "sync.source", tenantId: faulted.ctx.tenant.tenantId });
      expect(typeof line.jobId).toBe("string");
      expect(line.attempt).toBeGreaterThanOrEqual(1);
    }
    // Each 429 was counted for the metrics.
    const after = sample(await metricsText(), 'source_rate_limited_total{source="quickbooks"}');
    expect(after - before).toBe(3);
  });

  it("parallel pulls of one company wait for the limiter: one request in flight at a time at the sandbox", async () => {
    const one: LimitTable = { ...sourceLimits, quickbooks: { perWindow: 1000, windowMs: 60_000, concurrency: 1 } };
    const ctx = { ...clean.ctx, limiter: createInProcessLimiter({ limits: one }) };
    const { faults } = clean.sandbox;
    faults.reset();
    // Every answer held 40 ms: requests that overlapped would finish within a few ms of each other.
    faults.delayNext("quickbooks", 1000, 40);
    const pulls = await Promise.all(Array.from({ length: 4 }, () => connectorFor(ctx, "quickbooks")));
    await Promise.all(
      pulls.map(async (connector) => {
        for await (const _batch of connector!.pull(null, { now: clock() })) {
          // draining the pull is the point
        }
      }),
    );
    const api = faults.requests("quickbooks");
    const finished = api.filter((r) => !r.url.includes("token")).map((r) => r.at.getTime());
    expect(finished.length).toBeGreaterThanOrEqual(8);
    const gaps = finished.slice(1).map((at, i) => at - finished[i]!);
    // One at a time, each held 40 ms: no two finish closer than ~40 ms apart (a few ms for timer granularity).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(35);
    faults.reset();
  });
});
