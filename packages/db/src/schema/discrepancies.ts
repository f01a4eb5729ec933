// Discrepancies found by reconciliation, one row per finding and sighting: open until reconciliation stops finding it.
import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { currency, instant, minor, tenantId } from "../columns";
import { accounts } from "./accounts";

/** Kinds and severities as packages/reconcile/src/discrepancies/README.md defines them. */
export const discrepancySeverities = ["info", "warning", "critical"] as const;

export const discrepancies = pgTable(
  "discrepancies",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId(),
    /** Null for account-less findings (unmapped records). */
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    severity: text("severity", { enum: discrepancySeverities }).notNull(),
    period: text("period"), // YYYY-MM
    amountMinor: minor("amount_minor"),
    currency: currency(),
    /** Ids it rests on, in the manifest's notation (qbo:Invoice:<Id>, ch_..., amplitude:group:<id>). */
    sourceIds: jsonb("source_ids").$type<string[]>().notNull(),
    explanation: text("explanation").notNull(),
    /** kind | period | sorted source ids: the same finding on every run. */
    fingerprint: text("fingerprint").notNull(),
    firstSeenAt: instant("first_seen_at").notNull(),
    lastSeenAt: instant("last_seen_at").notNull(),
    /** When reconciliation stopped finding it; null while open. */
    resolvedAt: instant("resolved_at"),
  },
  (t) => [
    // At most one open row per finding: reconciliation touches it instead of inserting again.
    uniqueIndex("discrepancies_open_key").on(t.tenantId, t.fingerprint).where(sql`${t.resolvedAt} is null`),
    // An account's discrepancies and timeline, newest first.
    index("discrepancies_account_idx").on(t.tenantId, t.accountId, t.firstSeenAt),
  ],
);
