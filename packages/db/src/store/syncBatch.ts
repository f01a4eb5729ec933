// Stores one sync batch: its records and the cursor that covers them, in a single transaction.
import type { SyncBatch } from "@reckon/connectors";
import { sql } from "drizzle-orm";
import { queryRows } from "../client";
import type { SyncSource } from "../schema";
import { inTransaction, type TenantScope } from "../scope";
import { type BulkRow, type BulkTable, copyNewRows, upsertRows } from "./bulk";

const customerTable: BulkTable = {
  name: "source_customers",
  columns: {
    source: "text",
    source_id: "text",
    name: "text",
    email: "text",
    metadata: "jsonb",
    currency: "char(3)",
    deleted: "boolean",
    source_updated_at: "timestamptz",
  },
  key: ["tenant_id", "source", "source_id"],
  touch: ["synced_at"],
};

const invoiceTable: BulkTable = {
  name: "invoices",
  columns: {
    source_id: "text",
    number: "text",
    customer_source_id: "text",
    currency: "char(3)",
    total_minor: "bigint",
    balance_minor: "bigint",
    issued_on: "date",
    due_on: "date",
    deleted: "boolean",
    source_updated_at: "timestamptz",
  },
  key: ["tenant_id", "source_id"],
  touch: ["synced_at"],
};

const lineTable: BulkTable = {
  name: "invoice_lines",
  columns: {
    invoice_source_id: "text",
    line_id: "text",
    item_id: "text",
    item_name: "text",
    description: "text",
    quantity: "numeric",
    unit_price: "numeric",
    amount_minor: "bigint",
    service_date: "date",
  },
  key: ["tenant_id", "invoice_source_id", "line_id"],
};

const paymentTable: BulkTable = {
  name: "payments",
  columns: {
    source: "text",
    source_id: "text",
    payment_intent_id: "text",
    customer_source_id: "text",
    amount_minor: "bigint",
    refunded_minor: "bigint",
    currency: "char(3)",
    status: "text",
    failure_code: "text",
    failure_message: "text",
    disputed: "boolean",
    references: "jsonb",
    source_created_at: "timestamptz",
    source_updated_at: "timestamptz",
  },
  key: ["tenant_id", "source", "source_id"],
  touch: ["synced_at"],
};

const usageTable: BulkTable = {
  name: "usage_daily",
  columns: {
    group_id: "text",
    metric: "text",
    day: "date",
    uploaded_on: "date",
    quantity: "numeric",
    event_count: "integer",
    duplicate_events: "integer",
    duplicate_quantity: "numeric",
    duplicate_insert_ids: "jsonb",
  },
  key: ["tenant_id", "group_id", "metric", "day", "uploaded_on"],
  touch: ["synced_at"],
};

export interface StoredCounts {
  customers: number;
  invoices: number;
  payments: number;
  usage: number;
}

/**
 * A full sync from no cursor: its rows are expected to be new, so they are COPYed (Postgres). The first row found
 * already there turns copying off for the rest of the run, and that batch and every later one upsert.
 * Its batches commit without waiting for the WAL flush (synchronous_commit off): a database crash can lose the last
 * few, but each batch and its cursor stand or fall together, so the next run fetches them again.
 */
export interface Backfill {
  copying: boolean;
}

export const backfill = (): Backfill => ({ copying: true });

/** Writes what changed in `batch` and advances the cursor, atomically. Returns rows inserted or changed. */
export async function storeSyncBatch(
  scope: TenantScope,
  source: SyncSource,
  batch: SyncBatch,
  fill?: Backfill,
): Promise<StoredCounts> {
  return inTransaction(scope, async (tx) => {
    const counts = await writeRecords(tx, batch, fill);
    await saveCursor(tx, source, batch.cursor);
    return counts;
  });
}

/** COPYs the rows while the backfill copies; a row already stored turns it off. Whether the rows were copied. */
async function copiedByBackfill(tx: TenantScope, table: BulkTable, rows: BulkRow[], fill?: Backfill) {
  if (!fill?.copying) return false;
  if (await copyNewRows(tx, table, rows)) return true;
  fill.copying = false;
  return false;
}

/** New rows are COPYed while the backfill copies; otherwise (and once a row exists) they are upserted. */
async function writeRows(tx: TenantScope, table: BulkTable, rows: BulkRow[], fill?: Backfill): Promise<number> {
  return (await copiedByBackfill(tx, table, rows, fill)) ? rows.length : upsertRows(tx, table, rows);
}

