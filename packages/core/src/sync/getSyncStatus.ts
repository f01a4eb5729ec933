// Verb: per source, its connection state (and what to do when it needs a person), its last run, its last error, how far
// its cursor has come and its next run.
import { queryRows, type SyncSource, syncSourceList } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs/runner";

const sourceNames: Record<SyncSource, string> = { stripe: "Stripe", quickbooks: "QuickBooks", amplitude: "Amplitude" };

export interface SourceStatus {
  source: SyncSource;
  /** Credentials are stored (true even when the provider has since revoked them: see `connection`). */
  connected: boolean;
  /**
   * needs_reconnect: the provider refused the grant (QuickBooks invalid_grant). Syncs skip the source, asking nothing of
   * the provider, until an admin connects it again; the data already synced stays and is served as it stands.
   */
  connection: "connected" | "needs_reconnect" | "not_connected";
  /** What a person must do for the source to sync again, in words for them; null when nothing is needed. */
  action: string | null;
  lastRun: {
    id: string;
    mode: string;
    status: string;
    counts: Record<string, number>;
    errors: Array<{ kind: string; message: string }>;
    startedAt: string;
    finishedAt: string | null;
  } | null;
  cursorUpdatedAt: string | null;
  /** The newest run that recorded an error (it may be older than a later clean run), for "what went wrong last". */
  lastError: { runId: string; at: string; kind: string; message: string } | null;
  /**
   * When the tenant's scheduled sync runs next (it syncs every source); null without a schedule or runner, and for a
   * source it would skip (not connected, or waiting to be reconnected).
   */
  nextRunAt: string | null;
}

/** The key the 5-minute sync schedule is registered under (apps/api/src/runtime.ts), one per tenant. */
export const tenantSyncScheduleKey = (tenantId: string) => `sync.tenant:${tenantId}`;

export async function getSyncStatus({
  ctx,
  jobs,
}: {
  ctx: TenantContext;
  /** Where the schedule lives; without it nextRunAt is null. */
  jobs?: Pick<JobRunner, "nextRun">;
}): Promise<SourceStatus[]> {
  const t = ctx.tenant.tenantId;
  // How far back "last error" looks: bounded, so a source that never failed does not scan its whole run history.
  const errorsSince = new Date(ctx.clock().getTime() - 7 * 24 * 3600_000).toISOString();
  const nextRun = (await jobs?.nextRun?.(tenantSyncScheduleKey(t)).catch(() => null)) ?? null;
  const rows = await queryRows<{
    source: SyncSource;
    connection: "connected" | "needs_reconnect" | null;
    id: string | null;
    mode: string | null;
    status: string | null;
    counts: Record<string, number> | null;
    errors: Array<{ kind: string; message: string }> | null;
    started_at: Date | null;
    finished_at: Date | null;
    cursor_updated_at: Date | null;
    error_run_id: string | null;
    error_at: Date | null;
    error: { kind: string; message: string } | null;
  }>(
    ctx.tenant.db,
    sql`select s.source,
               (select status from source_connections c where c.tenant_id = ${t}::uuid and c.source = s.source) as connection,
               r.id, r.mode, r.status, r.counts, r.errors, r.started_at, r.finished_at,
               e.error_run_id, e.error_at, e.error,
               (select updated_at from sync_cursors k where k.tenant_id = ${t}::uuid and k.source = s.source) as cursor_updated_at
        from unnest(${`{${syncSourceList.join(",")}}`}::text[]) as s(source)
        left join lateral (
          select * from sync_runs r where r.tenant_id = ${t}::uuid and r.source = s.source
          order by r.started_at desc limit 1) r on true
        left join lateral (
          select e.id as error_run_id, coalesce(e.finished_at, e.started_at) as error_at, e.errors -> 0 as error
          from sync_runs e where e.tenant_id = ${t}::uuid and e.source = s.source and jsonb_array_length(e.errors) > 0
            and e.started_at > ${errorsSince}::timestamptz
          order by e.started_at desc limit 1) e on true
        order by s.source`,
  );
  return rows.map((r) => ({
    source: r.source,
    connected: r.connection !== null,
    connection: r.connection ?? "not_connected",
    action:
      r.connection === "needs_reconnect"
        ? `Reconnect ${sourceNames[r.source]} in Settings: ${sourceNames[r.source]} revoked Reckon's access, so it is not synced until then.`
        : null,
    lastRun:
      r.id && r.started_at
        ? {
            id: r.id,
            mode: r.mode ?? "full",
            status: r.status ?? "running",
            counts: r.counts ?? {},
            errors: r.errors ?? [],
            startedAt: new Date(r.started_at).toISOString(),
            finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
          }
        : null,
    cursorUpdatedAt: r.cursor_updated_at ? new Date(r.cursor_updated_at).toISOString() : null,
    lastError:
      r.error_run_id && r.error_at && r.error
        ? {
            runId: r.error_run_id,
            at: new Date(r.error_at).toISOString(),
            kind: String(r.error.kind),
            message: String(r.error.message),
          }
        : null,
    nextRunAt: r.connection === "connected" && nextRun ? nextRun.toISOString() : null,
  }));
}
