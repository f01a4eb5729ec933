// Verb: one account's usage projected to quarter end per metric, with its trend, band, backtest and usage alerts.
import { queryRows } from "@reckon/db";
import { backtestForecast, parseQuantity, projectToQuarterEnd, usageAlerts } from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";
import { jsonSafe } from "../metrics/scope";

export const getAccountForecastInput = z.object({ accountId: z.string().uuid("an account id (uuid)") });

/** Null when the account does not exist in this tenant or the actor may not see it. */
export async function getAccountForecast({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof getAccountForecastInput>;
}): Promise<Record<string, unknown> | null> {
  const { accountId } = getAccountForecastInput.parse(input);
  const t = ctx.tenant.tenantId;
  const [account] = await queryRows<{ amplitude_group_id: string | null; quickbooks_customer_id: string | null }>(
    ctx.tenant.db,
    sql`select amplitude_group_id, quickbooks_customer_id from accounts
        where tenant_id = ${t}::uuid and id = ${accountId}::uuid and ${visibleAccounts(ctx.actor, sql`owner_id`)}`,
  );
  if (!account) return null;
  return loadAccountForecast(ctx, { id: accountId, ...account });
}

/** The account's links, as the caller already read them (with the actor's visibility checked). */
export interface ForecastAccount {
  id: string;
  amplitude_group_id: string | null;
  quickbooks_customer_id: string | null;
}

/** The forecast of an account the caller has already found visible (account detail reads it once for both). */
export async function loadAccountForecast(
  ctx: TenantContext,
  account: ForecastAccount,
): Promise<Record<string, unknown>> {
  const t = ctx.tenant.tenantId;
  const accountId = account.id;
  const asOf = ctx.clock();
  const day = asOf.toISOString().slice(0, 10);
  // The three reads are independent: sent together.
  const [[card], rows, [{ partial_sync: partialSync } = { partial_sync: false }]] = await Promise.all([
    // The plan in effect today: its included units per month, three months a quarter, are the committed volume.
    queryRows<{ plan: string; metrics: Array<{ key: string; includedUnits: string }> }>(
      ctx.tenant.db,
      sql`select plan, metrics from rate_cards
          where tenant_id = ${t}::uuid and quickbooks_customer_id = ${account.quickbooks_customer_id ?? ""}
            and effective_from <= ${day}::date
          order by effective_from desc limit 1`,
    ),
    queryRows<{ metric: string; unit: string | null; day: string; quantity: string }>(
      ctx.tenant.db,
      sql`select d.metric, m.unit, d.day::text as day, sum(d.quantity)::text as quantity
          from usage_daily d left join metrics m on m.tenant_id = d.tenant_id and m.key = d.metric
          where d.tenant_id = ${t}::uuid and d.group_id = ${account.amplitude_group_id ?? ""}
            and d.day > (${day}::date - interval '2 years')
          group by d.metric, m.unit, d.day order by d.metric, d.day`,
    ),
    // This account's own open partial_sync only (discrepancies_account_idx), not the tenant's whole set.
    queryRows<{ partial_sync: boolean }>(
      ctx.tenant.db,
      sql`select exists (select 1 from discrepancies where tenant_id = ${t}::uuid and account_id = ${accountId}::uuid
                          and kind = 'partial_sync' and resolved_at is null) as partial_sync`,
    ),
  ]);
  const committedPerQuarter = new Map(
    (card?.metrics ?? []).map((m) => [m.key, parseQuantity(m.includedUnits) * 3n] as const),
  );
  const byMetric = new Map<string, { unit: string | null; series: Array<{ day: string; quantity: bigint }> }>();
  for (const row of rows) {
    const entry = byMetric.get(row.metric) ?? { unit: row.unit, series: [] };
    entry.series.push({ day: row.day, quantity: parseQuantity(row.quantity) });
    byMetric.set(row.metric, entry);
  }
  const metrics = [...byMetric].map(([metric, { unit, series }]) => {
    const projection = projectToQuarterEnd({ series, asOf });
    return {
      metric,
      unit,
      projection,
      backtest: backtestForecast({ series, asOf }),
      committed: committedPerQuarter.get(metric) ?? null,
      alerts: usageAlerts({
        metric,
        ...(unit ? { unit } : {}),
        series,
        asOf,
        committed: committedPerQuarter.get(metric) ?? null,
        projection,
      }),
    };
  });
  return jsonSafe({ accountId, asOf: asOf.toISOString(), plan: card?.plan ?? null, partialSync, metrics }) as Record<
    string,
    unknown
  >;
}
