// Payments (Stripe charges, QuickBooks payments) and their allocations to invoices.
import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { currency, instant, minor, tenantId } from "../columns";

export const paymentStatuses = ["succeeded", "failed", "pending", "refunded", "disputed"] as const;

/** Invoice references a payment carries, JSON-safe (amounts as strings of minor units). */
export type StoredReference = {
  invoiceSourceId: string | null;
  invoiceNumber: string | null;
  amountMinor: string | null;
};

export const payments = pgTable(
  "payments",
  {
    tenantId: tenantId(),
    source: text("source", { enum: ["stripe", "quickbooks"] }).notNull(),
    sourceId: text("source_id").notNull(),
    paymentIntentId: text("payment_intent_id"),
    customerSourceId: text("customer_source_id"),
    amountMinor: minor("amount_minor").notNull(),
    refundedMinor: minor("refunded_minor").notNull().default(sql`0`),
    currency: currency().notNull(),
    status: text("status", { enum: paymentStatuses }).notNull(),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
    disputed: boolean("disputed").notNull().default(false),
    references: jsonb("references").$type<StoredReference[]>().notNull().default([]),
    sourceCreatedAt: instant("source_created_at").notNull(),
    sourceUpdatedAt: instant("source_updated_at").notNull(),
    syncedAt: instant("synced_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "payments_pkey", columns: [t.tenantId, t.source, t.sourceId] }),
    // An account's payments, newest first.
    index("payments_customer_idx").on(t.tenantId, t.customerSourceId, t.sourceCreatedAt),
  ],
);

/** Which payment paid which invoice, and how we know (an explicit reference, or a customer + amount match). */
export const paymentAllocations = pgTable(
  "payment_allocations",
  {
    tenantId: tenantId(),
    /** The account whose reconciliation made it: allocations are replaced per account. */
    accountId: uuid("account_id").notNull(),
    paymentSource: text("payment_source").notNull(),
    paymentSourceId: text("payment_source_id").notNull(),
    invoiceSourceId: text("invoice_source_id").notNull(),
    amountMinor: minor("amount_minor").notNull(),
    method: text("method", { enum: ["reference", "match"] }).notNull(),
    computedAt: instant("computed_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      name: "payment_allocations_pkey",
      columns: [t.tenantId, t.paymentSource, t.paymentSourceId, t.invoiceSourceId],
    }),
    // An invoice's payments.
    index("payment_allocations_invoice_idx").on(t.tenantId, t.invoiceSourceId),
    // Replaced as a whole when an account is reconciled again.
    index("payment_allocations_account_idx").on(t.tenantId, t.accountId),
  ],
);
