// Verb (admin): remove one dated FX rate; conversions fall back to the rate before it.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";
import { isoDate } from "../validation";
import { currencyCode } from "./fields";
import { queueReconcile } from "./queueReconcile";

export const fxRateKeyInput = z.object({ from: currencyCode, to: currencyCode, effectiveOn: isoDate }).strict();
export type FxRateKeyInput = z.input<typeof fxRateKeyInput>;

export type FxRateDeletion = { ok: true; reconcileJobId: string } | { ok: false; reason: "not_found" };

export async function deleteFxRate({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  jobs: JobRunner;
  input: FxRateKeyInput;
}): Promise<FxRateDeletion> {
  authorize(ctx.actor, "settings.manage");
  const { from, to, effectiveOn } = fxRateKeyInput.parse(input);
  const deleted = await inTransaction(ctx.tenant, async (tx) => {
    const [row] = await queryRows<{ rate: string }>(
      tx.db,
      sql`delete from fx_rates
          where tenant_id = ${tx.tenantId}::uuid and from_currency = ${from} and to_currency = ${to}
            and effective_on = ${effectiveOn}::date
          returning trim_scale(rate)::text as rate`,
    );
    if (!row) return false;
    await recordAudit(
      { ...ctx, tenant: tx },
      { action: "fx_rates.updated", details: { deleted: [{ from, to, effectiveOn, rate: row.rate }] } },
    );
    return true;
  });
  if (!deleted) return { ok: false, reason: "not_found" };
  return { ok: true, reconcileJobId: await queueReconcile(ctx, jobs) };
}
