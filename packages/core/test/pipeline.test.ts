// End to end below HTTP: sync all three sources from the sandbox, reconcile, read the portfolio; on PGlite and Postgres.
import { createHash } from "node:crypto";
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPglite, freshPostgres, postgresAvailable } from "@reckon/db/testing";
import type { RunningSandbox, Scenario } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "../src/context";
import { listPortfolio } from "../src/portfolio/listPortfolio";
import { reconcileTenant } from "../src/reconcile/reconcileTenant";
import { runSourceSync } from "../src/sync/runSourceSync";
import { connectTenant, smallScenario } from "./pipeline";

const databases = [
  { name: "PGlite", open: freshPglite, available: async () => true },
  { name: "PostgreSQL", open: freshPostgres, available: postgresAvailable },
];

/** What Amplitude's events add up to per group, metric and day, each insert id counted once. */
function expectedUsage(scenario: Scenario): Map<string, bigint> {
  const metricOf = new Map(scenario.tenant.metrics.map((m) => [m.eventType, m.key]));
  const seen = new Set<string>();
  const totals = new Map<string, bigint>();
  for (const event of scenario.amplitude.events) {
    if (seen.has(event.$insert_id)) continue;
    seen.add(event.$insert_id);
    const group = event.groups[scenario.tenant.amplitudeGroupType];
    const metric = metricOf.get(event.event_type);
    if (typeof group !== "string" || !metric) continue;
    const key = `${group}|${metric}|${event.event_time.slice(0, 10)}`;
    const micro = BigInt(Math.round(Number(event.event_properties.quantity ?? 1) * 1_000_000));
    totals.set(key, (totals.get(key) ?? 0n) + micro);
  }
  return totals;
}

async function fingerprint(db: DatabaseHandle["db"], tenantId: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const table of ["source_customers", "invoices", "invoice_lines", "payments", "usage_daily"]) {
    const hash = createHash("sha256");
    const rows = await queryRows<{ row: string }>(
      db,
      sql`select (to_jsonb(t) - 'synced_at' - 'updated_at')::text as row from ${sql.identifier(table)} t
          where t.tenant_id = ${tenantId}::uuid order by 1`,
    );
    hashes[table] = hash.update(rows.map((r) => r.row).join("\n")).digest("hex");
  }
  return hashes;
}

