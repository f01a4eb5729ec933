// The backfill path (COPY) stores exactly what the upsert path stores, and falls back to it when a row exists.
import { randomUUID } from "node:crypto";
import type { SyncBatch } from "@reckon/connectors";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPglite, freshPostgres, postgresAvailable } from "../../test/harness";
import { type DatabaseHandle, queryRows } from "../client";
import { tenantScope } from "../scope";
import { backfill, storeSyncBatch } from "./syncBatch";

const updatedAt = new Date("2026-11-02T10:15:30.123Z");

/** Records with every awkward value COPY text must escape: tabs, newlines, backslashes, JSON, nulls, decimals. */
function records(ids: number[], lineCount = 2): SyncBatch {
  return {
    label: `batch ${ids.join(",")}`,
    cursor: `cursor-${ids.at(-1)}`,
    customers: ids.map((n) => ({
      source: "quickbooks" as const,
      sourceId: `c${n}`,
      name: `Tab\there, line\nbreak, back\\slash ${n}`,
      email: n % 2 ? `ap${n}@example.com` : null,
      metadata: { crm: `acct-${n}`, note: 'quote " and \\ and \t' },
      currency: n % 2 ? "USD" : null,
      deleted: n % 5 === 0,
      updatedAt,
    })),
    invoices: ids.map((n) => ({
      sourceId: `i${n}`,
      number: `INV-${n}`,
      customerSourceId: `c${n}`,
      currency: "EUR",
      totalMinor: 9_007_199_254_740_993n + BigInt(n),
      balanceMinor: BigInt(n),
      issuedOn: "2026-10-01",
      dueOn: n % 2 ? "2026-10-31" : null,
      deleted: false,
      updatedAt,
      lines: Array.from({ length: lineCount }, (_, l) => ({
        lineId: String(l + 1),
        itemId: l === 0 ? null : `item-${l}`,
        itemName: "API calls",
        description: `line ${l}\r\nsecond`,
        quantity: "1250.125",
        unitPrice: "0.0042",
        amountMinor: 525n,
        serviceDate: l === 0 ? null : "2026-10-15",
      })),
    })),
    payments: ids.map((n) => ({
      source: "stripe" as const,
      sourceId: `ch_${n}`,
      paymentIntentId: n % 2 ? `pi_${n}` : null,
      customerSourceId: `c${n}`,
      amountMinor: 1_000n * BigInt(n),
      refundedMinor: 0n,
      currency: "EUR",
      status: "failed" as const,
      failureCode: "card_declined",
      failureMessage: "Your card was declined.\tTry another.",
      disputed: false,
      references: [{ invoiceSourceId: `i${n}`, invoiceNumber: null, amountMinor: 500n }],
      createdAt: updatedAt,
      updatedAt,
    })),
    usage: ids.map((n) => ({
      groupId: `org-${n}`,
      metric: "api_calls",
      day: "2026-10-05",
      uploadedOn: "2026-10-06",
      quantity: "12.5",
      eventCount: n,
      duplicateEvents: 1,
      duplicateQuantity: "0.5",
      duplicateInsertIds: [`dup-${n}`],
    })),
  };
}

/** Every stored column but the write stamps, as text, in key order. */
async function contents(handle: DatabaseHandle) {
  const table = async (name: string, order: string) =>
    queryRows<Record<string, unknown>>(
      handle.db,
      sql.raw(
        `select to_jsonb(t) - 'id' - 'synced_at' - 'updated_at' - 'tenant_id' as row from "${name}" t order by ${order}`,
      ),
    );
  return {
    customers: await table("source_customers", "source_id"),
    invoices: await table("invoices", "source_id"),
    lines: await table("invoice_lines", "invoice_source_id, line_id"),
    payments: await table("payments", "source_id"),
    usage: await table("usage_daily", "group_id"),
    cursor: await table("sync_cursors", "source"),
  };
}

async function withTenant(handle: DatabaseHandle) {
  const tenantId = randomUUID();
  await queryRows(handle.db, sql`insert into tenants (id, slug, name) values (${tenantId}::uuid, ${tenantId}, 'Copy')`);
  return tenantScope(handle.db, tenantId);
}

const hasPostgres = await postgresAvailable();

