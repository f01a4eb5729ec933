// A tenant synced and reconciled by two BullMQ worker processes on Postgres + Redis ends exactly where the in-process
// runner ends: same accounts, periods, statuses, explanations and allocations.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  connectSources,
  createBullMqRunner,
  createInProcessRunner,
  createJobHandlers,
  createLogger,
  createSecretBox,
  type JobRunner,
  provisionTenant,
  type TenantContext,
} from "@reckon/core";
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPostgres, postgresAvailable, redisUrl } from "@reckon/db/testing";
import { generateScenario, type RunningSandbox, startSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisAvailable } from "./redis";

const asOf = "2026-11-25";
const clock = () => new Date(`${asOf}T12:00:00Z`);
const secretKey = randomBytes(32).toString("base64");
const prefix = `reckon-test-${process.pid}-${randomBytes(3).toString("hex")}`;
const scenario = generateScenario({ seed: 21, accounts: 40, months: 4, asOf });
const silent = createLogger("silent");

async function connect(database: DatabaseHandle, sandbox: RunningSandbox): Promise<TenantContext> {
  const tenant = await provisionTenant({ db: database.db, input: { ...scenario.tenant, slug: "workers" } });
  const ctx: TenantContext = {
    db: database.db,
    log: silent,
    secrets: createSecretBox(secretKey),
    clock,
    tenant,
    actor: { kind: "system", via: "job" },
  };
  await connectSources(ctx, sandbox);
  return ctx;
}

/** Everything reconciliation produced, keyed by source ids (account uuids differ between databases). */
async function outcome(ctx: TenantContext) {
  const t = ctx.tenant.tenantId;
  const db = ctx.tenant.db;
  return {
    summaries: await queryRows(
      db,
      sql`select a.quickbooks_customer_id, s.status, s.headline, s.outlier, s.discrepancy_count, s.outstanding_minor::text,
                 s.payment_status, s.usage_mtd::text
          from account_summaries s join accounts a on a.id = s.account_id
          where s.tenant_id = ${t}::uuid order by 1`,
    ),
    periods: await queryRows(
      db,
      sql`select a.quickbooks_customer_id, r.period, r.status, r.explanation from reconciliation_results r
          join accounts a on a.id = r.account_id where r.tenant_id = ${t}::uuid order by 1, 2`,
    ),
    allocations: await queryRows(
      db,
      sql`select payment_source_id, invoice_source_id, amount_minor::text, method from payment_allocations
          where tenant_id = ${t}::uuid order by 1, 2`,
    ),
    counts: await queryRows(
      db,
      sql`select (select count(*)::int from invoices where tenant_id = ${t}::uuid) as invoices,
                 (select count(*)::int from payments where tenant_id = ${t}::uuid) as payments,
                 (select count(*)::int from usage_daily where tenant_id = ${t}::uuid) as usage`,
    ),
  };
}

function startWorker(databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      RECKON_QUEUE_PREFIX: prefix,
      RECKON_SECRET_KEY: secretKey,
      RECKON_SANDBOX: "off",
      RECKON_AS_OF: asOf,
      LOG_LEVEL: "warn",
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

describe("BullMQ with two worker processes", () => {
  let ready = false;
  // One sandbox per database: QuickBooks refresh tokens rotate, so two tenants must not share one token chain.
  let sandbox: RunningSandbox;
  let sharedSandbox: RunningSandbox;
  const databases: DatabaseHandle[] = [];
  const workers: ChildProcess[] = [];
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    if (!(await postgresAvailable()) || !(await redisAvailable())) return;
    ready = true;
    sandbox = await startSandbox(scenario);
    sharedSandbox = await startSandbox(scenario);
  });
  afterAll(async () => {
    for (const runner of runners) await runner.close();
    for (const worker of workers) worker.kill("SIGTERM");
    await Promise.all(databases.map((d) => d.close()));
    await sandbox?.stop();
    await sharedSandbox?.stop();
  });

  it("ends where the in-process runner ends", async ({ skip }) => {
    if (!ready) return skip("PostgreSQL or Redis is not running here");
    const local = await freshPostgres();
    const shared = await freshPostgres();
    databases.push(local, shared);

    const localCtx = await connect(local, sandbox);
    const inProcess = createInProcessRunner(
      createJobHandlers({ db: local.db, log: silent, secrets: localCtx.secrets, clock }),
      { log: silent },
    );
    runners.push(inProcess);
    await inProcess.enqueue("sync.tenant", { tenantId: localCtx.tenant.tenantId, reason: "manual" });
    await inProcess.drain();

    const sharedCtx = await connect(shared, sharedSandbox);
    const databaseUrl = (shared.postgres?.options as { host: string[]; port: number[]; database: string } | undefined)
      ?.database;
    expect(databaseUrl).toBeTruthy();
    const url = new URL(process.env.RECKON_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    url.pathname = `/${databaseUrl}`;
    workers.push(...(await Promise.all([startWorker(url.toString()), startWorker(url.toString())])));

    // This process only enqueues; the two workers do the work, each source on whichever worker takes it.
    const producer = createBullMqRunner(
      createJobHandlers({ db: shared.db, log: silent, secrets: sharedCtx.secrets, clock }),
      {
        redisUrl,
        prefix,
        processJobs: false,
        log: silent,
      },
    );
    runners.push(producer);
    const tenantId = sharedCtx.tenant.tenantId;
    for (const source of ["stripe", "quickbooks", "amplitude"] as const) {
      await producer.enqueue("sync.source", { tenantId, source, reason: "manual" });
    }
    await producer.drain();
    await producer.enqueue("reconcile.tenant", { tenantId });
    await producer.drain();

    const [expected, actual] = await Promise.all([outcome(localCtx), outcome(sharedCtx)]);
    expect(expected.summaries).toHaveLength(scenario.quickbooks.customers.length);
    expect(actual).toEqual(expected);
  });
});
