// Verb (admin): the tenant's reconciliation settings: threshold, currency, time zone, metrics with their QuickBooks
// items, and dated FX rates.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { authorize } from "../access/actor";
import type { TenantContext } from "../context";

export interface MetricSetting {
  key: string;
  unit: string;
  /** The Amplitude event type that measures it. */
  eventType: string;
  /** QuickBooks items whose invoice lines bill it. */
  quickbooksItemIds: string[];
}

export interface FxRateSetting {
  from: string;
  to: string;
  /** Units of `to` for one `from`, exact, without trailing zeros. */
  rate: string;
  effectiveOn: string;
}

export interface TenantSettings {
  thresholdBps: number;
  baseCurrency: string;
  timeZone: string;
  amplitudeGroupType: string;
  metrics: MetricSetting[];
  fxRates: FxRateSetting[];
}

export async function listMetricSettings(ctx: TenantContext): Promise<MetricSetting[]> {
  const rows = await queryRows<{ key: string; unit: string; event_type: string; item_ids: string[] }>(
    ctx.tenant.db,
    sql`select m.key, m.unit, m.event_type,
               coalesce(array_agg(im.quickbooks_item_id order by im.quickbooks_item_id)
                          filter (where im.quickbooks_item_id is not null), '{}') as item_ids
        from metrics m
        left join item_metrics im on im.tenant_id = m.tenant_id and im.metric = m.key
        where m.tenant_id = ${ctx.tenant.tenantId}::uuid
        group by m.key, m.unit, m.event_type
        order by m.key`,
  );
  return rows.map((r) => ({ key: r.key, unit: r.unit, eventType: r.event_type, quickbooksItemIds: r.item_ids }));
}

export async function listFxRateSettings(ctx: TenantContext): Promise<FxRateSetting[]> {
  const rows = await queryRows<{ from_currency: string; to_currency: string; rate: string; effective_on: string }>(
    ctx.tenant.db,
    sql`select from_currency, to_currency, trim_scale(rate)::text as rate, effective_on::text as effective_on
        from fx_rates where tenant_id = ${ctx.tenant.tenantId}::uuid
        order by from_currency, to_currency, effective_on`,
  );
  return rows.map((r) => ({
    from: r.from_currency.trim(),
    to: r.to_currency.trim(),
    rate: r.rate,
    effectiveOn: r.effective_on,
  }));
}

export async function getSettings({ ctx }: { ctx: TenantContext }): Promise<TenantSettings> {
  authorize(ctx.actor, "settings.manage");
  const [tenant] = await queryRows<{
    threshold_bps: number;
    base_currency: string;
    time_zone: string;
    amplitude_group_type: string;
  }>(
    ctx.tenant.db,
    sql`select threshold_bps, base_currency, time_zone, amplitude_group_type
        from tenants where id = ${ctx.tenant.tenantId}::uuid`,
  );
  if (!tenant) throw new Error(`tenant ${ctx.tenant.tenantId} does not exist`);
  return {
    thresholdBps: tenant.threshold_bps,
    baseCurrency: tenant.base_currency.trim(),
    timeZone: tenant.time_zone,
    amplitudeGroupType: tenant.amplitude_group_type,
    metrics: await listMetricSettings(ctx),
    fxRates: await listFxRateSettings(ctx),
  };
}
