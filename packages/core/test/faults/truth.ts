// Ground truth for the fault suite: what a tenant's database holds after a faulted sync, compared record by record
// with the sandbox's generated sources and with a clean run of the same scenario.
import { queryRows } from "@reckon/db";
import type { Scenario } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../../src/context";

type Rows = Map<string, string[]>;

/** Every stored source record by its identity, each with its content (minus sync bookkeeping), and the cursors. */
export interface Stored {
  customers: Rows;
  invoices: Rows;
  payments: Rows;
  /** Per group, metric, event day and upload day: "eventCount|quantity"; its duplicates counted apart. */
  usage: Rows;
  duplicateEvents: number;
  cursors: Record<string, string>;
  runs: Array<{ source: string; status: string; errors: Array<{ kind: string }> }>;
}

const group = (rows: Array<{ key: string; content: string }>): Rows => {
  const byKey: Rows = new Map();
  for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.content]);
  return byKey;
};

export async function readStored(ctx: TenantContext): Promise<Stored> {
  const db = ctx.tenant.db;
  const t = ctx.tenant.tenantId;
  // Contents leave out synced_at and account ids (uuids differ between tenants).
  const customers = await queryRows<{ key: string; content: string }>(
    db,
    sql`select source || ':' || source_id as key,
               concat_ws('|', name, email, metadata::text, currency, deleted, source_updated_at) as content
        from source_customers where tenant_id = ${t}::uuid`,
  );
  const invoices = await queryRows<{ key: string; content: string }>(
    db,
    sql`select source_id as key, concat_ws('|', number, customer_source_id, currency, total_minor, balance_minor,
               issued_on, due_on, deleted, source_updated_at) as content
        from invoices where tenant_id = ${t}::uuid`,
  );
  const payments = await queryRows<{ key: string; content: string }>(
    db,
    sql`select source || ':' || source_id as key, concat_ws('|', payment_intent_id, customer_source_id, amount_minor,
               refunded_minor, currency, status, failure_code, disputed, "references"::text, source_created_at,
               source_updated_at) as content
        from payments where tenant_id = ${t}::uuid`,
  );
  const usage = await queryRows<{ key: string; content: string; duplicates: number }>(
    db,
    sql`select concat_ws('|', group_id, metric, day, uploaded_on) as key, event_count || '|' || quantity as content,
               duplicate_events as duplicates
        from usage_daily where tenant_id = ${t}::uuid`,
  );
  const cursors = await queryRows<{ source: string; cursor: string }>(
    db,
    sql`select source, cursor from sync_cursors where tenant_id = ${t}::uuid`,
  );
  const runs = await queryRows<Stored["runs"][number]>(
    db,
    sql`select source, status, errors from sync_runs where tenant_id = ${t}::uuid`,
  );
  return {
    customers: group(customers),
    invoices: group(invoices),
    payments: group(payments),
    usage: group(usage),
    duplicateEvents: usage.reduce((sum, row) => sum + row.duplicates, 0),
    cursors: Object.fromEntries(cursors.map((c) => [c.source, c.cursor])),
    runs,
  };
}

/** The identities the sandbox serves: what a sync must store, each exactly once. */
export function sourceIdentities(scenario: Scenario) {
  const live = <T extends { status?: string }>(list: readonly T[]) => list.filter((e) => e.status !== "Deleted");
  return {
    customers: [
      ...scenario.stripe.customers.map((c) => `stripe:${c.id}`),
      ...live(scenario.quickbooks.customers).map((c) => `quickbooks:${c.Id}`),
    ],
    invoices: live(scenario.quickbooks.invoices).map((i) => i.Id),
    payments: [
      ...scenario.stripe.charges.map((c) => `stripe:${c.id}`),
      ...live(scenario.quickbooks.payments).map((p) => `quickbooks:${p.Id}`),
    ],
  };
}

/** A clean run, and the cursors one more quiet scheduled round leaves (Stripe's moves to an hour before now). */
export type CleanRun = Stored & { settledCursors: Record<string, string> };

export interface Comparison {
  /** Source records compared: customers, invoices, payments and usage events. */
  records: number;
  lost: string[];
  duplicated: string[];
  /** Present once but not as a clean run left it (a stale or half-applied update). */
  differing: string[];
  cursors: string[];
}

/** Counts events of a usage row ("eventCount|quantity"). */
const events = (content: string | undefined) => Number(content?.split("|")[0] ?? 0);

/**
 * Lost: a sandbox record not stored (usage: events short of the clean run's count). Duplicated: stored more than once,
 * stored without being a source record, or usage counted twice. Cursors must equal the clean run's, or those of the
 * clean run plus one quiet round; QuickBooks' cursor is the server's clock at its last change-data-capture, so only
 * its phase is compared.
 */
export function compare(scenario: Scenario, clean: CleanRun, got: Stored): Comparison {
  const result: Comparison = { records: 0, lost: [], duplicated: [], differing: [], cursors: [] };
  const expected = sourceIdentities(scenario);
  for (const kind of ["customers", "invoices", "payments"] as const) {
    const wanted = new Set(expected[kind]);
    result.records += wanted.size;
    for (const key of wanted) {
      const stored = got[kind].get(key) ?? [];
      if (stored.length === 0) result.lost.push(`${kind} ${key}`);
      if (stored.length > 1) result.duplicated.push(`${kind} ${key} x${stored.length}`);
      if (stored.length === 1 && stored[0] !== clean[kind].get(key)?.[0]) {
        result.differing.push(`${kind} ${key}: ${stored[0]} (clean: ${clean[kind].get(key)?.[0]})`);
      }
    }
    for (const key of got[kind].keys()) if (!wanted.has(key)) result.duplicated.push(`${kind} ${key} not in source`);
  }
  for (const [key, [content]] of clean.usage) {
    result.records += events(content);
    const stored = got.usage.get(key)?.[0];
    const short = events(content) - events(stored);
    if (short > 0) result.lost.push(`usage ${key}: ${short} events`);
    if (short < 0) result.duplicated.push(`usage ${key}: ${-short} events counted twice`);
    if (short === 0 && stored !== content) result.differing.push(`usage ${key}: ${stored} (clean: ${content})`);
  }
  for (const key of got.usage.keys()) if (!clean.usage.has(key)) result.duplicated.push(`usage ${key} not in source`);
  if (got.duplicateEvents !== clean.duplicateEvents) {
    result.differing.push(`duplicate events ${got.duplicateEvents} (clean: ${clean.duplicateEvents})`);
  }
  for (const [source, cursor] of Object.entries(clean.cursors)) {
    const mine = got.cursors[source];
    const settled = clean.settledCursors[source];
    const same =
      source === "quickbooks"
        ? mine !== undefined && JSON.parse(mine).phase === JSON.parse(cursor).phase
        : mine === cursor || mine === settled;
    if (!same) result.cursors.push(`${source}: ${mine ?? "none"} (clean: ${cursor}, or ${settled})`);
  }
  return result;
}

/** Usage events a clean run must have read: those uploaded up to the day the Amplitude cursor stands at. */
export function uploadedEvents(scenario: Scenario, amplitudeCursor: string): number {
  const { day } = JSON.parse(amplitudeCursor) as { day: string };
  return scenario.amplitude.events.filter((e) => e.server_upload_time.slice(0, 10) <= day).length;
}
