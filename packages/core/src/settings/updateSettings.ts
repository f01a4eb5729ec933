// Verb (admin): change the tolerance, base currency or time zone; a threshold change queues a reconciliation.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";
import { canonicalTimeZone, currencyCode, timeZoneName } from "./fields";
import { getSettings, type TenantSettings } from "./getSettings";
import { queueReconcile } from "./queueReconcile";

export const updateSettingsInput = z
  .object({
    /** Usage-to-invoice tolerance in basis points: 500 = 5%. */
    thresholdBps: z.number().int().min(0).max(10_000).optional(),
    baseCurrency: currencyCode.optional(),
    timeZone: timeZoneName.optional(),
  })
  .strict();
export type UpdateSettingsInput = z.input<typeof updateSettingsInput>;

type Editable = { thresholdBps: number; baseCurrency: string; timeZone: string };

export interface SettingsChange {
  settings: TenantSettings;
  /** The queued reconciliation, when the change moves reconciliation results. */
  reconcileJobId: string | null;
}

export async function updateSettings({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  jobs: JobRunner;
  input: UpdateSettingsInput;
}): Promise<SettingsChange> {
  authorize(ctx.actor, "settings.manage");
  const parsed = updateSettingsInput.parse(input);
  const wanted: Partial<Editable> = {
    ...(parsed.thresholdBps !== undefined ? { thresholdBps: parsed.thresholdBps } : {}),
    ...(parsed.baseCurrency ? { baseCurrency: parsed.baseCurrency } : {}),
    ...(parsed.timeZone ? { timeZone: canonicalTimeZone(parsed.timeZone) ?? parsed.timeZone } : {}),
  };
  const changed = await inTransaction(ctx.tenant, async (tx) => {
    const [row] = await queryRows<{ threshold_bps: number; base_currency: string; time_zone: string }>(
      tx.db,
      sql`select threshold_bps, base_currency, time_zone from tenants where id = ${tx.tenantId}::uuid for update`,
    );
    if (!row) throw new Error(`tenant ${tx.tenantId} does not exist`);
    const current: Editable = {
      thresholdBps: row.threshold_bps,
      baseCurrency: row.base_currency.trim(),
      timeZone: row.time_zone,
    };
    const fields = (Object.keys(wanted) as Array<keyof Editable>).filter((k) => wanted[k] !== current[k]);
    if (fields.length === 0) return [];
    const next = { ...current, ...wanted };
    await queryRows(
      tx.db,
      sql`update tenants set threshold_bps = ${next.thresholdBps}, base_currency = ${next.baseCurrency},
            time_zone = ${next.timeZone}
          where id = ${tx.tenantId}::uuid`,
    );
    await recordAudit(
      { ...ctx, tenant: tx },
      {
        action: "settings.updated",
        target: { type: "tenant", id: tx.tenantId },
        details: {
          before: Object.fromEntries(fields.map((k) => [k, current[k]])),
          after: Object.fromEntries(fields.map((k) => [k, next[k]])),
        },
      },
    );
    return fields;
  });
  const reconcileJobId = changed.includes("thresholdBps") ? await queueReconcile(ctx, jobs) : null;
  return { settings: await getSettings({ ctx }), reconcileJobId };
}
