// Invoices of record (QuickBooks) and their lines.
import { boolean, date, index, numeric, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { currency, instant, minor, quantity, tenantId } from "../columns";

export const invoices = pgTable(
  "invoices",
  {
    tenantId: tenantId(),
    /** QuickBooks Invoice.Id. */
    sourceId: text("source_id").notNull(),
    number: text("number"),
    customerSourceId: text("customer_source_id").notNull(),
    currency: currency().notNull(),
    totalMinor: minor("total_minor").notNull(),
    balanceMinor: minor("balance_minor").notNull(),
    issuedOn: date("issued_on", { mode: "string" }).notNull(),
    dueOn: date("due_on", { mode: "string" }),
    deleted: boolean("deleted").notNull().default(false),
    sourceUpdatedAt: instant("source_updated_at").notNull(),
    syncedAt: instant("synced_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "invoices_pkey", columns: [t.tenantId, t.sourceId] }),
    // An account's invoices, newest first (account detail, reconcile).
    index("invoices_customer_idx").on(t.tenantId, t.customerSourceId, t.issuedOn),
    // Payments name invoices by number.
    index("invoices_number_idx").on(t.tenantId, t.number),
  ],
);

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    tenantId: tenantId(),
    invoiceSourceId: text("invoice_source_id").notNull(),
    lineId: text("line_id").notNull(),
    itemId: text("item_id"),
    itemName: text("item_name"),
    description: text("description"),
    quantity: quantity("quantity"),
    /** As the source states it, in major units; may carry sub-cent precision. */
    unitPrice: numeric("unit_price", { precision: 24, scale: 10 }),
    amountMinor: minor("amount_minor").notNull(),
    serviceDate: date("service_date", { mode: "string" }),
  },
  (t) => [primaryKey({ name: "invoice_lines_pkey", columns: [t.tenantId, t.invoiceSourceId, t.lineId] })],
);
