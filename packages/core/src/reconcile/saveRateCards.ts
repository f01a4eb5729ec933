// Verb: store a tenant's rate cards (per QuickBooks customer, from a date), replacing what was there.
import { inTransaction, queryRows, upsertRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../context";
import { isoDate } from "../validation";

const decimal = z.string().regex(/^\d+(\.\d+)?$/, "a decimal such as 0.0004");

/** Ascending tiers; only the last may be open-ended (upTo null). */
const tiers = z
  .array(
    z.object({
      upTo: decimal.nullable(),
      unitPrice: decimal,
      flatFeeMinor: z.string().regex(/^\d+$/, "minor units").optional(),
    }),
  )
  .min(1)
  .refine((list) => list.every((tier, i) => (tier.upTo === null ? i === list.length - 1 : true)), {
    message: "only the last tier may have no upper bound",
  });

/** A flat unit price, or graduated / volume tiers: exactly one of the two. */
const metricPrice = z
  .object({
    key: z.string().min(1),
    includedUnits: decimal,
    unitPrice: decimal.optional(),
    pricing: z.object({ model: z.enum(["graduated", "volume"]), tiers }).optional(),
  })
  .refine((m) => (m.unitPrice === undefined) !== (m.pricing === undefined), {
    message: "give either unitPrice (flat) or pricing (tiers), not both",
  });

export const saveRateCardsInput = z.object({
  rateCards: z
    .array(
      z.object({
        quickbooksCustomerId: z.string().min(1),
        plan: z.string().min(1),
        currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD"),
        effectiveFrom: isoDate,
        baseFeeMinor: z.string().regex(/^\d+$/, "minor units"),
        minimumCommitMinor: z.string().regex(/^\d+$/, "minor units").default("0"),
        metrics: z.array(metricPrice),
      }),
    )
    .max(100_000),
});

const rateCardTable = {
  name: "rate_cards",
  columns: {
    quickbooks_customer_id: "text",
    effective_from: "date",
    plan: "text",
    currency: "char(3)",
    base_fee_minor: "bigint",
    minimum_commit_minor: "bigint",
    metrics: "jsonb",
  },
  key: ["tenant_id", "quickbooks_customer_id", "effective_from"],
};

/** Idempotent: the cards given are the tenant's cards afterwards. Returns how many were written or changed. */
export async function saveRateCards({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof saveRateCardsInput>;
}): Promise<number> {
  const { rateCards } = saveRateCardsInput.parse(input);
  return inTransaction(ctx.tenant, async (tx) => {
    const keep = JSON.stringify(rateCards.map((c) => ({ c: c.quickbooksCustomerId, d: c.effectiveFrom })));
    await queryRows(
      tx.db,
      sql`delete from rate_cards r where r.tenant_id = ${tx.tenantId}::uuid
            and (r.quickbooks_customer_id, r.effective_from) not in
                (select k.c, k.d from json_to_recordset(${keep}::json) as k(c text, d date))`,
    );
    return upsertRows(
      tx,
      rateCardTable,
      rateCards.map((c) => ({
        quickbooks_customer_id: c.quickbooksCustomerId,
        effective_from: c.effectiveFrom,
        plan: c.plan,
        currency: c.currency,
        base_fee_minor: c.baseFeeMinor,
        minimum_commit_minor: c.minimumCommitMinor,
        metrics: c.metrics,
      })),
    );
  });
}
