// Rate cards per QuickBooks customer (the account's plan from a date): base fee, included units and unit prices.
import { sql } from "drizzle-orm";
import { date, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { currency, minor, tenantId } from "../columns";

/** Tiers of a graduated or volume price: up to a quantity (null: no upper bound), at a unit price, plus a flat fee. */
export type StoredTier = { upTo: string | null; unitPrice: string; flatFeeMinor?: string };

/**
 * Per metric: included units and either a flat unit price or tiers (major units, decimal strings). A flat price is
 * `unitPrice`; tiered pricing is `pricing: { model: "graduated" | "volume", tiers }`.
 */
export type RateCardMetrics = Array<{
  key: string;
  includedUnits: string;
  unitPrice?: string;
  pricing?: { model: "graduated" | "volume"; tiers: StoredTier[] };
}>;

export const rateCards = pgTable(
  "rate_cards",
  {
    tenantId: tenantId(),
    quickbooksCustomerId: text("quickbooks_customer_id").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    plan: text("plan").notNull(),
    currency: currency().notNull(),
    baseFeeMinor: minor("base_fee_minor").notNull(),
    /** Minimum monthly commitment: a top-up line when usage and fees come to less. 0 = none. */
    minimumCommitMinor: minor("minimum_commit_minor").notNull().default(sql`0`),
    metrics: jsonb("metrics").$type<RateCardMetrics>().notNull(),
  },
  (t) => [primaryKey({ name: "rate_cards_pkey", columns: [t.tenantId, t.quickbooksCustomerId, t.effectiveFrom] })],
);
