// Sync bookkeeping: source connections, cursors, and a record of every run.
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { instant, tenantId } from "../columns";

export const syncSources = ["stripe", "quickbooks", "amplitude"] as const;
export type SyncSource = (typeof syncSources)[number];
export const syncRunStatuses = ["running", "complete", "partial", "failed"] as const;
export type SyncRunStatus = (typeof syncRunStatuses)[number];

/** Where a tenant's source lives and its credentials, sealed (AES-256-GCM, key from configuration). */
export const sourceConnections = pgTable(
  "source_connections",
  {
    tenantId: tenantId(),
    source: text("source", { enum: syncSources }).notNull(),
    /** Non-secret settings: base URLs, realm id, group type. */
    settings: jsonb("settings").$type<Record<string, string>>().notNull().default({}),
    /** Secrets (API keys, OAuth tokens) sealed with the configured key; never logged. */
    sealedSecrets: text("sealed_secrets").notNull(),
    status: text("status", { enum: ["connected", "needs_reconnect"] })
      .notNull()
      .default("connected"),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "source_connections_pkey", columns: [t.tenantId, t.source] })],
);

/** How far each source has been synced. Written in the same transaction as the data it covers. */
export const syncCursors = pgTable(
  "sync_cursors",
  {
    tenantId: tenantId(),
    source: text("source", { enum: syncSources }).notNull(),
    cursor: text("cursor").notNull(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "sync_cursors_pkey", columns: [t.tenantId, t.source] })],
);

export type SyncCounts = { customers: number; invoices: number; payments: number; usage: number; batches: number };

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId(),
    source: text("source", { enum: syncSources }).notNull(),
    mode: text("mode", { enum: ["full", "incremental"] }).notNull(),
    status: text("status", { enum: syncRunStatuses }).notNull(),
    counts: jsonb("counts").$type<SyncCounts>().notNull(),
    errors: jsonb("errors").$type<Array<{ kind: string; message: string }>>().notNull().default([]),
    /** Source customer ids (QuickBooks/Stripe customers, Amplitude groups) the run got records for. */
    touched: jsonb("touched").$type<string[]>().notNull().default([]),
    /** What a run that stopped early did not get, in words ("everything after Invoice page 2"). */
    missed: jsonb("missed").$type<string[]>().notNull().default([]),
    /** When an admin accepted a partial run's gap; its accounts come back to the forecast. */
    resolvedAt: instant("resolved_at"),
    resolvedBy: uuid("resolved_by"),
    durationMs: integer("duration_ms"),
    startedAt: instant("started_at").notNull(),
    finishedAt: instant("finished_at"),
  },
  (t) => [
    // Last run per source (sync status, account detail "last sync").
    index("sync_runs_latest_idx").on(t.tenantId, t.source, t.startedAt),
    // The unresolved partial runs every reconciliation reads for partial-sync findings: few rows among many runs.
    index("sync_runs_unresolved_partial_idx").on(t.tenantId).where(sql`status = 'partial' and resolved_at is null`),
  ],
);
