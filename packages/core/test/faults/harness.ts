// The fault suite's harness: a private Postgres + Redis per test file, a tenant per run synced through the BullMQ job
// layer from its own sandbox, each run compared with the generator's ground truth, and the table of results.
import { randomBytes } from "node:crypto";
import { type DatabaseHandle, queryRows, type SyncSource } from "@reckon/db";
import type { RunningSandbox, SandboxRequest, Scenario } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { ServiceContext, TenantContext } from "../../src/context";
import { createJobHandlers } from "../../src/jobHandlers";
import { createBullMqRunner } from "../../src/jobs/bullmq";
import type { JobRunner } from "../../src/jobs/runner";
import { createLogger } from "../../src/log";
import { createSecretBox } from "../../src/secrets";
import { clock, connectTenant, smallScenario, testSecretKey } from "../pipeline";
import { type PrivatePostgres, type PrivateRedis, startPrivatePostgres, startPrivateRedis } from "./privateServices";
import {
  type CleanRun,
  type Comparison,
  compare,
  readStored,
  type Stored,
  sourceIdentities,
  uploadedEvents,
} from "./truth";

export const sources: readonly SyncSource[] = ["quickbooks", "stripe", "amplitude"];
/** Small tenants: each run is a full sync of all three sources, so the suite stays within a few minutes. */
export const accounts = 24;
export const months = 3;
const silent = createLogger("silent");

export interface Suite {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  database: DatabaseHandle;
  /** Processes jobs in this process; backoff scaled down (Retry-After is honoured as sent). */
  runner: JobRunner;
  prefix: string;
  /** The clean run of each seed: what every faulted run must end equal to. */
  clean: Map<number, CleanRun>;
  /** The requests each clean run made, in order: where "mid-sync" is for each source. */
  cleanRequests: Map<number, readonly SandboxRequest[]>;
  scenarios: Map<number, Scenario>;
  sandboxes: RunningSandbox[];
  table: FaultTable;
  slugs: number;
}

/** What a suite may set on its job handlers' services (e.g. shorter source timeouts); the rest is the suite's own. */
export type SuiteServices = Pick<ServiceContext, "sourceTimeoutsMs">;

