// npm run bench [-- --accounts N --months M --runs R --writers 1,2 --paths backfill,upsert --profile-batches B --api-seconds S
// --webhook-deliveries D --webhook-accounts A --refresh-accounts N --refresh-cycles C --refresh-changes K
// --slack-waves W --slack-concurrency C --keep]:
// the Targets bench.

import { randomBytes } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { createLogger, createSecretBox, provisionTenant, type TenantContext } from "@reckon/core";
import { type DatabaseHandle, migrate, openDatabase, tenantScope } from "@reckon/db";
import postgres from "postgres";
import { apiLoad } from "./api";
import { benchAdminUrl } from "./config";
import { copyTable, copyTables } from "./copy";
import { benchNow, generateTenant, usageMetric } from "./generate";
import { ingestSync, type KindResult, syncBatches, type WritePath } from "./ingest";
import { portfolioQueries, reconcileAll } from "./portfolio";
import { profileInvoices } from "./profile";
import { refreshBench } from "./refresh";
import { fmt, log, progress, round, timed } from "./report";
import { printSummary, type Results, writeResults } from "./results";
import { slackAckLatency } from "./slack";
import { webhookLag } from "./webhook";

const { values: args } = parseArgs({
  options: {
    accounts: { type: "string", default: "12000" },
    months: { type: "string", default: "24" },
    runs: { type: "string", default: "200" },
    writers: { type: "string", default: "1,2" },
    // The sync's write paths: backfill (a first sync, COPY) and upsert (the same rows as a re-sync writes them).
    paths: { type: "string", default: "backfill,upsert" },
    seed: { type: "string", default: "42" },
    batch: { type: "string", default: "1000" },
    keep: { type: "boolean", default: false },
    "profile-batches": { type: "string", default: "60" },
    "api-seconds": { type: "string", default: "10" },
    "webhook-deliveries": { type: "string", default: "50" },
    "webhook-accounts": { type: "string", default: "300" },
    // The steady QuickBooks refresh (bench/refresh.ts); 0 accounts skips it. 240 changed invoices per 5 min is a
    // busy billing hour for 12,000 accounts (an average month is ~3 per 5 min).
    "refresh-accounts": { type: "string", default: "12000" },
    "refresh-cycles": { type: "string", default: "6" },
    "refresh-changes": { type: "string", default: "240" },
    // Slack acknowledgements (bench/slack.ts): waves of concurrent /billing commands; 0 waves skips it.
    "slack-waves": { type: "string", default: "20" },
    "slack-concurrency": { type: "string", default: "50" },
  },
});
const accounts = Number(args.accounts);
const months = Number(args.months);
const runs = Number(args.runs);
const batchSize = Number(args.batch);
const writerCounts = args.writers.split(",").map(Number);
if (![accounts, months, runs, batchSize, ...writerCounts].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error("--accounts, --months, --runs, --batch and --writers must be positive integers");
}
const writePaths = args.paths.split(",") as WritePath[];
if (!writePaths.every((p) => p === "backfill" || p === "upsert")) {
  throw new Error("--paths takes backfill, upsert or both (comma-separated)");
}

const adminUrl = benchAdminUrl;
const dbUrl = (name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};
const names = {
  sync: "reckon_bench_sync",
  copy: "reckon_bench_copy",
  webhook: "reckon_bench_webhook",
  slack: "reckon_bench_slack",
};
const dataTables = ["source_customers", "invoices", "invoice_lines", "payments", "usage_daily"];
const runStarted = performance.now();
const startedAt = new Date().toISOString();
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
const handles: DatabaseHandle[] = [];

async function freshDatabase(name: string): Promise<DatabaseHandle> {
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  const handle = await openDatabase({ kind: "postgres", url: dbUrl(name), maxConnections: 4 });
  handles.push(handle);
  await migrate(handle);
  return handle;
}

/** Flushes dirty buffers before each timed step so no step pays for the previous one's checkpoint. */
const checkpoint = async () => {
  await admin`checkpoint`;
};

async function counts(handle: DatabaseHandle): Promise<Record<string, number>> {
  const client = handle.postgres!;
  const entries = await Promise.all(
    dataTables.map(async (t) => [t, (await client.unsafe(`select count(*)::int as n from "${t}"`))[0]!.n as number]),
  );
  return Object.fromEntries(entries);
}