/** The records alone, without a cursor: the bench and the sync share this write path. */
export async function writeRecords(
  tx: TenantScope,
  batch: Omit<SyncBatch, "cursor" | "label">,
  fill?: Backfill,
): Promise<StoredCounts> {
  if (fill) await queryRows(tx.db, sql`set local synchronous_commit = off`);
  const customers = await writeRows(
    tx,
    customerTable,
    batch.customers.map((c) => ({
      source: c.source,
      source_id: c.sourceId,
      name: c.name,
      email: c.email,
      metadata: c.metadata,
      currency: c.currency,
      deleted: c.deleted,
      source_updated_at: c.updatedAt.toISOString(),
    })),
    fill,
  );
  const invoices = await writeRows(tx, invoiceTable, batch.invoices.map(invoiceRow), fill);
  // Still copying: the invoices were copied, so all new, with no stored lines to drop. Their lines are copied too.
  const lines = invoiceLineRows(batch.invoices);
  if (!(await copiedByBackfill(tx, lineTable, lines, fill))) await replaceInvoiceLines(tx, batch.invoices, lines);
  const payments = await writeRows(
    tx,
    paymentTable,
    batch.payments.map((p) => ({
      source: p.source,
      source_id: p.sourceId,
      payment_intent_id: p.paymentIntentId,
      customer_source_id: p.customerSourceId,
      amount_minor: p.amountMinor,
      refunded_minor: p.refundedMinor,
      currency: p.currency,
      status: p.status,
      failure_code: p.failureCode,
      failure_message: p.failureMessage,
      disputed: p.disputed,
      references: p.references.map((r) => ({
        invoiceSourceId: r.invoiceSourceId,
        invoiceNumber: r.invoiceNumber,
        amountMinor: r.amountMinor === null ? null : r.amountMinor.toString(),
      })),
      source_created_at: p.createdAt.toISOString(),
      source_updated_at: p.updatedAt.toISOString(),
    })),
    fill,
  );
  const usage = await writeRows(
    tx,
    usageTable,
    batch.usage.map((u) => ({
      group_id: u.groupId,
      metric: u.metric,
      day: u.day,
      uploaded_on: u.uploadedOn,
      quantity: u.quantity,
      event_count: u.eventCount,
      duplicate_events: u.duplicateEvents,
      duplicate_quantity: u.duplicateQuantity,
      duplicate_insert_ids: u.duplicateInsertIds,
    })),
    fill,
  );
  return { customers, invoices, payments, usage };
}

/** An invoice as its row in `invoices` (the bench measures this mapping too). */
export function invoiceRow(i: SyncBatch["invoices"][number]) {
  return {
    source_id: i.sourceId,
    number: i.number,
    customer_source_id: i.customerSourceId,
    currency: i.currency,
    total_minor: i.totalMinor,
    balance_minor: i.balanceMinor,
    issued_on: i.issuedOn,
    due_on: i.dueOn,
    deleted: i.deleted,
    source_updated_at: i.updatedAt.toISOString(),
  };
}

/** Every line of these invoices as its row in `invoice_lines`. */
export function invoiceLineRows(invoices: SyncBatch["invoices"]) {
  return invoices.flatMap((invoice) =>
    invoice.lines.map((line) => ({
      invoice_source_id: invoice.sourceId,
      line_id: line.lineId,
      item_id: line.itemId,
      item_name: line.itemName,
      description: line.description,
      quantity: line.quantity,
      unit_price: line.unitPrice,
      amount_minor: line.amountMinor,
      service_date: line.serviceDate,
    })),
  );
}

/** An invoice's lines are whatever the source says now: upsert them, drop the ones it no longer has. */
async function replaceInvoiceLines(
  tx: TenantScope,
  invoices: SyncBatch["invoices"],
  lines: ReturnType<typeof invoiceLineRows>,
): Promise<void> {
  if (invoices.length === 0) return;
  const keep = JSON.stringify(lines.map((l) => [l.invoice_source_id, l.line_id]));
  const ids = JSON.stringify(invoices.map((i) => i.sourceId));
  await queryRows(
    tx.db,
    sql`delete from invoice_lines l
        where l.tenant_id = ${tx.tenantId}::uuid
          and l.invoice_source_id in (select json_array_elements_text(${ids}::json))
          and not exists (
            select 1 from json_array_elements(${keep}::json) k
            where k->>0 = l.invoice_source_id and k->>1 = l.line_id)`,
  );
  await upsertRows(tx, lineTable, lines);
}

export async function saveCursor(tx: TenantScope, source: SyncSource, cursor: string): Promise<void> {
  await queryRows(
    tx.db,
    sql`insert into sync_cursors (tenant_id, source, cursor) values (${tx.tenantId}::uuid, ${source}, ${cursor})
        on conflict (tenant_id, source) do update set cursor = excluded.cursor, updated_at = now()
        where sync_cursors.cursor is distinct from excluded.cursor`,
  );
}
