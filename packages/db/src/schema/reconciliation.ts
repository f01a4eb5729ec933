// Reconciliation results per account and period, and the account summary the portfolio grid reads.
import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { currency, instant, minor, quantity, tenantId } from "../columns";
import { accounts } from "./accounts";

export const periodStatuses = ["matched", "discrepancy", "in_progress"] as const;
export const accountStatuses = ["ok", "attention", "at_risk"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

/** One account, one billing month: what was metered, billed and paid, and a sentence saying how they compare. */
export const reconciliationResults = pgTable(
  "reconciliation_results",
  {
    tenantId: tenantId(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    period: text("period").notNull(), // YYYY-MM
    status: text("status", { enum: periodStatuses }).notNull(),
    explanation: text("explanation").notNull(),
    /** The full result as packages/reconcile computed it (metric and invoice lines), JSON-safe. */
    details: jsonb("details").notNull(),
    computedAt: instant("computed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "reconciliation_results_pkey", columns: [t.tenantId, t.accountId, t.period] })],
);

/** One row per account, rebuilt by reconciliation: the portfolio grid reads only this (fast at 12,000 accounts). */
export const accountSummaries = pgTable(
  "account_summaries",
  {
    tenantId: tenantId(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    accountName: text("account_name").notNull(),
    ownerId: uuid("owner_id"),
    ownerName: text("owner_name"),
    status: text("status", { enum: accountStatuses }).notNull(),
    /** Headline metric month-to-date. */
    usageMetric: text("usage_metric"),
    usageUnit: text("usage_unit"),
    usageMtd: quantity("usage_mtd"),
    latestInvoiceNumber: text("latest_invoice_number"),
    latestInvoiceTotalMinor: minor("latest_invoice_total_minor"),
    latestInvoiceCurrency: currency("latest_invoice_currency"),
    latestInvoiceDueOn: date("latest_invoice_due_on", { mode: "string" }),
    /** Payment state of the latest invoice: paid, partial, unpaid, overdue, failed, ... */
    paymentStatus: text("payment_status"),
    outstandingMinor: minor("outstanding_minor").notNull().default(sql`0`),
    overdueMinor: minor("overdue_minor").notNull().default(sql`0`),
    summaryCurrency: currency("summary_currency"),
    maxDaysLate: integer("max_days_late").notNull().default(0),
    discrepancyCount: integer("discrepancy_count").notNull().default(0),
    /** Beyond the tenant threshold somewhere: shown in red. */
    outlier: boolean("outlier").notNull().default(false),
    /** An open partial_sync: its numbers may be incomplete, so forecasts leave it out until a complete sync. */
    forecastExcluded: boolean("forecast_excluded").notNull().default(false),
    headline: text("headline").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    reconciledAt: instant("reconciled_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "account_summaries_pkey", columns: [t.tenantId, t.accountId] }),
    // Portfolio page: an owner's accounts by name (the default sort and the cursor).
    index("account_summaries_owner_name_idx").on(t.tenantId, t.ownerId, sql`lower(${t.accountName})`, t.accountId),
    // Portfolio page for all accounts by name (finance, admin): the grid sorts case-insensitively.
    index("account_summaries_name_idx").on(t.tenantId, sql`lower(${t.accountName})`, t.accountId),
    // Status filter ("show me what is overdue").
    index("account_summaries_status_idx").on(t.tenantId, t.status, t.accountName),
  ],
);
