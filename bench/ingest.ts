// The sync's own write path: writeRecords in 1,000-record batches, one transaction each, with 1 or N writers,
// as a first sync writes them (backfill: COPY) and as a re-sync would (upsert).
import type { SyncBatch } from "@reckon/connectors";
import { type Backfill, backfill, inTransaction, type TenantScope, writeRecords } from "@reckon/db";
import type { TenantData } from "./generate";
import { progress } from "./report";

type Records = Omit<SyncBatch, "cursor" | "label">;
export type Kind = "customers" | "invoices" | "payments" | "usage";
/** backfill: a first sync (no cursor), rows COPYed; upsert: the same rows through INSERT ... ON CONFLICT. */
export type WritePath = "backfill" | "upsert";

export interface KindBatches {
  kind: Kind;
  /** Rows the batches write, invoice lines included. */
  rows: number;
  records: number;
  batches: Records[];
}

export interface KindResult {
  kind: Kind;
  records: number;
  rows: number;
  ms: number;
  rowsPerSec: number;
  /** Batch latency: median and worst, ms. */
  batchP50Ms: number;
  batchMaxMs: number;
}

const empty = (): Records => ({ customers: [], invoices: [], payments: [], usage: [] });

function split<T>(kind: Kind, items: T[], size: number, put: (r: Records, part: T[]) => void, rows: number) {
  const batches: Records[] = [];
  for (let start = 0; start < items.length; start += size) {
    const records = empty();
    put(records, items.slice(start, start + size));
    batches.push(records);
  }
  return { kind, rows, records: items.length, batches };
}

/** Batches of `size` records per kind, in sync order: customers, invoices (with their lines), payments, usage. */
export function syncBatches(data: TenantData, size: number): KindBatches[] {
  return [
    split("customers", data.customers, size, (r, p) => r.customers.push(...p), data.customers.length),
    split("invoices", data.invoices, size, (r, p) => r.invoices.push(...p), data.invoices.length + data.lineCount),
    split("payments", data.payments, size, (r, p) => r.payments.push(...p), data.payments.length),
    split("usage", data.usage, size, (r, p) => r.usage.push(...p), data.usage.length),
  ];
}

/** Writes every batch of one kind through `writers` concurrent transactions; returns its timing. */
async function writeKind(
  scope: TenantScope,
  group: KindBatches,
  writers: number,
  fill: Backfill | undefined,
  label: string,
): Promise<KindResult> {
  const latencies: number[] = [];
  let next = 0;
  let done = 0;
  let lastReport = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < group.batches.length) {
      const batch = group.batches[next++]!;
      const t0 = performance.now();
      await inTransaction(scope, (tx) => writeRecords(tx, batch, fill));
      latencies.push(performance.now() - t0);
      done += batch.customers.length + batch.invoices.length + batch.payments.length + batch.usage.length;
      const now = performance.now();
      if (now - lastReport > 2_000 || done === group.records) {
        lastReport = now;
        progress(`${label} ${group.kind}`, done, group.records, (done / (now - started)) * 1000);
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, worker));
  const ms = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    kind: group.kind,
    records: group.records,
    rows: group.rows,
    ms,
    rowsPerSec: (group.rows / ms) * 1000,
    batchP50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
    batchMaxMs: latencies.at(-1) ?? 0,
  };
}

export async function ingestSync(
  scope: TenantScope,
  groups: KindBatches[],
  { path, writers }: { path: WritePath; writers: number },
  beforeKind: () => Promise<void>,
): Promise<KindResult[]> {
  const results: KindResult[] = [];
  // One backfill for the whole pass, as one sync run has (sync/runSourceSync.ts).
  const fill = path === "backfill" ? backfill() : undefined;
  for (const group of groups) {
    await beforeKind();
    results.push(await writeKind(scope, group, writers, fill, `${path} x${writers}`));
  }
  if (fill && !fill.copying) throw new Error("the backfill pass met rows already stored: it did not measure COPY");
  return results;
}
