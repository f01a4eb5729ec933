// Verb: per source, whether it is connected, its last run and how far its cursor has come.
import { queryRows, type SyncSource, syncSourceList } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";

export interface SourceStatus {
  source: SyncSource;
  connected: boolean;
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
}

export async function getSyncStatus({ ctx }: { ctx: TenantContext }): Promise<SourceStatus[]> {
  const t = ctx.tenant.tenantId;
  const rows = await queryRows<{
    source: SyncSource;
    connected: boolean;
    id: string | null;
    mode: string | null;
    status: string | null;
    counts: Record<string, number> | null;
    errors: Array<{ kind: string; message: string }> | null;
    started_at: Date | null;
    finished_at: Date | null;
    cursor_updated_at: Date | null;
  }>(
    ctx.tenant.db,
    sql`select s.source,
               exists (select 1 from source_connections c where c.tenant_id = ${t}::uuid and c.source = s.source) as connected,
               r.id, r.mode, r.status, r.counts, r.errors, r.started_at, r.finished_at,
               (select updated_at from sync_cursors k where k.tenant_id = ${t}::uuid and k.source = s.source) as cursor_updated_at
        from unnest(${`{${syncSourceList.join(",")}}`}::text[]) as s(source)
        left join lateral (
          select * from sync_runs r where r.tenant_id = ${t}::uuid and r.source = s.source
          order by r.started_at desc limit 1) r on true
        order by s.source`,
  );
  return rows.map((r) => ({
    source: r.source,
    connected: r.connected,
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
  }));
}
