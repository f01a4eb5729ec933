// Findings that need more than one account's records: sync runs that stopped part-way (until resolved), and source
// records no account links (unmapped Stripe customers and Amplitude groups).
import { queryRows, type TenantScope } from "@reckon/db";
import {
  type Discrepancy,
  type IncompleteSync,
  partialSyncFinding,
  sourceId,
  unmappedStripeCustomer,
  unmappedUsageGroup,
} from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import type { AccountRow } from "./loadAccountInputs";

/** The partial runs no admin has resolved, with the source customers each one got records for. */
export async function incompleteSyncs(tenant: TenantScope): Promise<IncompleteSync[]> {
  const runs = await queryRows<{
    source: IncompleteSync["source"];
    started_at: Date | string;
    errors: Array<{ message: string }>;
    touched: string[];
    missed: string[];
  }>(
    tenant.db,
    sql`select source, started_at, errors, touched, missed from sync_runs
        where tenant_id = ${tenant.tenantId}::uuid and status = 'partial' and resolved_at is null
        order by started_at, id`,
  );
  return runs.map((r) => ({
    source: r.source,
    status: "partial" as const,
    startedAt: new Date(r.started_at),
    error: r.errors[0]?.message ?? null,
    touched: new Set(r.touched),
    missed: r.missed,
  }));
}

/** A partial_sync for each source whose unresolved partial runs got records of the account. */
export function partialSyncFindings(account: AccountRow, syncs: readonly IncompleteSync[]): Discrepancy[] {
  const linked = [
    { source: "amplitude", id: account.amplitude_group_id, key: sourceId.amplitudeGroup },
    { source: "quickbooks", id: account.quickbooks_customer_id, key: sourceId.quickbooksCustomer },
    { source: "stripe", id: account.stripe_customer_id, key: sourceId.stripe },
  ] as const;
  return linked.flatMap(({ source, id, key }) => {
    if (id === null) return [];
    const runs = syncs.filter((sync) => sync.source === source && sync.touched.has(id));
    return partialSyncFinding(runs, key(id)) ?? [];
  });
}

/** Unmapped Stripe customers (with their charges) and Amplitude groups with usage that no account links. */
export async function unmappedFindings(tenant: TenantScope): Promise<Discrepancy[]> {
  const t = tenant.tenantId;
  const customers = await queryRows<{
    source_id: string;
    name: string;
    charges: Array<{ id: string; net: string; currency: string }> | null;
  }>(
    tenant.db,
    sql`select sc.source_id, sc.name,
               (select json_agg(json_build_object('id', p.source_id, 'net', (p.amount_minor - p.refunded_minor)::text,
                                                  'currency', p.currency) order by p.source_id)
                from payments p where p.tenant_id = sc.tenant_id and p.source = 'stripe'
                  and p.customer_source_id = sc.source_id and p.status in ('succeeded', 'refunded', 'disputed')) as charges
        from source_customers sc
        where sc.tenant_id = ${t}::uuid and sc.source = 'stripe' and not sc.deleted and sc.account_id is null`,
  );
  const groups = await queryRows<{ group_id: string; latest: string; events: number }>(
    tenant.db,
    sql`select u.group_id, to_char(max(u.day), 'YYYY-MM') as latest, sum(u.event_count)::int as events
        from usage_daily u
        where u.tenant_id = ${t}::uuid
          and not exists (select 1 from accounts a where a.tenant_id = u.tenant_id and a.amplitude_group_id = u.group_id)
        group by u.group_id`,
  );
  return [
    ...customers.map((c) =>
      unmappedStripeCustomer({
        id: c.source_id,
        name: c.name,
        charges: (c.charges ?? []).map((ch) => ({ id: ch.id, netMinor: BigInt(ch.net), currency: ch.currency.trim() })),
      }),
    ),
    ...groups.map((g) => unmappedUsageGroup({ groupId: g.group_id, latestPeriod: g.latest, eventCount: g.events })),
  ];
}
