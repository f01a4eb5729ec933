// The ceiling: the same rows the sync writes, streamed with COPY (text format) into a second, identical database.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { copyChunks } from "@reckon/db";
import type postgres from "postgres";
import type { TenantData } from "./generate";

type Value = string | number | bigint | boolean | null | object;

export interface CopyTable {
  table: string;
  columns: string[];
  rows: () => Iterable<Value[]>;
  count: number;
}

/** The rows of each table exactly as writeRecords maps them (same columns; tenant_id first, synced_at defaulted). */
export function copyTables(data: TenantData): CopyTable[] {
  return [
    {
      table: "source_customers",
      columns: ["source", "source_id", "name", "email", "metadata", "currency", "deleted", "source_updated_at"],
      count: data.customers.length,
      *rows() {
        for (const c of data.customers)
          yield [c.source, c.sourceId, c.name, c.email, c.metadata, c.currency, c.deleted, c.updatedAt];
      },
    },
    {
      table: "invoices",
      columns: [
        "source_id",
        "number",
        "customer_source_id",
        "currency",
        "total_minor",
        "balance_minor",
        "issued_on",
        "due_on",
        "deleted",
        "source_updated_at",
      ],
      count: data.invoices.length,
      *rows() {
        for (const i of data.invoices)
          yield [
            i.sourceId,
            i.number,
            i.customerSourceId,
            i.currency,
            i.totalMinor,
            i.balanceMinor,
            i.issuedOn,
            i.dueOn,
            i.deleted,
            i.updatedAt,
          ];
      },
    },
    {
      table: "invoice_lines",
      columns: [
        "invoice_source_id",
        "line_id",
        "item_id",
        "item_name",
        "description",
        "quantity",
        "unit_price",
        "amount_minor",
        "service_date",
      ],
      count: data.lineCount,
      *rows() {
        for (const i of data.invoices)
          for (const l of i.lines)
            yield [
              i.sourceId,
              l.lineId,
              l.itemId,
              l.itemName,
              l.description,
              l.quantity,
              l.unitPrice,
              l.amountMinor,
              l.serviceDate,
            ];
      },
    },
    {
      table: "payments",
      columns: [
        "source",
        "source_id",
        "payment_intent_id",
        "customer_source_id",
        "amount_minor",
        "refunded_minor",
        "currency",
        "status",
        "failure_code",
        "failure_message",
        "disputed",
        "references",
        "source_created_at",
        "source_updated_at",
      ],
      count: data.payments.length,
      *rows() {
        for (const p of data.payments)
          yield [
            p.source,
            p.sourceId,
            p.paymentIntentId,
            p.customerSourceId,
            p.amountMinor,
            p.refundedMinor,
            p.currency,
            p.status,
            p.failureCode,
            p.failureMessage,
            p.disputed,
            p.references.map((r) => ({
              invoiceSourceId: r.invoiceSourceId,
              invoiceNumber: r.invoiceNumber,
              amountMinor: r.amountMinor === null ? null : r.amountMinor.toString(),
            })),
            p.createdAt,
            p.updatedAt,
          ];
      },
    },
    {
      table: "usage_daily",
      columns: [
        "group_id",
        "metric",
        "day",
        "uploaded_on",
        "quantity",
        "event_count",
        "duplicate_events",
        "duplicate_quantity",
        "duplicate_insert_ids",
      ],
      count: data.usage.length,
      *rows() {
        for (const u of data.usage)
          yield [
            u.groupId,
            u.metric,
            u.day,
            u.uploadedOn,
            u.quantity,
            u.eventCount,
            u.duplicateEvents,
            u.duplicateQuantity,
            u.duplicateInsertIds,
          ];
      },
    },
  ];
}

/** The ceiling streams ~256 KB chunks. */
export const ceilingChunkChars = 262_144;

/** COPYs one table in one stream (its own implicit transaction); returns milliseconds, serialization included. */
export async function copyTable(client: postgres.Sql, tenantId: string, spec: CopyTable): Promise<number> {
  const started = performance.now();
  const columns = ["tenant_id", ...spec.columns].map((c) => `"${c}"`).join(", ");
  const writable = await client.unsafe(`copy "${spec.table}" (${columns}) from stdin`).writable();
  await pipeline(Readable.from(copyChunks(tenantId, spec.rows(), ceilingChunkChars)), writable);
  return performance.now() - started;
}