const postgresSuite = hasPostgres ? "backfill on Postgres" : "backfill on Postgres (skipped: no PostgreSQL reachable)";

describe.skipIf(!hasPostgres)(postgresSuite, () => {
  let copied: DatabaseHandle;
  let upserted: DatabaseHandle;
  beforeAll(async () => {
    [copied, upserted] = await Promise.all([freshPostgres(), freshPostgres()]);
  });
  afterAll(async () => {
    await Promise.all([copied?.close(), upserted?.close()]);
  });

  it("COPYs new rows, storing exactly what upserting them stores", async () => {
    const [copyScope, upsertScope] = await Promise.all([withTenant(copied), withTenant(upserted)]);
    const fill = backfill();
    const batches = [records([1, 2, 3]), records([4, 5])];
    const copiedCounts = [];
    for (const batch of batches) copiedCounts.push(await storeSyncBatch(copyScope, "quickbooks", batch, fill));
    const upsertedCounts = [];
    for (const batch of batches) upsertedCounts.push(await storeSyncBatch(upsertScope, "quickbooks", batch));

    expect(fill.copying).toBe(true);
    expect(copiedCounts).toEqual(upsertedCounts);
    expect(copiedCounts[0]).toEqual({ customers: 3, invoices: 3, payments: 3, usage: 3 });
    const stored = await contents(copied);
    expect(stored).toEqual(await contents(upserted));
    expect(stored.lines).toHaveLength(10);
    expect(stored.customers[0]!.row).toMatchObject({ name: "Tab\there, line\nbreak, back\\slash 1" });
    expect(stored.invoices[0]!.row).toMatchObject({ total_minor: 9_007_199_254_740_994 });
    expect(stored.cursor[0]!.row).toMatchObject({ cursor: "cursor-5" });
  });

  it("meets a row already stored: that batch and the rest upsert, stale lines are dropped, nothing is doubled", async () => {
    const scope = await withTenant(copied);
    await storeSyncBatch(scope, "stripe", records([1, 2], 3));
    const fill = backfill();
    // Invoice i2 comes back with one line fewer; 6 is new.
    const stored = await storeSyncBatch(scope, "stripe", records([2, 6], 2), fill);
    expect(fill.copying).toBe(false);
    // Batch 2's rows are as stored before: only 6 counts as written.
    expect(stored).toEqual({ customers: 1, invoices: 1, payments: 1, usage: 1 });
    await storeSyncBatch(scope, "stripe", records([7]), fill);

    const lines = await queryRows<{ invoice_source_id: string; n: number }>(
      copied.db,
      sql`select invoice_source_id, count(*)::int as n from invoice_lines where tenant_id = ${scope.tenantId}::uuid
          group by invoice_source_id order by invoice_source_id`,
    );
    expect(lines).toEqual([
      { invoice_source_id: "i1", n: 3 },
      { invoice_source_id: "i2", n: 2 },
      { invoice_source_id: "i6", n: 2 },
      { invoice_source_id: "i7", n: 2 },
    ]);
    const [payments] = await queryRows<{ n: number; distinct: number }>(
      copied.db,
      sql`select count(*)::int as n, count(distinct source_id)::int as distinct from payments
          where tenant_id = ${scope.tenantId}::uuid`,
    );
    expect(payments).toEqual({ n: 4, distinct: 4 });
    const [cursor] = await queryRows<{ cursor: string }>(
      copied.db,
      sql`select cursor from sync_cursors where tenant_id = ${scope.tenantId}::uuid and source = 'stripe'`,
    );
    expect(cursor?.cursor).toBe("cursor-7");
  });
});

describe("backfill on PGlite", () => {
  it("has no COPY here, so it upserts from the first batch", async () => {
    const handle = await freshPglite();
    try {
      const scope = await withTenant(handle);
      const fill = backfill();
      const stored = await storeSyncBatch(scope, "quickbooks", records([1, 2]), fill);
      expect(fill.copying).toBe(false);
      expect(stored).toEqual({ customers: 2, invoices: 2, payments: 2, usage: 2 });
      expect((await contents(handle)).lines).toHaveLength(4);
    } finally {
      await handle.close();
    }
  });
});
