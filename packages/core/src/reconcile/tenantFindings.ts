// Findings that need more than one account's records: sources whose latest sync stopped part-way, and source
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

/** The latest finished run of each source, when it ended partial or failed. */
export async function incompleteSyncs(tenant: TenantScope): Promise<IncompleteSync[]> {
  const runs = await queryRows<{
    source: IncompleteSync["source"];
    status: string;
    started_at: Date | string;
    errors: Array<{ message: string }>;
  }>(
    tenant.db,
    sql`select distinct on (source) source, status, started_at, errors from sync_runs
        where tenant_id = ${tenant.tenantId}::uuid and status <> 'running'
        order by source, started_at desc, id`,
  );
  return runs
    .filter((r) => r.status === "partial" || r.status === "failed")
    .map((r) => ({
      source: r.source,
      status: r.status as IncompleteSync["status"],
      startedAt: new Date(r.started_at),
      error: r.errors[0]?.message ?? null,
    }));
}

/** A partial_sync for each incomplete source the account is linked in. */
export function partialSyncFindings(account: AccountRow, syncs: readonly IncompleteSync[]): Discrepancy[] {
  const idIn = {
    amplitude: account.amplitude_group_id ? sourceId.amplitudeGroup(account.amplitude_group_id) : null,
    quickbooks: account.quickbooks_customer_id ? sourceId.quickbooksCustomer(account.quickbooks_customer_id) : null,
    stripe: account.stripe_customer_id ? sourceId.stripe(account.stripe_customer_id) : null,
  };
  return syncs.flatMap((sync) => partialSyncFinding(sync, idIn[sync.source]) ?? []);
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
