// Verb: the portfolio's finance metrics (aging, DSO, CEI, MRR movements, billed vs collected, earned vs deferred),
// per currency and converted to the tenant's base currency with its dated FX rates.
import { queryRows } from "@reckon/db";
import {
  addDays,
  ageReceivables,
  ceiOfPeriod,
  convertToBase,
  dsoOfPeriod,
  earnedVsDeferred,
  type FxRate,
  mrrFromInvoices,
  mrrMovements,
  periodOfDay,
  receivablesForPeriod,
  revenueByMonth,
  shiftPeriod,
} from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { TenantContext } from "../context";
import { loadLedger } from "./loadLedger";
import { jsonSafe, portfolioScopeInput, scopedAccounts } from "./scope";

export const getPortfolioMetricsInput = portfolioScopeInput;

/** The tenant's base currency and dated FX rates. */
export async function loadCurrencySettings(ctx: TenantContext): Promise<{ base: string; rates: FxRate[] }> {
  const [tenant] = await queryRows<{ base_currency: string }>(
    ctx.tenant.db,
    sql`select base_currency from tenants where id = ${ctx.tenant.tenantId}::uuid`,
  );
  const rates = await queryRows<{ from_currency: string; to_currency: string; rate: string; effective_on: string }>(
    ctx.tenant.db,
    sql`select from_currency, to_currency, rate::text as rate, effective_on::text as effective_on
        from fx_rates where tenant_id = ${ctx.tenant.tenantId}::uuid`,
  );
  return {
    base: tenant?.base_currency.trim() ?? "USD",
    rates: rates.map((r) => ({
      from: r.from_currency.trim(),
      to: r.to_currency.trim(),
      rate: r.rate,
      effectiveOn: r.effective_on,
    })),
  };
}

export async function getPortfolioMetrics({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof getPortfolioMetricsInput>;
}) {
  const filters = getPortfolioMetricsInput.parse(input);
  const asOf = ctx.clock().toISOString().slice(0, 10);
  // Default window: the 90 days up to today, for DSO and CEI; MRR and revenue by month over the last 12 months.
  const to = filters.to ?? asOf;
  const from = filters.from ?? addDays(to, -89);
  const accounts = await scopedAccounts(ctx.tenant, ctx.actor, filters);
  const { invoices, applications } = await loadLedger(ctx.tenant, accounts);
  const { base, rates } = await loadCurrencySettings(ctx);
  const currencies = [...new Set(invoices.map((i) => i.currency))].sort();

  const aging = ageReceivables({ invoices, applications, asOf: to });
  const perCurrency = currencies.map((currency) => {
    const receivables = receivablesForPeriod({ invoices, applications, currency, from, to });
    return { currency, receivables, dso: dsoOfPeriod(receivables), cei: ceiOfPeriod(receivables) };
  });
  // MRR and revenue end at the last month billed in full: by default today's month is still in progress (its usage is
  // invoiced after it ends), so it would read as everything churned. An explicit `to` is taken as asked.
  const lastMonth = filters.to ? periodOfDay(to) : shiftPeriod(periodOfDay(to), -1);
  const mrr = mrrMovements({ entries: mrrFromInvoices(invoices), from: shiftPeriod(lastMonth, -11), to: lastMonth });
  const revenue = revenueByMonth({ invoices, applications, from: shiftPeriod(lastMonth, -11), to: lastMonth });
  const earned = earnedVsDeferred({ invoices, asOf: to });

  // Portfolio totals in the base currency, labelled as converted when any amount was in another currency.
  const openAr = convertToBase({
    amounts: aging.portfolio.map((t) => ({ minor: t.totalMinor, currency: t.currency, on: to })),
    base,
    rates,
  });
  const currentMrr = convertToBase({
    amounts: mrr.map((report) => ({ minor: report.months.at(-1)?.mrrMinor ?? 0n, currency: report.currency, on: to })),
    base,
    rates,
  });

  return jsonSafe({
    asOf,
    window: { from, to },
    accounts: accounts.length,
    baseCurrency: base,
    totals: { openReceivables: openAr, mrr: currentMrr },
    aging: { portfolio: aging.portfolio, credits: aging.credits.length, ignored: aging.ignored.length },
    receivables: perCurrency,
    mrr,
    revenue,
    earnedVsDeferred: { totals: earned.totals },
  }) as Record<string, unknown>;
}
