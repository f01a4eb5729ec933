// Usage: the metrics a tenant bills, which QuickBooks items carry them, and daily usage per Amplitude group.
import { sql } from "drizzle-orm";
import { date, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant, quantity, tenantId } from "../columns";

export const metrics = pgTable(
  "metrics",
  {
    tenantId: tenantId(),
    key: text("key").notNull(),
    unit: text("unit").notNull(),
    /** The Amplitude event type whose events measure this metric. */
    eventType: text("event_type").notNull(),
  },
  (t) => [primaryKey({ name: "metrics_pkey", columns: [t.tenantId, t.key] })],
);

/** Item-to-metric mapping: which QuickBooks item bills which metric. */
export const itemMetrics = pgTable(
  "item_metrics",
  {
    tenantId: tenantId(),
    quickbooksItemId: text("quickbooks_item_id").notNull(),
    metric: text("metric").notNull(),
  },
  (t) => [primaryKey({ name: "item_metrics_pkey", columns: [t.tenantId, t.quickbooksItemId] })],
);

/**
 * One metric, one group, one UTC event day, as uploaded on one UTC day (usage uploaded after its period was invoiced
 * is late usage). Keyed by the source's group id so unmapped usage is kept too.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    tenantId: tenantId(),
    groupId: text("group_id").notNull(),
    metric: text("metric").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    uploadedOn: date("uploaded_on", { mode: "string" }).notNull(),
    quantity: quantity("quantity").notNull(),
    eventCount: integer("event_count").notNull(),
    duplicateEvents: integer("duplicate_events").notNull().default(0),
    /** What the dropped repeats would have added, and (up to 100 of) their insert ids. */
    duplicateQuantity: quantity("duplicate_quantity").notNull().default(sql`0`),
    duplicateInsertIds: jsonb("duplicate_insert_ids").$type<string[]>().notNull().default([]),
    syncedAt: instant("synced_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "usage_daily_pkey", columns: [t.tenantId, t.groupId, t.metric, t.day, t.uploadedOn] }),
    // Month-to-date and per-period sums across all groups of a tenant.
    index("usage_daily_tenant_day_idx").on(t.tenantId, t.day),
  ],
);
