// Where the sync path's time goes, on a sample of invoice batches: JS building JSON, commits, and a staging-COPY merge.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { SyncBatch } from "@reckon/connectors";
import {
  copyChunks,
  type DatabaseHandle,
  inTransaction,
  invoiceLineRows,
  invoiceRow,
  queryRows,
  type TenantScope,
  writeRecords,
} from "@reckon/db";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { type CopyTable, ceilingChunkChars, copyTables } from "./copy";
import type { TenantData } from "./generate";
import { round } from "./report";

type Records = Omit<SyncBatch, "cursor" | "label">;
const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

/** The JS half of writeRecords for an invoice batch: the sync's own row mapping and JSON strings (bulk.ts toJson). */
function buildJson(batch: Records): number {
  const invoices = batch.invoices.map(invoiceRow);
  const lines = invoiceLineRows(batch.invoices);
  const keep = JSON.stringify(lines.map((l) => [l.invoice_source_id, l.line_id]));
  const ids = JSON.stringify(batch.invoices.map((i) => i.sourceId));
  return json(invoices).length + json(lines).length + keep.length + ids.length;
}

const quoteList = (names: string[]) => names.map((n) => `"${n}"`).join(", ");

/** The alternative: COPY the batch into temp tables, then one INSERT ... SELECT ... ON CONFLICT per table. */
async function stagedWrite(client: postgres.Sql, tenantId: string, batch: Records): Promise<void> {
  const data: TenantData = {
    customers: [],
    invoices: batch.invoices,
    payments: [],
    usage: [],
    owners: [],
    lineCount: 0,
  };
  const [invoices, lines] = copyTables(data).slice(1, 3);
  const targets: Array<[CopyTable, string[]]> = [
    [invoices!, ["tenant_id", "source_id"]],
    [lines!, ["tenant_id", "invoice_source_id", "line_id"]],
  ];
  await client.begin(async (tx) => {
    for (const [spec, key] of targets) {
      const all = ["tenant_id", ...spec.columns];
      const data = spec.columns.filter((c) => !key.includes(c));
      await tx.unsafe(
        `create temp table if not exists "stage_${spec.table}" (like "${spec.table}" including defaults) on commit delete rows`,
      );
      const writable = await tx.unsafe(`copy "stage_${spec.table}" (${quoteList(all)}) from stdin`).writable();
      await pipeline(Readable.from(copyChunks(tenantId, spec.rows(), ceilingChunkChars)), writable);
      if (spec.table === "invoice_lines") {
        await tx.unsafe(
          `delete from invoice_lines l where l.tenant_id = $1::uuid
          and l.invoice_source_id in (select invoice_source_id from stage_invoice_lines)
          and not exists (select 1 from stage_invoice_lines s
                          where s.invoice_source_id = l.invoice_source_id and s.line_id = l.line_id)`,
          [tenantId],
        );
      }
      const touch = spec.table === "invoices" ? `, "synced_at" = now()` : "";
      await tx.unsafe(
        `insert into "${spec.table}" as t (${quoteList(all)}) select ${quoteList(all)} from "stage_${spec.table}"
         on conflict (${quoteList(key)}) do update set ${data.map((c) => `"${c}" = excluded."${c}"`).join(", ")}${touch}
         where (${data.map((c) => `t."${c}"`).join(", ")}) is distinct from (${data.map((c) => `excluded."${c}"`).join(", ")})`,
      );
    }
  });
}

export interface Profile {
  batches: number;
  rows: number;
  jsonMb: number;
  copyRowsPerSec: number;
  steps: ProfileStep[];
}

export interface ProfileStep {
  step: string;
  ms: number;
  rowsPerSec: number;
  perBatchMs: number;
}

/** Runs on the COPY database (its COPY is done): each step starts from empty invoice tables. */
export async function profileInvoices(
  handle: DatabaseHandle,
  scope: TenantScope,
  batches: Records[],
  copyRowsPerSec: number,
  checkpoint: () => Promise<void>,
): Promise<Profile> {
  const rows = batches.reduce((s, b) => s + b.invoices.length + b.invoices.reduce((n, i) => n + i.lines.length, 0), 0);
  const steps: ProfileStep[] = [];
  const step = async (name: string, work: (batch: Records) => Promise<unknown>) => {
    await queryRows(handle.db, sql`truncate invoices, invoice_lines`);
    await checkpoint();
    const started = performance.now();
    for (const batch of batches) await work(batch);
    const ms = performance.now() - started;
    steps.push({
      step: name,
      ms: round(ms),
      rowsPerSec: round((rows / ms) * 1000),
      perBatchMs: round(ms / batches.length),
    });
  };
  let bytes = 0;
  await step("JS only: map rows + JSON.stringify (no database)", async (b) => {
    bytes += buildJson(b);
  });
  await step("writeRecords, one transaction a batch (the sync path)", (b) =>
    inTransaction(scope, (tx) => writeRecords(tx, b)),
  );
  await step("same, synchronous_commit off in the transaction", (b) =>
    inTransaction(scope, async (tx) => {
      await queryRows(tx.db, sql`set local synchronous_commit = off`);
      return writeRecords(tx, b);
    }),
  );
  await step("same, 2 batches per transaction", async (b) => {
    const index = batches.indexOf(b);
    if (index % 2 === 1) return;
    const pair = [b, batches[index + 1]].filter((x): x is Records => x !== undefined);
    await inTransaction(scope, async (tx) => {
      for (const x of pair) await writeRecords(tx, x);
    });
  });
  await step("staging: COPY into temp tables + INSERT..SELECT ON CONFLICT", (b) =>
    stagedWrite(handle.postgres!, scope.tenantId, b),
  );
  return {
    batches: batches.length,
    rows,
    jsonMb: round(bytes / 2 ** 20),
    copyRowsPerSec: round(copyRowsPerSec),
    steps,
  };
}