export async function startSuite(label: string, services: SuiteServices = {}): Promise<Suite> {
  const [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  const database = await postgres.open();
  const prefix = `reckon-faults-${label}-${randomBytes(3).toString("hex")}`;
  return {
    postgres,
    redis,
    database,
    runner: jobRunner(database, redis.url, prefix, true, services),
    prefix,
    clean: new Map(),
    cleanRequests: new Map(),
    scenarios: new Map(),
    sandboxes: [],
    table: new FaultTable(),
    slugs: 0,
  };
}

/** A BullMQ runner on the suite's database; `processJobs: false` only enqueues (worker processes do the work). */
export function jobRunner(
  database: DatabaseHandle,
  redisUrl: string,
  prefix: string,
  processJobs = true,
  services: SuiteServices = {},
): JobRunner {
  const handlers = createJobHandlers({
    db: database.db,
    log: silent,
    secrets: createSecretBox(testSecretKey),
    clock,
    ...services,
  });
  return createBullMqRunner(handlers, { redisUrl, prefix, processJobs, log: silent, backoffScale: 0.001 });
}

export async function stopSuite(suite: Suite | undefined): Promise<void> {
  if (!suite) return;
  await suite.runner.close().catch(() => {});
  for (const sandbox of suite.sandboxes) await sandbox.stop();
  await suite.database.close().catch(() => {});
  await Promise.all([suite.redis.stop(), suite.postgres.stop()]);
}

/** A new tenant on the suite's database, connected to a sandbox of its own (QuickBooks refresh tokens rotate). */
export async function newTenant(suite: Suite, seed: number): Promise<{ ctx: TenantContext; sandbox: RunningSandbox }> {
  let scenario = suite.scenarios.get(seed);
  if (!scenario) {
    scenario = smallScenario(seed, accounts, months);
    suite.scenarios.set(seed, scenario);
  }
  const tenant = await connectTenant(suite.database, scenario, `faults-${seed}-${++suite.slugs}`);
  suite.sandboxes.push(tenant.sandbox);
  return tenant;
}

async function completedSources(ctx: TenantContext): Promise<Set<string>> {
  const rows = await queryRows<{ source: string }>(
    ctx.tenant.db,
    sql`select distinct source from sync_runs where tenant_id = ${ctx.tenant.tenantId}::uuid and status = 'complete'`,
  );
  return new Set(rows.map((r) => r.source));
}

/**
 * What the 5-minute schedule does for a source that is behind: sync it again, from its cursor, until a run completes.
 * Each round enqueues the sources without a complete run and waits for the queues to drain (job retries included).
 */
export async function syncUntilComplete(runner: JobRunner, ctx: TenantContext, maxRounds = 4): Promise<number> {
  for (let round = 1; round <= maxRounds; round++) {
    const done = await completedSources(ctx);
    const behind = sources.filter((source) => !done.has(source));
    if (behind.length === 0) return round - 1;
    for (const source of behind) {
      await runner.enqueue("sync.source", { tenantId: ctx.tenant.tenantId, source, reason: "schedule" });
    }
    await runner.drain();
  }
  const done = await completedSources(ctx);
  const behind = sources.filter((s) => !done.has(s));
  // The runs of the sources still behind, so a failure says why they never completed.
  const runs = await queryRows<{ source: string; status: string; errors: unknown }>(
    ctx.tenant.db,
    sql`select source, status, errors from sync_runs where tenant_id = ${ctx.tenant.tenantId}::uuid
        and source in ${sql.raw(`(${behind.map((s) => `'${s}'`).join(",") || "''"})`)} order by started_at`,
  );
  expect(behind, `sources still not complete after ${maxRounds} rounds: ${JSON.stringify(runs)}`).toEqual([]);
  return maxRounds;
}

const dataOf = ({ customers, invoices, payments, usage, duplicateEvents }: Stored) => ({
  customers,
  invoices,
  payments,
  usage,
  duplicateEvents,
});

/** The clean run of a seed, checked against the generator itself before any faulted run is compared with it. */
export async function cleanRun(suite: Suite, seed: number): Promise<CleanRun> {
  const known = suite.clean.get(seed);
  if (known) return known;
  const { ctx, sandbox } = await newTenant(suite, seed);
  expect(await syncUntilComplete(suite.runner, ctx, 1)).toBe(1);
  suite.cleanRequests.set(seed, sandbox.faults.requests());
  const stored = await readStored(ctx);
  const scenario = suite.scenarios.get(seed)!;
  const ids = sourceIdentities(scenario);
  for (const kind of ["customers", "invoices", "payments"] as const) {
    expect([...stored[kind].keys()].sort(), `clean run ${kind}`).toEqual([...ids[kind]].sort());
  }
  let counted = stored.duplicateEvents;
  for (const [content] of stored.usage.values()) counted += Number(content!.split("|")[0]);
  expect(counted, "clean run: every uploaded usage event counted once").toBe(
    uploadedEvents(scenario, stored.cursors.amplitude!),
  );
  expect(stored.runs.map((r) => r.status)).toEqual(["complete", "complete", "complete"]);
  // One more scheduled round with nothing new: the data stays, and a quiet Stripe cursor moves to an hour before now.
  // A faulted run whose retry re-ran a finished source ends with these cursors, and is just as right.
  for (const source of sources) {
    await suite.runner.enqueue("sync.source", { tenantId: ctx.tenant.tenantId, source, reason: "schedule" });
  }
  await suite.runner.drain();
  const settled = await readStored(ctx);
  expect(dataOf(settled), "a quiet incremental sync changes no data").toEqual(dataOf(stored));
  const clean = { ...stored, settledCursors: settled.cursors };
  suite.clean.set(seed, clean);
  return clean;
}

/**
 * How many requests to let through so the next one is the `n`-th a clean run had answered 200: a fault placed there
 * lands mid-sync, after batches were stored, and never on an empty answer (Amplitude 404s weeks without data).
 */
export function requestsBefore(suite: Suite, seed: number, source: SyncSource, n: number): number {
  const log = suite.cleanRequests.get(seed)!.filter((r) => r.source === source);
  const answered = log.flatMap((r, index) => (r.status === 200 ? [index] : []));
  const at = answered[n - 1];
  if (at === undefined) throw new Error(`a clean ${source} sync answers fewer than ${n} requests`);
  return at;
}

export interface RunOutcome extends Comparison {
  /** Sync rounds the schedule needed. */
  rounds: number;
  /** Runs left 'running': their process died before it could record how they ended. */
  orphanedRuns: number;
}

/**
 * Ends a faulted run: syncs until every source completes, then compares with the clean run and checks the sync runs:
 * every run not complete says why, with one of the error kinds the fault can cause.
 */
export async function finishRun(
  suite: Suite,
  seed: number,
  ctx: TenantContext,
  errorKinds: readonly string[],
  roundsSoFar = 0,
): Promise<RunOutcome> {
  const rounds = roundsSoFar + (await syncUntilComplete(suite.runner, ctx));
  const got = await readStored(ctx);
  const comparison = compare(suite.scenarios.get(seed)!, suite.clean.get(seed)!, got);
  const unexpected = got.runs.filter(
    (r) =>
      r.status !== "complete" &&
      r.status !== "running" &&
      (r.errors.length === 0 || r.errors.some((e) => !errorKinds.includes(e.kind))),
  );
  expect(unexpected, "failed or partial runs carry an expected error").toEqual([]);
  return { ...comparison, rounds, orphanedRuns: got.runs.filter((r) => r.status === "running").length };
}

export function expectClean(outcome: RunOutcome, what: string): void {
  expect(outcome.lost, `${what}: lost`).toEqual([]);
  expect(outcome.duplicated, `${what}: duplicated`).toEqual([]);
  expect(outcome.differing, `${what}: differing from the clean run`).toEqual([]);
  expect(outcome.cursors, `${what}: cursors`).toEqual([]);
}

interface Row {
  runs: number;
  records: number;
  lost: number;
  duplicated: number;
  rounds: number;
  orphaned: number;
}

/** fault, runs, records compared, lost, duplicated (plus sync rounds and runs left 'running'), one row per fault. */
export class FaultTable {
  private readonly rows = new Map<string, Row>();

  add(fault: string, outcome: RunOutcome): void {
    const row = this.rows.get(fault) ?? { runs: 0, records: 0, lost: 0, duplicated: 0, rounds: 0, orphaned: 0 };
    row.runs += 1;
    row.records += outcome.records;
    row.lost += outcome.lost.length;
    row.duplicated += outcome.duplicated.length;
    row.rounds += outcome.rounds;
    row.orphaned += outcome.orphanedRuns;
    this.rows.set(fault, row);
  }

  get size(): number {
    return this.rows.size;
  }

  print(title: string): void {
    const head = ["fault".padEnd(34), "runs", "records compared", "lost", "duplicated", "rounds", "left running"];
    const lines = [...this.rows].map(([fault, r]) =>
      [fault.padEnd(34), r.runs, r.records, r.lost, r.duplicated, r.rounds, r.orphaned]
        .map((v, i) => (i === 0 ? String(v) : String(v).padStart(head[i]!.length)))
        .join("  "),
    );
    console.log([`${title} (${accounts} accounts x ${months} months a run)`, head.join("  "), ...lines].join("\n"));
  }
}
