// How fresh the stored data is per source: a source whose latest run failed or that needs reconnection is "down",
// and its last good data is served with a stale banner (more strongly past 24 hours), never blank rows.
import { queryRows, type SyncSource, syncSourceList } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";

/** Past this, stale data is called out as old, not just late (SPEC: last good data served up to 24 h). */
export const staleWarningMs = 24 * 3600_000;

export interface SourceFreshness {
  source: SyncSource;
  /** connected; down: its latest run failed; needs_reconnect: the provider revoked the grant. */
  state: "connected" | "down" | "needs_reconnect" | "not_connected";
  /** When its latest complete run finished: what is shown is at least this fresh. */
  lastGoodSyncAt: string | null;
  stale: boolean;
  /** Stale for more than 24 hours (or never synced completely). */
  staleOver24h: boolean;
}

export interface Freshness {
  sources: SourceFreshness[];
  /** Any source down: the answer is served from stored data with a stale banner. */
  stale: boolean;
  staleOver24h: boolean;
}

export async function loadFreshness(ctx: TenantContext): Promise<Freshness> {
  const t = ctx.tenant.tenantId;
  // Each subquery walks sync_runs_latest_idx backwards and stops at its first row: the table grows by a run per
  // source every 5 minutes, so nothing here may scan a source's whole history.
  const rows = await queryRows<{
    source: SyncSource;
    connection: "connected" | "needs_reconnect" | null;
    latest_status: string | null;
    last_good: Date | string | null;
  }>(
    ctx.tenant.db,
    sql`select s.source,
               (select status from source_connections c where c.tenant_id = ${t}::uuid and c.source = s.source) as connection,
               (select status from sync_runs r where r.tenant_id = ${t}::uuid and r.source = s.source and r.status <> 'running'
                 order by r.started_at desc limit 1) as latest_status,
               (select finished_at from sync_runs r where r.tenant_id = ${t}::uuid and r.source = s.source
                 and r.status = 'complete' order by r.started_at desc limit 1) as last_good
        from unnest(${`{${syncSourceList.join(",")}}`}::text[]) as s(source)
        order by s.source`,
  );
  const now = ctx.clock().getTime();
  const sources = rows.map((r): SourceFreshness => {
    const state =
      r.connection === null
        ? "not_connected"
        : r.connection === "needs_reconnect"
          ? "needs_reconnect"
          : r.latest_status === "failed"
            ? "down"
            : "connected";
    const lastGoodSyncAt = r.last_good ? new Date(r.last_good).toISOString() : null;
    const stale = state === "down" || state === "needs_reconnect";
    const age = lastGoodSyncAt === null ? Number.POSITIVE_INFINITY : now - Date.parse(lastGoodSyncAt);
    return { source: r.source, state, lastGoodSyncAt, stale, staleOver24h: stale && age > staleWarningMs };
  });
  return {
    sources,
    stale: sources.some((s) => s.stale),
    staleOver24h: sources.some((s) => s.staleOver24h),
  };
}
