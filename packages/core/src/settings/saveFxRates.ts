// Verb (admin): set dated FX rates; each (from, to, day) is inserted or its rate replaced, other rates stay.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";
import { isoDate } from "../validation";
import { currencyCode, fxRateValue } from "./fields";
import { type FxRateSetting, listFxRateSettings } from "./getSettings";
import { queueReconcile } from "./queueReconcile";

export const fxRateInput = z
  .object({ from: currencyCode, to: currencyCode, rate: fxRateValue, effectiveOn: isoDate })
  .strict()
  .refine((r) => r.from !== r.to, { message: "from and to must be different currencies", path: ["to"] });

export const saveFxRatesInput = z
  .object({ rates: z.array(fxRateInput).min(1).max(1000) })
  .strict()
  .superRefine(({ rates }, check) => {
    const seen = new Set<string>();
    rates.forEach((r, index) => {
      const key = `${r.from}/${r.to}/${r.effectiveOn}`;
      if (seen.has(key)) {
        check.addIssue({ code: "custom", path: ["rates", index], message: `${key} appears more than once` });
      }
      seen.add(key);
    });
  });
export type SaveFxRatesInput = z.input<typeof saveFxRatesInput>;

export interface FxRatesChange {
  fxRates: FxRateSetting[];
  reconcileJobId: string | null;
}

export async function saveFxRates({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  jobs: JobRunner;
  input: SaveFxRatesInput;
}): Promise<FxRatesChange> {
  authorize(ctx.actor, "settings.manage");
  const { rates } = saveFxRatesInput.parse(input);
  const rows = JSON.stringify(
    rates.map((r) => ({ from_currency: r.from, to_currency: r.to, effective_on: r.effectiveOn, rate: r.rate })),
  );
  const changed = await inTransaction(ctx.tenant, async (tx) => {
    // Compared as numbers, so "1.50" over a stored 1.5 is no change and writes nothing.
    const changes = await queryRows<{
      from_currency: string;
      to_currency: string;
      effective_on: string;
      rate: string;
      previous: string | null;
    }>(
      tx.db,
      sql`select r.from_currency, r.to_currency, r.effective_on::text as effective_on,
                 trim_scale(r.rate)::text as rate, trim_scale(f.rate)::text as previous
          from json_to_recordset(${rows}::json) as r(from_currency text, to_currency text, effective_on date, rate numeric)
          left join fx_rates f on f.tenant_id = ${tx.tenantId}::uuid and f.from_currency = r.from_currency
            and f.to_currency = r.to_currency and f.effective_on = r.effective_on
          where f.rate is distinct from r.rate
          order by 1, 2, 3`,
    );
    if (changes.length === 0) return [];
    await queryRows(
      tx.db,
      sql`insert into fx_rates (tenant_id, from_currency, to_currency, effective_on, rate, updated_at)
          select ${tx.tenantId}::uuid, r.from_currency, r.to_currency, r.effective_on, r.rate, ${ctx.clock().toISOString()}::timestamptz
          from json_to_recordset(${JSON.stringify(changes)}::json)
            as r(from_currency text, to_currency text, effective_on date, rate numeric)
          on conflict (tenant_id, from_currency, to_currency, effective_on)
            do update set rate = excluded.rate, updated_at = excluded.updated_at`,
    );
    const set = changes.map((c) => ({
      from: c.from_currency,
      to: c.to_currency,
      effectiveOn: c.effective_on,
      rate: c.rate,
      previous: c.previous,
    }));
    await recordAudit({ ...ctx, tenant: tx }, { action: "fx_rates.updated", details: { set } });
    return set;
  });
  const reconcileJobId = changed.length > 0 ? await queueReconcile(ctx, jobs) : null;
  return { fxRates: await listFxRateSettings(ctx), reconcileJobId };
}
