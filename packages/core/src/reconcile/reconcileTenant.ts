// Verb: reconcile a tenant's accounts (all, or the ones named) and store results, allocations and summaries.
import { inTransaction, queryRows, type TenantScope, upsertRows } from "@reckon/db";
import { type AccountReconciliation, type Discrepancy, isUsageDiscrepancy, reconcileAccount } from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../context";
import { type AccountRow, loadAccountInputs } from "./loadAccountInputs";
import { storeDiscrepancies } from "./storeDiscrepancies";
import { incompleteSyncs, partialSyncFindings, unmappedFindings } from "./tenantFindings";

export const reconcileTenantInput = z.object({ accountIds: z.array(z.string().uuid()).max(20_000).optional() });

/** Accounts are reconciled in chunks: three reads and three writes per chunk, whatever its size. */
const chunkSize = 500;
const lanes = 2;

export async function reconcileTenant({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof reconcileTenantInput>;
}): Promise<{ accounts: number; discrepancies: number }> {
  const { accountIds } = reconcileTenantInput.parse(input);
  const { tenant } = ctx;
  const [settings] = await queryRows<{ threshold_bps: number }>(
    tenant.db,
    sql`select threshold_bps from tenants where id = ${tenant.tenantId}::uuid`,
  );
  const units = new Map(
    (
      await queryRows<{ key: string; unit: string }>(
        tenant.db,
        sql`select key, unit from metrics where tenant_id = ${tenant.tenantId}::uuid order by key`,
      )
    ).map((m) => [m.key, m.unit]),
  );
  const accounts = await queryRows<AccountRow>(
    tenant.db,
    sql`select a.id, a.name, a.owner_id, u.name as owner_name, a.quickbooks_customer_id, a.stripe_customer_id, a.amplitude_group_id
        from accounts a left join users u on u.id = a.owner_id and u.tenant_id = a.tenant_id
        where a.tenant_id = ${tenant.tenantId}::uuid
          ${accountIds ? sql`and a.id in (select json_array_elements_text(${JSON.stringify(accountIds)}::json)::uuid)` : sql``}
        order by a.id`,
  );
  const asOf = ctx.clock();
  const today = asOf.toISOString().slice(0, 10);
  let discrepancies = 0;
  const syncs = await incompleteSyncs(tenant);
  const reconcileChunk = async (chunk: AccountRow[]) => {
    const { inputs, monthToDate } = await loadAccountInputs(tenant, chunk, today);
    const results = chunk.map((account) => {
      const input = inputs.get(account.id)!;
      const result = reconcileAccount(
        { ...input, metricUnits: Object.fromEntries(units) },
        { asOf, thresholdBps: settings?.threshold_bps ?? 500 },
      );
      const findings = [...result.discrepancies, ...partialSyncFindings(account, syncs)];
      discrepancies += findings.length;
      return { account, result, findings, monthToDate: monthToDate.get(account.id) ?? new Map<string, string>() };
    });
    await inTransaction(tenant, async (tx) => {
      await storeResults(tx, results, units, asOf);
      const findings = results.flatMap((r) =>
        r.findings.map((discrepancy) => ({ accountId: r.account.id, discrepancy })),
      );
      await storeDiscrepancies(tx, { accountIds: chunk.map((a) => a.id) }, findings, asOf);
    });
    // After the commit: a read between the two may cache the old answer, never miss the new one for 15 minutes.
    await ctx.accountCache?.invalidate(
      tenant.tenantId,
      chunk.map((a) => a.id),
    );
  };
  // Two lanes: one chunk computes while the other's reads and writes are in the database.
  const chunks: AccountRow[][] = [];
  for (let start = 0; start < accounts.length; start += chunkSize)
    chunks.push(accounts.slice(start, start + chunkSize));
  const lane = async (offset: number) => {
    for (let i = offset; i < chunks.length; i += lanes) await reconcileChunk(chunks[i]!);
  };
  await Promise.all(Array.from({ length: lanes }, (_, offset) => lane(offset)));
  if (!accountIds) {
    // Records no account links belong to the whole tenant: only a full run can say which are still unmapped.
    const unmapped = await unmappedFindings(tenant);
    discrepancies += unmapped.length;
    await inTransaction(tenant, (tx) =>
      storeDiscrepancies(
        tx,
        { accountless: true },
        unmapped.map((discrepancy) => ({ accountId: null, discrepancy })),
        asOf,
      ),
    );
  }
  // After a large (re)build the portfolio's plans need fresh statistics, or they sort instead of walking the index.
  if (accounts.length >= 1_000 && !accountIds) await queryRows(tenant.db, sql`analyze account_summaries`);
  ctx.log.info({ tenantId: tenant.tenantId, accounts: accounts.length, discrepancies }, "reconciled");
  return { accounts: accounts.length, discrepancies };
}

type Reconciled = {
  account: AccountRow;
  result: AccountReconciliation;
  /** Open discrepancies now: the account's own and its partial syncs (plan changes are explanations, not counted). */
  findings: Discrepancy[];
  monthToDate: Map<string, string>;
};

const resultTable = {
  name: "reconciliation_results",
  columns: { account_id: "uuid", period: "text", status: "text", explanation: "text", details: "jsonb" },
  key: ["tenant_id", "account_id", "period"],
  touch: ["computed_at"],
};

const allocationTable = {
  name: "payment_allocations",
  columns: {
    account_id: "uuid",
    payment_source: "text",
    payment_source_id: "text",
    invoice_source_id: "text",
    amount_minor: "bigint",
    method: "text",
  },
  key: ["tenant_id", "payment_source", "payment_source_id", "invoice_source_id"],
  touch: ["computed_at"],
};

