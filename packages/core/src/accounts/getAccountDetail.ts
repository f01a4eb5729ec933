// Verb: everything about one account: links, usage summary and trend, invoices, payments, reconciliation, last sync.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";
import type { Flag } from "../flags/flag";
import { loadOpenFlags } from "../flags/listFlags";
import { loadAccountForecast } from "../forecast/getAccountForecast";
import { type MoneyJson, money } from "../money";
import {
  type AccountDiscrepancy,
  loadAccountDiscrepancies,
  type TimelineEvent,
} from "../reconcile/accountDiscrepancies";
import { type AccountPartialSync, accountPartialSyncs } from "../sync/accountPartialSyncs";
import { getSyncStatus, type SourceStatus } from "../sync/getSyncStatus";
import { type Freshness, loadFreshness } from "../sync/loadFreshness";

export const getAccountDetailInput = z.object({ accountId: z.string().uuid("an account id (uuid)") });

export interface AccountDetail {
  account: {
    id: string;
    name: string;
    owner: { id: string; name: string; email: string } | null;
    links: Record<"quickbooks" | "stripe" | "amplitude", { id: string; method: string } | null>;
  };
  status: { status: string; headline: string; outlier: boolean; discrepancyCount: number; reconciledAt: string } | null;
  usage: Array<{
    metric: string;
    unit: string;
    monthToDate: string;
    months: Array<{ period: string; quantity: string }>;
  }>;
  invoices: Array<{
    id: string;
    number: string | null;
    issuedOn: string;
    dueOn: string | null;
    total: MoneyJson;
    balance: MoneyJson;
    lines: Array<{
      item: string | null;
      metric: string | null;
      quantity: string | null;
      amount: MoneyJson;
      serviceDate: string | null;
    }>;
  }>;
  payments: Array<{
    id: string;
    source: string;
    status: string;
    amount: MoneyJson;
    refunded: MoneyJson;
    failureCode: string | null;
    failureMessage: string | null;
    disputed: boolean;
    createdAt: string;
    invoiceIds: string[];
  }>;
  reconciliation: Array<{ period: string; status: string; explanation: string; details: unknown; computedAt: string }>;
  /** Open discrepancies, newest first (packages/reconcile/src/discrepancies/README.md is the contract). */
  discrepancies: AccountDiscrepancy[];
  /** What reconciliation found and when it went away, newest first. */
  timeline: TimelineEvent[];
  sync: SourceStatus[];
  /** An unresolved partial sync run got some of this account's records: numbers may be incomplete. */
  partialSync: boolean;
  /** Those runs: the source and what each did not get (the partial-sync banner). */
  partialSyncs: AccountPartialSync[];
  /** Per source, the last good sync and whether it is down (the stale banner). */
  freshness: Freshness;
  /** Usage projected to quarter end per metric, with its trend, band, backtest and alerts. */
  forecast: Record<string, unknown> | null;
  /** Open flags raised on the account, newest first (at most 20), and how many are open in all. */
  flags: Flag[];
  openFlagCount: number;
}

/** What reconciliation and the synced records say: the part of the detail the account cache holds. */
type ReconciledDetail = Omit<
  AccountDetail,
  "account" | "sync" | "partialSync" | "partialSyncs" | "freshness" | "flags" | "openFlagCount"
>;