try {
  const [{ server_version: pgVersion }] = (await admin`show server_version`) as unknown as [{ server_version: string }];
  log(`Reckon bench: ${fmt(accounts)} accounts x ${months} months, PostgreSQL ${pgVersion}, ${os.cpus().length} cpus`);
  const generated = await timed(async () => generateTenant(accounts, months, Number(args.seed)));
  const data = generated.value;
  const totalRows =
    data.customers.length + data.invoices.length + data.lineCount + data.payments.length + data.usage.length;
  log(
    `generated in ${fmt(generated.ms)} ms: ${fmt(data.customers.length)} customers, ${fmt(data.invoices.length)} invoices, ` +
      `${fmt(data.lineCount)} lines, ${fmt(data.payments.length)} payments, ${fmt(data.usage.length)} usage months ` +
      `= ${fmt(totalRows)} rows`,
  );

  log("creating and migrating scratch databases ...");
  const syncDb = await freshDatabase(names.sync);
  const copyDb = await freshDatabase(names.copy);
  const setup = {
    slug: "bench",
    name: "Bench tenant",
    baseCurrency: "USD",
    thresholdBps: 500,
    amplitudeGroupType: "org_id",
    metrics: [usageMetric],
    owners: data.owners,
    accounts: [],
  };
  const scope = await provisionTenant({ db: syncDb.db, input: setup });
  const tenantId = scope.tenantId;
  await copyDb.postgres!`insert into tenants (id, slug, name) values (${tenantId}, 'bench', 'Bench tenant')`;

  log("COPY (text format, one stream per table) ...");
  const copy: Array<{ table: string; rows: number; ms: number; rowsPerSec: number }> = [];
  for (const spec of copyTables(data)) {
    await checkpoint();
    const ms = await copyTable(copyDb.postgres!, tenantId, spec);
    copy.push({ table: spec.table, rows: spec.count, ms, rowsPerSec: (spec.count / ms) * 1000 });
    progress(`copy ${spec.table}`, spec.count, spec.count, (spec.count / ms) * 1000);
  }

  const groups = syncBatches(data, batchSize);
  const sync: Array<{ path: WritePath; writers: number; kinds: KindResult[] }> = [];
  for (const path of writePaths) {
    for (const writers of writerCounts) {
      if (sync.length > 0) await syncDb.postgres!.unsafe(`truncate ${dataTables.join(", ")}`);
      log(`sync write path (writeRecords, ${path}, ${fmt(batchSize)} records a batch, ${writers} writer(s)) ...`);
      sync.push({ path, writers, kinds: await ingestSync(scope, groups, { path, writers }, checkpoint) });
    }
  }
  const [syncCounts, copyCounts] = await Promise.all([counts(syncDb), counts(copyDb)]);
  const countsMatch = dataTables.every((t) => syncCounts[t] === copyCounts[t]);
  if (!countsMatch)
    log(`WARNING: row counts differ: sync ${JSON.stringify(syncCounts)} copy ${JSON.stringify(copyCounts)}`);

  const invoiceCopy = copy.filter((c) => c.table === "invoices" || c.table === "invoice_lines");
  const invoiceCopyRate =
    (invoiceCopy.reduce((s, c) => s + c.rows, 0) / invoiceCopy.reduce((s, c) => s + c.ms, 0)) * 1000;
  const profileBatches = Number(args["profile-batches"]);
  log(profileBatches > 0 ? `profiling the sync path on ${profileBatches} invoice batches ...` : "profile skipped");
  const invoiceBatches = groups.find((g) => g.kind === "invoices")!.batches.slice(0, profileBatches);
  const profile =
    profileBatches > 0
      ? await profileInvoices(copyDb, tenantScope(copyDb.db, tenantId), invoiceBatches, invoiceCopyRate, checkpoint)
      : null;

  const ctx: TenantContext = {
    db: syncDb.db,
    log: createLogger("silent"),
    secrets: createSecretBox(randomBytes(32).toString("base64")),
    clock: () => benchNow,
    tenant: tenantScope(syncDb.db, tenantId),
    actor: { kind: "system", via: "job" },
  };
  const reconcile = await reconcileAll(ctx);
  const queries = await portfolioQueries(ctx, runs);
  const api = await apiLoad(ctx, dbUrl(names.sync), Number(args["api-seconds"]));
  const webhookDeliveries = Number(args["webhook-deliveries"]);
  let webhook = null;
  if (webhookDeliveries > 0) {
    await admin.unsafe(`drop database if exists "${names.webhook}" with (force)`);
    await admin.unsafe(`create database "${names.webhook}"`);
    webhook = await webhookLag(dbUrl(names.webhook), {
      accounts: Number(args["webhook-accounts"]),
      deliveries: webhookDeliveries,
    });
  }

  const slackWaves = Number(args["slack-waves"]);
  let slack = null;
  if (slackWaves > 0) {
    await admin.unsafe(`drop database if exists "${names.slack}" with (force)`);
    await admin.unsafe(`create database "${names.slack}"`);
    slack = await slackAckLatency(dbUrl(names.slack), {
      accounts: Number(args["webhook-accounts"]),
      concurrency: Number(args["slack-concurrency"]),
      waves: slackWaves,
    });
  }

  const refreshAccounts = Number(args["refresh-accounts"]);
  const refresh =
    refreshAccounts > 0
      ? await refreshBench({
          accounts: refreshAccounts,
          cycles: Number(args["refresh-cycles"]),
          changesPerCycle: Number(args["refresh-changes"]),
          seed: Number(args.seed),
        })
      : null;

  const results: Results = {
    startedAt,
    options: { accounts, months, runs, batchSize, writers: writerCounts, paths: writePaths, seed: Number(args.seed) },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      totalMemoryGb: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      postgres: pgVersion,
    },
    data: {
      customers: data.customers.length,
      invoices: data.invoices.length,
      invoiceLines: data.lineCount,
      payments: data.payments.length,
      usageMonthlyRows: data.usage.length,
      totalRows,
      generateMs: round(generated.ms),
      note: "usage is a monthly roll-up (1 metric, one row per account and month on the 1st), not daily rows",
    },
    copy,
    sync,
    countsMatch,
    profile,
    reconcile,
    queries,
    api,
    webhook,
    slack,
    refresh,
    totalSeconds: 0,
  };
  results.totalSeconds = round((performance.now() - runStarted) / 1000, 1);
  const summary = printSummary(results);
  const files = await writeResults(summary);
  log(`results: ${files.join(", ")}`);
} finally {
  for (const handle of handles) await handle.close();
  if (!args.keep) {
    for (const name of Object.values(names)) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } else {
    log(`kept databases ${Object.values(names).join(", ")}`);
  }
  await admin.end({ timeout: 5 });
}