/**
 * What reconciliation says now is the whole truth for these accounts: rows that did not change are left alone (a
 * steady 5-minute refresh writes almost nothing), changed ones are updated, and ones it no longer produces are deleted.
 */
async function storeResults(tx: TenantScope, results: Reconciled[], units: Map<string, string>, asOf: Date) {
  const ids = JSON.stringify(results.map((r) => r.account.id));
  const periods = results.flatMap(({ account, result }) =>
    result.periods.map((p) => ({
      account_id: account.id,
      period: p.period,
      status: p.status,
      explanation: p.explanation,
      // bigints inside become decimal strings when the bulk path serializes the batch.
      details: {
        state: p.state,
        usage: p.usage,
        invoices: p.invoices,
        charges: p.charges,
        discrepancies: p.discrepancies,
        explanations: p.explanations,
      },
    })),
  );
  const allocations = results.flatMap(({ account, result }) =>
    result.allocations.map((a) => ({
      account_id: account.id,
      payment_source: "stripe",
      payment_source_id: a.paymentId,
      invoice_source_id: a.invoiceId,
      amount_minor: a.amountMinor,
      method: a.method,
    })),
  );
  const keepPeriods = JSON.stringify(periods.map((p) => ({ a: p.account_id, p: p.period })));
  await queryRows(
    tx.db,
    sql`delete from reconciliation_results r where r.tenant_id = ${tx.tenantId}::uuid
          and r.account_id in (select json_array_elements_text(${ids}::json)::uuid)
          and (r.account_id, r.period) not in (select k.a, k.p from json_to_recordset(${keepPeriods}::json) as k(a uuid, p text))`,
  );
  const keepAllocations = JSON.stringify(allocations.map((a) => ({ p: a.payment_source_id, i: a.invoice_source_id })));
  await queryRows(
    tx.db,
    sql`delete from payment_allocations r where r.tenant_id = ${tx.tenantId}::uuid
          and r.account_id in (select json_array_elements_text(${ids}::json)::uuid)
          and (r.payment_source_id, r.invoice_source_id) not in
              (select k.p, k.i from json_to_recordset(${keepAllocations}::json) as k(p text, i text))`,
  );
  await upsertRows(tx, resultTable, periods);
  await upsertRows(tx, allocationTable, allocations);
  await upsertRows(
    tx,
    summaryTable,
    results.map((r) => summaryRow(r, units, asOf.toISOString())),
  );
}

const summaryTable = {
  name: "account_summaries",
  columns: {
    account_id: "uuid",
    account_name: "text",
    owner_id: "uuid",
    owner_name: "text",
    status: "text",
    usage_metric: "text",
    usage_unit: "text",
    usage_mtd: "numeric",
    latest_invoice_number: "text",
    latest_invoice_total_minor: "bigint",
    latest_invoice_currency: "char(3)",
    latest_invoice_due_on: "date",
    payment_status: "text",
    outstanding_minor: "bigint",
    overdue_minor: "bigint",
    summary_currency: "char(3)",
    max_days_late: "integer",
    discrepancy_count: "integer",
    outlier: "boolean",
    forecast_excluded: "boolean",
    headline: "text",
    details: "jsonb",
    reconciled_at: "timestamptz",
  },
  key: ["tenant_id", "account_id"],
};

/** The grid's row: the headline metric month-to-date, the latest invoice and its payment state, the roll-up. */
function summaryRow(
  { account, result, findings, monthToDate }: Reconciled,
  units: Map<string, string>,
  computedAt: string,
) {
  const invoices = result.periods.flatMap((p) => p.invoices);
  const latest = invoices.reduce<(typeof invoices)[number] | null>(
    (best, i) => (best === null || (i.dueOn ?? "") > (best.dueOn ?? "") ? i : best),
    null,
  );
  // Headline metric: the tenant's first metric (by key) the account uses; usage in other metrics is in the detail.
  const metric = [...units.keys()].find((key) => monthToDate.has(key)) ?? [...monthToDate.keys()].sort()[0] ?? null;
  const currency = latest?.currency ?? Object.keys(result.account.outstandingMinor).sort()[0] ?? null;
  const outlier = result.periods.some((p) => p.usage.some((u) => isUsageDiscrepancy(u.status)));
  return {
    account_id: account.id,
    account_name: account.name,
    owner_id: account.owner_id,
    owner_name: account.owner_name,
    status: result.account.status,
    usage_metric: metric,
    usage_unit: metric ? (units.get(metric) ?? metric) : null,
    usage_mtd: metric ? (monthToDate.get(metric) ?? "0") : null,
    latest_invoice_number: latest?.invoiceNumber ?? null,
    latest_invoice_total_minor: latest?.totalMinor ?? null,
    latest_invoice_currency: latest?.currency ?? null,
    latest_invoice_due_on: latest?.dueOn ?? null,
    payment_status: latest?.status ?? null,
    outstanding_minor: currency ? (result.account.outstandingMinor[currency] ?? 0n) : 0n,
    overdue_minor: currency ? (result.account.overdueMinor[currency] ?? 0n) : 0n,
    summary_currency: currency,
    max_days_late: result.account.maxDaysLate,
    discrepancy_count: findings.length,
    outlier,
    forecast_excluded: findings.some((d) => d.code === "partial_sync"),
    headline: result.account.headline,
    details: { outstanding: result.account.outstandingMinor, overdue: result.account.overdueMinor },
    reconciled_at: computedAt,
  };
}
