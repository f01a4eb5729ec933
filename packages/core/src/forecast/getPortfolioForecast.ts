// Verb: revenue projected to quarter end per account and for the portfolio, in the tenant's base currency,
// leaving out accounts whose data is incomplete (a partial sync) until it is resolved.
import { queryRows } from "@reckon/db";
import {
  type BilledMonth,
  convertAmount,
  forecastPortfolio,
  projectRevenue,
  type RevenueProjection,
} from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../context";
import { loadCurrencySettings } from "../metrics/getPortfolioMetrics";
import { loadLedger } from "../metrics/loadLedger";
import { datesInOrder, jsonSafe, portfolioScopeFields, type ScopedAccount, scopedAccounts } from "../metrics/scope";

export const getPortfolioForecastInput = portfolioScopeFields
  .extend({ limit: z.coerce.number().int().min(1).max(500).default(50) })
  .strict()
  .refine(datesInOrder, { message: "from must not be after to", path: ["from"] });

/** Accounts with an open partial-sync finding: their numbers are incomplete. */
export async function partialSyncAccounts(ctx: TenantContext): Promise<Set<string>> {
  const rows = await queryRows<{ account_id: string }>(
    ctx.tenant.db,
    sql`select distinct account_id from discrepancies
        where tenant_id = ${ctx.tenant.tenantId}::uuid and kind = 'partial_sync' and resolved_at is null
          and account_id is not null`,
  );
  return new Set(rows.map((r) => r.account_id));
}

export async function getPortfolioForecast({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof getPortfolioForecastInput>;
}) {
  const { limit, ...filters } = getPortfolioForecastInput.parse(input);
  const asOf = ctx.clock();
  const accounts = await scopedAccounts(ctx.tenant, ctx.actor, filters);
  const { base, projections, unconverted } = await projectAccountRevenue(ctx, accounts);
  const quarter = projections[0]?.projection.quarter;
  const portfolio = quarter ? forecastPortfolio({ quarter, currency: base, accounts: projections }) : null;
  const top = [...projections]
    .sort((a, b) =>
      b.projection.projectedTotal > a.projection.projectedTotal
        ? 1
        : b.projection.projectedTotal < a.projection.projectedTotal
          ? -1
          : 0,
    )
    .slice(0, limit)
    .map(({ accountId, name, partialSync, projection }) => ({
      accountId,
      name,
      partialSync,
      quarter: projection.quarter,
      toDate: projection.toDate,
      projectedTotal: projection.projectedTotal,
      band: projection.band,
      confidence: projection.confidence,
    }));
  return jsonSafe({
    asOf: asOf.toISOString(),
    currency: base,
    portfolio,
    accounts: top,
    missingFxRate: [...unconverted],
  }) as Record<string, unknown>;
}

export interface AccountRevenueProjection {
  accountId: string;
  name: string;
  /** An open partial sync: its numbers are incomplete, and the portfolio total leaves it out until resolved. */
  partialSync: boolean;
  projection: RevenueProjection;
}

/**
 * Each account's revenue projected to quarter end in the tenant's base currency, from what it was billed per service
 * month (converted at the rate of each invoice's issue day). An account with an invoice no rate converts is left out
 * and listed in `unconverted`. The portfolio forecast and the CRM write-back share it.
 */
export async function projectAccountRevenue(
  ctx: TenantContext,
  accounts: readonly ScopedAccount[],
): Promise<{ base: string; projections: AccountRevenueProjection[]; unconverted: Set<string> }> {
  const asOf = ctx.clock();
  const { invoices } = await loadLedger(ctx.tenant, accounts);
  const { base, rates } = await loadCurrencySettings(ctx);
  const partial = await partialSyncAccounts(ctx);

  // Billed per account and service month, converted to the base currency at the rate of the invoice's issue day.
  const billed = new Map<string, BilledMonth[]>();
  const unconverted = new Set<string>();
  const accountOfCustomer = new Map(accounts.map((a) => [a.quickbooksCustomerId, a.id]));
  for (const invoice of invoices) {
    const accountId = accountOfCustomer.get(invoice.customerId);
    if (!accountId) continue;
    const converted = convertAmount(
      { minor: invoice.totalMinor, currency: invoice.currency, on: invoice.issuedOn },
      base,
      rates,
    );
    if (!converted.ok) {
      unconverted.add(accountId);
      continue;
    }
    const months = billed.get(accountId) ?? [];
    months.push({
      period: (invoice.servicePeriod?.from ?? invoice.issuedOn).slice(0, 7),
      amountMinor: converted.minor,
    });
    billed.set(accountId, months);
  }
  const projections = accounts
    .filter((a) => !unconverted.has(a.id))
    .map((a) => ({
      accountId: a.id,
      name: a.name,
      partialSync: partial.has(a.id),
      projection: projectRevenue({ months: billed.get(a.id) ?? [], currency: base, asOf }) as RevenueProjection,
    }));
  return { base, projections, unconverted };
}
