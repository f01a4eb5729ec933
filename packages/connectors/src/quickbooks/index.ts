// QuickBooks InvoiceSource: a resumable paged full sync of customers, invoices and payments, then ChangeDataCapture.
import type { z } from "zod";
import { invalidPayload } from "../errors";
import type { SourceCustomer, SourceInvoice, SourcePayment } from "../records";
import type { InvoiceSource, PullOptions, SyncBatch } from "../source";
import { createQuickBooksClient, type QboEntity, type QuickBooksClientConfig, qboEntities } from "./client";
import {
  mapQboCustomer,
  mapQboInvoice,
  mapQboPayment,
  qboCustomerSchema,
  qboInvoiceSchema,
  qboPaymentSchema,
} from "./map";

export type { QuickBooksTokens, StoredQuickBooksTokens, TokenLock } from "./client";

export interface QuickBooksSourceConfig extends QuickBooksClientConfig {
  /** The company's home currency, for entities without a CurrencyRef (multicurrency off). Default USD. */
  homeCurrency?: string;
  /** Rows per query page (QuickBooks allows up to 1000). */
  pageSize?: number;
}

/** `since` is when the full sync began (or the last CDC answer's server time): changes after it come from CDC. */
type QuickBooksCursor =
  | { phase: "full"; entity: QboEntity; start: number; since: string }
  | { phase: "cdc"; since: string };

/** CDC looks back at most 30 days; older cursors need a full sync. */
const cdcLookbackMs = 30 * 24 * 3600 * 1000;
/** Changes are asked for from a little before the cursor, for clock skew and commits in flight. */
const cdcOverlapMs = 5 * 60 * 1000;
/** CDC answers at most 1000 objects per entity: at that size the answer may be cut. */
const cdcLimit = 1000;

function parseCursor(text: string): QuickBooksCursor {
  try {
    const value = JSON.parse(text) as QuickBooksCursor;
    if (typeof value.since === "string" && !Number.isNaN(Date.parse(value.since))) return value;
  } catch {
    // fall through
  }
  throw invalidPayload("quickbooks", `unreadable QuickBooks cursor: ${text.slice(0, 80)}`);
}

const lastUpdated = (row: unknown): number => {
  const time = Date.parse((row as { MetaData?: { LastUpdatedTime?: string } } | null)?.MetaData?.LastUpdatedTime ?? "");
  return Number.isNaN(time) ? 0 : time;
};

function parseAll<S extends z.ZodType>(schema: S, rows: unknown[], what: string): Array<z.infer<S>> {
  return rows.map((row) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const id = (row as { Id?: unknown } | null)?.Id;
      throw invalidPayload(
        "quickbooks",
        `quickbooks: ${what} ${String(id)}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      );
    }
    return parsed.data;
  });
}

/** Customers, invoices (the invoice of record) and recorded payments from QuickBooks Online via node-quickbooks. */
export function createQuickBooksSource(config: QuickBooksSourceConfig): InvoiceSource {
  const client = createQuickBooksClient(config);
  const homeCurrency = (config.homeCurrency ?? "USD").toUpperCase();
  const pageSize = Math.min(config.pageSize ?? 1000, 1000);

  function records(entity: QboEntity, rows: unknown[]) {
    const customers: SourceCustomer[] = [];
    const invoices: SourceInvoice[] = [];
    const payments: SourcePayment[] = [];
    if (entity === "Customer") customers.push(...parseAll(qboCustomerSchema, rows, entity).map(mapQboCustomer));
    if (entity === "Invoice") {
      invoices.push(...parseAll(qboInvoiceSchema, rows, entity).map((row) => mapQboInvoice(row, homeCurrency)));
    }
    if (entity === "Payment") {
      payments.push(...parseAll(qboPaymentSchema, rows, entity).map((row) => mapQboPayment(row, homeCurrency)));
    }
    return { customers, invoices, payments, usage: [] };
  }

  async function* fullSync(from: QuickBooksCursor & { phase: "full" }): AsyncGenerator<SyncBatch, QuickBooksCursor> {
    const entityIndex = qboEntities.indexOf(from.entity);
    for (const entity of qboEntities.slice(entityIndex)) {
      let start = entity === from.entity ? from.start : 1;
      for (;;) {
        const page = await client.query(entity, start, pageSize);
        const done = page.rows.length < pageSize;
        const nextEntity = qboEntities[qboEntities.indexOf(entity) + 1];
        start += page.rows.length;
        const next: QuickBooksCursor = !done
          ? { phase: "full", entity, start, since: from.since }
          : nextEntity
            ? { phase: "full", entity: nextEntity, start: 1, since: from.since }
            : { phase: "cdc", since: from.since };
        const pageNumber = Math.ceil((start - 1) / pageSize) || 1;
        yield { ...records(entity, page.rows), cursor: JSON.stringify(next), label: `${entity} page ${pageNumber}` };
        if (done) break;
      }
    }
    return { phase: "cdc", since: from.since };
  }

  /**
   * ChangeDataCapture from `since`, one batch per answer. CDC answers at most 1000 objects per entity (the oldest
   * changes first): when an entity hits that, the batch's cursor stops at its newest LastUpdatedTime and we ask again
   * from there. Returns null when a full answer of one instant leaves no way forward (then only a full sync can help).
   */
  async function* changes(since: string, now: Date): AsyncGenerator<SyncBatch, QuickBooksCursor | null> {
    for (let from = since; ; ) {
      const changedSince = new Date(Date.parse(from) - cdcOverlapMs);
      const answer = await client.changeDataCapture(qboEntities, changedSince);
      const serverTime = answer.time && !Number.isNaN(Date.parse(answer.time)) ? answer.time : now.toISOString();
      const parts = qboEntities.map((entity) => records(entity, answer.byEntity[entity]));
      const cutAt = qboEntities
        .filter((entity) => answer.byEntity[entity].length >= cdcLimit)
        .map((entity) => Math.max(...answer.byEntity[entity].map(lastUpdated)));
      const next = cutAt.length > 0 ? new Date(Math.min(...cutAt)).toISOString() : new Date(serverTime).toISOString();
      if (cutAt.length > 0 && Date.parse(next) - cdcOverlapMs <= changedSince.getTime()) return null;
      yield {
        customers: parts.flatMap((part) => part.customers),
        invoices: parts.flatMap((part) => part.invoices),
        payments: parts.flatMap((part) => part.payments),
        usage: [],
        cursor: JSON.stringify({ phase: "cdc", since: next } satisfies QuickBooksCursor),
        label: `changes since ${changedSince.toISOString()}`,
      };
      if (cutAt.length === 0) return { phase: "cdc", since: next };
      from = next;
    }
  }

  async function* pull(cursorText: string | null, options: PullOptions): AsyncGenerator<SyncBatch> {
    let cursor = cursorText === null ? null : parseCursor(cursorText);
    const tooOld = (since: string) => Date.parse(since) - cdcOverlapMs < options.now.getTime() - cdcLookbackMs;
    if (cursor?.phase === "cdc" && tooOld(cursor.since)) cursor = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (cursor === null) cursor = { phase: "full", entity: "Customer", start: 1, since: options.now.toISOString() };
      if (cursor.phase === "full") cursor = yield* fullSync(cursor);
      const caughtUp = yield* changes(cursor.since, options.now);
      if (caughtUp !== null) return;
      // More than CDC's limit changed at one instant: list everything again (once per pull).
      cursor = null;
    }
  }

  return { source: "quickbooks", pull };
}
