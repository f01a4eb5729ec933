// Rate cards per QuickBooks customer (the account's plan from a date): base fee, included units and unit prices.
import { date, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { currency, minor, tenantId } from "../columns";

/** Per metric: included units and unit price (major units), both decimal strings. */
export type RateCardMetrics = Array<{ key: string; includedUnits: string; unitPrice: string }>;

export const rateCards = pgTable(
  "rate_cards",
  {
    tenantId: tenantId(),
    quickbooksCustomerId: text("quickbooks_customer_id").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    plan: text("plan").notNull(),
    currency: currency().notNull(),
    baseFeeMinor: minor("base_fee_minor").notNull(),
    metrics: jsonb("metrics").$type<RateCardMetrics>().notNull(),
  },
  (t) => [primaryKey({ name: "rate_cards_pkey", columns: [t.tenantId, t.quickbooksCustomerId, t.effectiveFrom] })],
);