/** The account, or null when it does not exist in this tenant or the actor may not see it (the caller answers 404). */
export async function getAccountDetail({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof getAccountDetailInput>;
}): Promise<AccountDetail | null> {
  const { accountId } = getAccountDetailInput.parse(input);
  const t = ctx.tenant.tenantId;
  const db = ctx.tenant.db;
  const [account] = await queryRows<{
    id: string;
    name: string;
    owner_id: string | null;
    owner_name: string | null;
    owner_email: string | null;
    quickbooks_customer_id: string | null;
    stripe_customer_id: string | null;
    amplitude_group_id: string | null;
    link_methods: Record<string, string>;
  }>(
    db,
    sql`select a.id, a.name, a.owner_id, u.name as owner_name, u.email as owner_email, a.quickbooks_customer_id,
               a.stripe_customer_id, a.amplitude_group_id, a.link_methods
        from accounts a left join users u on u.id = a.owner_id and u.tenant_id = a.tenant_id
        where a.tenant_id = ${t}::uuid and a.id = ${accountId}::uuid and ${visibleAccounts(ctx.actor, sql`a.owner_id`)}`,
  );
  if (!account) return null;
  const link = (id: string | null, source: string) =>
    id ? { id, method: account.link_methods[source] ?? "explicit" } : null;
  const today = ctx.clock().toISOString().slice(0, 10);
  // Sync state, the banners and open flags are read each time (cheap, and they must not lag); the reconciled rest
  // is cached.
  const current = async () => {
    const [partialSyncs, sync, freshness, openFlags] = await Promise.all([
      accountPartialSyncs(ctx, {
        quickbooks: account.quickbooks_customer_id,
        stripe: account.stripe_customer_id,
        amplitude: account.amplitude_group_id,
      }),
      getSyncStatus({ ctx }),
      loadFreshness(ctx),
      loadOpenFlags(ctx, account.id),
    ]);
    return {
      account: {
        id: account.id,
        name: account.name,
        owner: account.owner_id
          ? { id: account.owner_id, name: account.owner_name ?? "", email: account.owner_email ?? "" }
          : null,
        links: {
          quickbooks: link(account.quickbooks_customer_id, "quickbooks"),
          stripe: link(account.stripe_customer_id, "stripe"),
          amplitude: link(account.amplitude_group_id, "amplitude"),
        },
      },
      sync,
      partialSync: partialSyncs.length > 0,
      partialSyncs,
      freshness,
      flags: openFlags.flags,
      openFlagCount: openFlags.openCount,
    } satisfies Partial<AccountDetail>;
  };
  // Every read below is independent of the others: they are sent together, so the page waits for the slowest
  // rather than for their sum.
  const fresh = current();
  // Handled where it is awaited; this keeps a failure that lands while the cache answers from counting as unhandled.
  fresh.catch(() => {});
  const cached = await ctx.accountCache?.get<ReconciledDetail>(t, accountId, today);
  if (cached) return { ...cached, ...(await fresh) };

  const summaryRead = queryRows<{
    status: string;
    headline: string;
    outlier: boolean;
    discrepancy_count: number;
    reconciled_at: Date;
  }>(
    db,
    sql`select status, headline, outlier, discrepancy_count, reconciled_at from account_summaries
        where tenant_id = ${t}::uuid and account_id = ${accountId}::uuid`,
  );
  const usageRead = queryRows<{
    metric: string;
    unit: string | null;
    period: string;
    quantity: string;
    mtd: string;
  }>(
    db,
    sql`select d.metric, m.unit, to_char(d.day, 'YYYY-MM') as period, trim_scale(sum(d.quantity))::text as quantity,
               trim_scale(sum(d.quantity) filter (where d.day >= date_trunc('month', ${today}::date) and d.day <= ${today}::date))::text as mtd
        from usage_daily d left join metrics m on m.tenant_id = d.tenant_id and m.key = d.metric
        where d.tenant_id = ${t}::uuid and d.group_id = ${account.amplitude_group_id ?? ""}
          and d.day > (${today}::date - interval '13 months')
        group by d.metric, m.unit, to_char(d.day, 'YYYY-MM') order by d.metric, period`,
  );
  const invoicesRead = queryRows<{
    source_id: string;
    number: string | null;
    issued_on: string;
    due_on: string | null;
    currency: string;
    total_minor: string;
    balance_minor: string;
    lines: Array<{
      item: string | null;
      metric: string | null;
      quantity: string | null;
      amount_minor: string;
      service_date: string | null;
    }>;
  }>(
    db,
    sql`select i.source_id, i.number, i.issued_on::text as issued_on, i.due_on::text as due_on, i.currency,
               i.total_minor::text as total_minor, i.balance_minor::text as balance_minor,
               coalesce((select json_agg(json_build_object('item', l.item_name, 'metric', im.metric, 'quantity', l.quantity::text,
                          'amount_minor', l.amount_minor::text, 'service_date', l.service_date::text) order by l.line_id)
                  from invoice_lines l
                  left join item_metrics im on im.tenant_id = l.tenant_id and im.quickbooks_item_id = l.item_id
                  where l.tenant_id = i.tenant_id and l.invoice_source_id = i.source_id), '[]') as lines
        from invoices i
        where i.tenant_id = ${t}::uuid and i.customer_source_id = ${account.quickbooks_customer_id ?? ""} and not i.deleted
        order by i.issued_on desc, i.source_id desc limit 24`,
  );

  const paymentsRead = queryRows<{
    source: string;
    source_id: string;
    status: string;
    amount_minor: string;
    refunded_minor: string;
    currency: string;
    failure_code: string | null;
    failure_message: string | null;
    disputed: boolean;
    source_created_at: Date;
    invoice_ids: string[] | null;
  }>(
    db,
    sql`select p.source, p.source_id, p.status, p.amount_minor::text as amount_minor, p.refunded_minor::text as refunded_minor,
               p.currency, p.failure_code, p.failure_message, p.disputed, p.source_created_at,
               (select array_agg(pa.invoice_source_id order by pa.invoice_source_id) from payment_allocations pa
                 where pa.tenant_id = p.tenant_id and pa.payment_source = p.source and pa.payment_source_id = p.source_id) as invoice_ids
        from payments p
        where p.tenant_id = ${t}::uuid and p.source = 'stripe' and p.customer_source_id = ${account.stripe_customer_id ?? ""}
        order by p.source_created_at desc limit 50`,
  );

  const resultsRead = queryRows<{
    period: string;
    status: string;
    explanation: string;
    details: unknown;
    computed_at: Date;
  }>(
    db,
    sql`select period, status, explanation, details, computed_at from reconciliation_results
        where tenant_id = ${t}::uuid and account_id = ${accountId}::uuid order by period desc limit 24`,
  );
  const [[summary], usageRows, invoiceRows, paymentRows, results, { discrepancies, timeline }, forecast] =
    await Promise.all([
      summaryRead,
      usageRead,
      invoicesRead,
      paymentsRead,
      resultsRead,
      loadAccountDiscrepancies(ctx.tenant, accountId),
      loadAccountForecast(ctx, account),
    ]);
  const usage = new Map<string, AccountDetail["usage"][number]>();
  for (const row of usageRows) {
    const entry = usage.get(row.metric) ?? {
      metric: row.metric,
      unit: row.unit ?? row.metric,
      monthToDate: "0",
      months: [],
    };
    entry.months.push({ period: row.period, quantity: row.quantity });
    if (row.mtd !== null) entry.monthToDate = row.mtd;
    usage.set(row.metric, entry);
  }

  const reconciled: ReconciledDetail = {
    status: summary
      ? {
          status: summary.status,
          headline: summary.headline,
          outlier: summary.outlier,
          discrepancyCount: summary.discrepancy_count,
          reconciledAt: new Date(summary.reconciled_at).toISOString(),
        }
      : null,
    usage: [...usage.values()],
    invoices: invoiceRows.map((i) => ({
      id: i.source_id,
      number: i.number,
      issuedOn: i.issued_on,
      dueOn: i.due_on,
      total: money(i.total_minor, i.currency),
      balance: money(i.balance_minor, i.currency),
      lines: i.lines.map((l) => ({
        item: l.item,
        metric: l.metric,
        quantity: l.quantity,
        amount: money(l.amount_minor, i.currency),
        serviceDate: l.service_date,
      })),
    })),
    payments: paymentRows.map((p) => ({
      id: p.source_id,
      source: p.source,
      status: p.status,
      amount: money(p.amount_minor, p.currency),
      refunded: money(p.refunded_minor, p.currency),
      failureCode: p.failure_code,
      failureMessage: p.failure_message,
      disputed: p.disputed,
      createdAt: new Date(p.source_created_at).toISOString(),
      invoiceIds: p.invoice_ids ?? [],
    })),
    reconciliation: results.map((r) => ({
      period: r.period,
      status: r.status,
      explanation: r.explanation,
      details: r.details,
      computedAt: new Date(r.computed_at).toISOString(),
    })),
    discrepancies,
    timeline,
    forecast,
  };
  await ctx.accountCache?.set(t, accountId, today, reconciled);
  return { ...reconciled, ...(await fresh) };
}
