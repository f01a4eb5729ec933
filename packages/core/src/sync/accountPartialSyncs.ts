// The unresolved partial sync runs that got some of one account's records: what the partial-sync banner names.
import { queryRows, type SyncSource } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";

export interface AccountPartialSync {
  runId: string;
  source: SyncSource;
  startedAt: string;
  /** What the run did not get, in words. */
  missed: string[];
  error: string | null;
}

/** `links` are the account's ids in each source (null where it has none). */
export async function accountPartialSyncs(
  ctx: TenantContext,
  links: Record<SyncSource, string | null>,
): Promise<AccountPartialSync[]> {
  const linked = (Object.entries(links) as Array<[SyncSource, string | null]>).filter(
    (entry): entry is [SyncSource, string] => entry[1] !== null,
  );
  if (linked.length === 0) return [];
  const matches = linked.map(([source, id]) => sql`(source = ${source} and touched @> jsonb_build_array(${id}::text))`);
  const rows = await queryRows<{
    id: string;
    source: SyncSource;
    started_at: Date | string;
    missed: string[];
    errors: Array<{ message: string }>;
  }>(
    ctx.tenant.db,
    sql`select id, source, started_at, missed, errors from sync_runs
        where tenant_id = ${ctx.tenant.tenantId}::uuid and status = 'partial' and resolved_at is null
          and (${sql.join(matches, sql` or `)})
        order by started_at desc, id`,
  );
  return rows.map((r) => ({
    runId: r.id,
    source: r.source,
    startedAt: new Date(r.started_at).toISOString(),
    missed: r.missed,
    error: r.errors[0]?.message ?? null,
  }));
}
