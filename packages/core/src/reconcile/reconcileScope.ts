// Which accounts a reconciliation after a sync must recompute: only those whose inputs changed, unless something
// tenant-wide moved (a first sync, an incomplete sync, a new day that ages every invoice).
import { queryRows, type TenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { SourceSyncResult } from "../sync/runSourceSync";

/** The database's clock: rows' synced_at come from it, so "what changed since" must too. */
export async function databaseNow(tenant: TenantScope): Promise<Date> {
  const [row] = await queryRows<{ now: Date | string }>(tenant.db, sql`select now() as now`);
  return new Date(row!.now);
}

/** Accounts whose source customers, invoices, payments, usage or links changed at or after `since`. */
export async function changedAccounts(tenant: TenantScope, since: Date): Promise<string[]> {
  const t = tenant.tenantId;
  const at = since.toISOString();
  const rows = await queryRows<{ id: string }>(
    tenant.db,
    sql`select a.id from accounts a where a.tenant_id = ${t}::uuid and (
          a.updated_at >= ${at}::timestamptz
          or exists (select 1 from invoices i where i.tenant_id = a.tenant_id
                     and i.customer_source_id = a.quickbooks_customer_id and i.synced_at >= ${at}::timestamptz)
          or exists (select 1 from payments p where p.tenant_id = a.tenant_id
                     and p.customer_source_id in (a.stripe_customer_id, a.quickbooks_customer_id)
                     and p.synced_at >= ${at}::timestamptz)
          or exists (select 1 from usage_daily d where d.tenant_id = a.tenant_id
                     and d.group_id = a.amplitude_group_id and d.synced_at >= ${at}::timestamptz)
          or exists (select 1 from source_customers c where c.tenant_id = a.tenant_id
                     and c.account_id = a.id and c.synced_at >= ${at}::timestamptz))
        order by a.id`,
  );
  return rows.map((r) => r.id);
}

/**
 * All accounts (null) when a run was a full sync or did not complete (partial-sync findings touch every account),
 * when no reconciliation has happened yet today (days late and aging move with the date), or when nothing has been
 * reconciled yet; otherwise the accounts whose inputs changed since `since`.
 */
export async function reconcileScope(
  tenant: TenantScope,
  input: { since: Date; today: string; runs: SourceSyncResult[]; failed: boolean },
): Promise<string[] | null> {
  if (
    input.failed ||
    input.runs.some(
      (r) =>
        // A source waiting for reconnection asked nothing and changed nothing.
        r.status !== "needs_reconnect" &&
        (r.mode === "full" || (r.status !== "complete" && r.status !== "not_connected")),
    )
  ) {
    return null;
  }
  const [oldest] = await queryRows<{ oldest: string | null; previously_incomplete: boolean }>(
    tenant.db,
    sql`select (select min(reconciled_at)::text from account_summaries where tenant_id = ${tenant.tenantId}::uuid) as oldest,
               exists (select 1 from discrepancies where tenant_id = ${tenant.tenantId}::uuid
                       and kind = 'partial_sync' and resolved_at is null) as previously_incomplete`,
  );
  if (!oldest?.oldest || oldest.previously_incomplete) return null;
  if (new Date(oldest.oldest).toISOString().slice(0, 10) < input.today) return null;
  return changedAccounts(tenant, input.since);
}
