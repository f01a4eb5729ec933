// Verb: the totals row under the portfolio grid: what the filters select (every page, not just this one), per
// currency and converted to the tenant's base currency with its dated FX rates, labelled when converted.
import { queryRows } from "@reckon/db";
import { type ConvertedTotal, convertToBase, type FxRate } from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { TenantContext } from "../context";
import { loadCurrencySettings } from "../metrics/getPortfolioMetrics";
import { type MoneyJson, money } from "../money";
import { checkPortfolioFilters, portfolioConditions, portfolioFilterFields } from "./listPortfolio";

export const portfolioTotalsInput = portfolioFilterFields.superRefine(checkPortfolioFilters);

/** A sum in the base currency: `converted` when any part was in another currency, with the rates' dates in `label`. */
export interface BaseTotal {
  total: MoneyJson;
  converted: boolean;
  /** "in USD", or "converted to USD at rates of 2026-11-30; 1 amount in JPY left out (no usable rate to USD)". */
  label: string;
  /** False when some currency had no usable rate (those amounts are left out of `total`, and `label` says so). */
  complete: boolean;
}

export interface PortfolioTotals {
  accounts: number;
  baseCurrency: string;
  /** The day the rates are looked up for (today in UTC). */
  asOf: string;
  byCurrency: Array<{
    currency: string;
    accounts: number;
    invoiced: MoneyJson;
    outstanding: MoneyJson;
    overdue: MoneyJson;
  }>;
  /** Latest invoices, outstanding and overdue balances, each in the base currency. */
  invoiced: BaseTotal;
  outstanding: BaseTotal;
  overdue: BaseTotal;
}

type TotalsRow = { currency: string; accounts: number; invoiced: string; outstanding: string; overdue: string };

export async function getPortfolioTotals({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof portfolioTotalsInput>;
}): Promise<PortfolioTotals> {
  const filters = portfolioTotalsInput.parse(input);
  const conditions = portfolioConditions(ctx, filters);
  // One pass over the summaries, grouped by currency: an account's balances are in its summary currency, its latest
  // invoice in that invoice's own (they differ only for an account billed in two currencies).
  const rows = await queryRows<TotalsRow>(
    ctx.tenant.db,
    sql`with selected as (select * from account_summaries s where ${sql.join(conditions, sql` and `)}),
        amounts as (
          select summary_currency as currency, 0::bigint as invoiced, outstanding_minor as outstanding,
                 overdue_minor as overdue, account_id
          from selected where summary_currency is not null
          union all
          select latest_invoice_currency, latest_invoice_total_minor, 0, 0, account_id
          from selected where latest_invoice_currency is not null and latest_invoice_total_minor is not null)
        select trim(currency) as currency, count(distinct account_id)::int as accounts,
               sum(invoiced)::text as invoiced, sum(outstanding)::text as outstanding, sum(overdue)::text as overdue
        from amounts group by 1
        union all
        select '', count(*)::int, '0', '0', '0' from selected
        order by 1`,
  );
  const [all, ...perCurrency] = rows;
  const { base, rates } = await loadCurrencySettings(ctx);
  const asOf = ctx.clock().toISOString().slice(0, 10);
  const inBase = (pick: (row: TotalsRow) => string) => baseTotal(perCurrency, pick, base, rates, asOf);
  return {
    accounts: all?.accounts ?? 0,
    baseCurrency: base,
    asOf,
    byCurrency: perCurrency.map((r) => ({
      currency: r.currency,
      accounts: r.accounts,
      invoiced: money(r.invoiced, r.currency),
      outstanding: money(r.outstanding, r.currency),
      overdue: money(r.overdue, r.currency),
    })),
    invoiced: inBase((r) => r.invoiced),
    outstanding: inBase((r) => r.outstanding),
    overdue: inBase((r) => r.overdue),
  };
}

function baseTotal(
  rows: TotalsRow[],
  pick: (row: TotalsRow) => string,
  base: string,
  rates: FxRate[],
  on: string,
): BaseTotal {
  const converted: ConvertedTotal = convertToBase({
    amounts: rows.map((r) => ({ minor: BigInt(pick(r)), currency: r.currency, on })),
    base,
    rates,
  });
  return {
    total: money(converted.totalMinor, base),
    converted: converted.converted,
    label: converted.label,
    complete: converted.complete,
  };
}