describe.each(databases)("sync and reconcile on $name", ({ open, available }) => {
  let database: DatabaseHandle | null = null;
  let sandbox: RunningSandbox | null = null;
  let ctx: TenantContext;
  const scenario = smallScenario();

  beforeAll(async () => {
    if (!(await available())) return;
    database = await open();
    ({ ctx, sandbox } = await connectTenant(database, scenario));
  });
  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  it("pulls every record of every source on the first run", async ({ skip }) => {
    if (!database) return skip("PostgreSQL is not running here");
    for (const source of ["quickbooks", "stripe", "amplitude"] as const) {
      const result = await runSourceSync({ ctx, input: { source } });
      expect(result, source).toMatchObject({ status: "complete", mode: "full" });
    }
    const t = ctx.tenant.tenantId;
    const [counts] = await queryRows<Record<string, number>>(
      ctx.tenant.db,
      sql`select
            (select count(*)::int from invoices where tenant_id = ${t}::uuid) as invoices,
            (select count(*)::int from payments where tenant_id = ${t}::uuid and source = 'stripe') as charges,
            (select count(*)::int from payments where tenant_id = ${t}::uuid and source = 'quickbooks') as qbo_payments,
            (select count(*)::int from source_customers where tenant_id = ${t}::uuid and source = 'stripe') as stripe_customers,
            (select count(*)::int from accounts where tenant_id = ${t}::uuid) as accounts`,
    );
    expect(counts).toEqual({
      invoices: scenario.quickbooks.invoices.length,
      charges: scenario.stripe.charges.length,
      qbo_payments: scenario.quickbooks.payments.length,
      stripe_customers: scenario.stripe.customers.length,
      accounts: scenario.quickbooks.customers.length,
    });

    const usage = await queryRows<{ key: string; quantity: string }>(
      ctx.tenant.db,
      sql`select group_id || '|' || metric || '|' || day::text as key, sum(quantity)::text as quantity
          from usage_daily where tenant_id = ${t}::uuid group by 1`,
    );
    const stored = new Map(usage.map((u) => [u.key, BigInt(u.quantity.replace(".", ""))]));
    expect(stored).toEqual(expectedUsage(scenario));
  });

  it("changes nothing when run again", async ({ skip }) => {
    if (!database) return skip("PostgreSQL is not running here");
    const before = await fingerprint(ctx.tenant.db, ctx.tenant.tenantId);
    for (const source of ["quickbooks", "stripe", "amplitude"] as const) {
      const result = await runSourceSync({ ctx, input: { source } });
      expect(result, source).toMatchObject({ status: "complete", mode: "incremental" });
    }
    expect(await fingerprint(ctx.tenant.db, ctx.tenant.tenantId)).toEqual(before);
  });

  it("reconciles every account and keeps unmapped records", async ({ skip }) => {
    if (!database) return skip("PostgreSQL is not running here");
    const result = await reconcileTenant({ ctx, input: {} });
    expect(result.accounts).toBe(scenario.quickbooks.customers.length);
    const unmapped = scenario.manifest?.entries.filter((e) => e.kind === "unmapped_record") ?? [];
    expect(unmapped.length).toBeGreaterThan(0);
    const stripeUnmapped = await queryRows<{ source_id: string }>(
      ctx.tenant.db,
      sql`select source_id from source_customers where tenant_id = ${ctx.tenant.tenantId}::uuid
          and source = 'stripe' and account_id is null`,
    );
    for (const entry of unmapped.filter((e) => e.sourceIds.some((id) => id.startsWith("cus_")))) {
      expect(stripeUnmapped.map((r) => r.source_id)).toEqual(
        expect.arrayContaining(entry.sourceIds.filter((id) => id.startsWith("cus_"))),
      );
    }
  });

  it("rewrites nothing when it reconciles unchanged data again", async ({ skip }) => {
    if (!database) return skip("PostgreSQL is not running here");
    const stamp = async () =>
      queryRows<{ latest: string; rows: number }>(
        ctx.tenant.db,
        sql`select (select max(computed_at)::text from reconciliation_results where tenant_id = ${ctx.tenant.tenantId}::uuid) as latest,
                   (select count(*)::int from reconciliation_results where tenant_id = ${ctx.tenant.tenantId}::uuid) as rows`,
      );
    const before = await stamp();
    await reconcileTenant({ ctx, input: {} });
    expect(await stamp()).toEqual(before);
  });

  it("marks accounts with injected billing variances as outliers", async ({ skip }) => {
    if (!database) return skip("PostgreSQL is not running here");
    const injected = new Set(
      scenario.manifest?.entries
        .filter((e) => e.kind === "over_billed" || e.kind === "under_billed")
        .map((e) => e.accountRef),
    );
    expect(injected.size).toBeGreaterThan(0);
    const rows = await queryRows<{ quickbooks_customer_id: string; outlier: boolean }>(
      ctx.tenant.db,
      sql`select a.quickbooks_customer_id, s.outlier from account_summaries s
          join accounts a on a.id = s.account_id and a.tenant_id = s.tenant_id
          where s.tenant_id = ${ctx.tenant.tenantId}::uuid`,
    );
    for (const row of rows.filter((r) => injected.has(r.quickbooks_customer_id))) expect(row.outlier).toBe(true);
  });

  it("pages the portfolio by cursor without gaps or repeats", async ({ skip }) => {
    if (!database) return skip("PostgreSQL is not running here");
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listPortfolio({ ctx, input: { limit: 7, ...(cursor ? { cursor } : {}) } });
      names.push(...page.rows.map((r) => r.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(names).toHaveLength(scenario.quickbooks.customers.length);
    expect([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))).toEqual(names);
  });
});

describe("a sync that dies part-way", () => {
  it("records a partial run, keeps what it stored, and completes from its cursor", async () => {
    const database = await freshPglite();
    const scenario = smallScenario(9, 12, 3);
    const { ctx, sandbox } = await connectTenant(database, scenario);
    try {
      // Amplitude is read a week per request: let three weeks through, then fail the fourth with a 503.
      sandbox.faults.failAfter("amplitude", 3, 1, 503);
      await expect(runSourceSync({ ctx, input: { source: "amplitude" } })).rejects.toMatchObject({ kind: "transient" });
      const [run] = await queryRows<{ status: string; counts: { batches: number }; errors: Array<{ kind: string }> }>(
        ctx.tenant.db,
        sql`select status, counts, errors from sync_runs where tenant_id = ${ctx.tenant.tenantId}::uuid`,
      );
      expect(run).toMatchObject({ status: "partial", counts: { batches: 3 }, errors: [{ kind: "transient" }] });

      const resumed = await runSourceSync({ ctx, input: { source: "amplitude" } });
      expect(resumed.status).toBe("complete");
      const usage = await queryRows<{ key: string; quantity: string }>(
        ctx.tenant.db,
        sql`select group_id || '|' || metric || '|' || day::text as key, sum(quantity)::text as quantity
            from usage_daily where tenant_id = ${ctx.tenant.tenantId}::uuid group by 1`,
      );
      expect(new Map(usage.map((u) => [u.key, BigInt(u.quantity.replace(".", ""))]))).toEqual(expectedUsage(scenario));
    } finally {
      await sandbox.stop();
      await database.close();
    }
  });
});
