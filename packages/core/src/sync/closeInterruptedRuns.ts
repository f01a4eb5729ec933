// Closes sync runs that no running job is working on any more: their worker was killed, crashed, or lost its database
// before it could record how they ended, so without this they would say 'running' forever.
import { type Database, queryRows, type SyncSource, syncSourceList } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { ActiveJob } from "../jobs/runner";
import type { Logger } from "../log";

/** What an interrupted run records as its error: a kind of its own, so status pages can say what happened. */
export const interruptedRunError = {
  kind: "interrupted",
  message:
    "The worker running this sync stopped before it recorded how the sync ended (killed, crashed or cut off from the database). What it stored is kept; the next run continues from the stored cursor.",
} as const;

/**
 * How many of a source's newest runs the sweep looks at. A run is swept within a check or two of its job leaving the
 * active list, long before this many newer runs follow it, so this bounds the work (sync_runs_latest_idx, backwards)
 * without missing any.
 */
const newestRunsPerSource = 10;

/** The tenant and source pairs the active jobs are syncing: `sync.tenant` every source, `sync.source` its own. */
export function syncsInProgress(jobs: readonly ActiveJob[]): Set<string> {
  const covered = new Set<string>();
  for (const job of jobs) {
    const payload = job.payload as { tenantId?: unknown; source?: unknown } | null;
    if (typeof payload?.tenantId !== "string") continue;
    if (job.name === "sync.tenant") for (const source of syncSourceList) covered.add(`${payload.tenantId}:${source}`);
    if (job.name === "sync.source" && typeof payload.source === "string") {
      covered.add(`${payload.tenantId}:${payload.source}`);
    }
  }
  return covered;
}

export interface InterruptedRun {
  id: string;
  tenantId: string;
  source: SyncSource;
}

/**
 * Marks failed, with `interruptedRunError`, every run still 'running' whose tenant and source no active job is syncing.
 * The runs are read before the active jobs: a run's job is active before it inserts the run, so a run read here whose
 * job is not active afterwards has ended. If it ended properly it is no longer 'running' and the guarded update leaves
 * it alone. A job that outlived its timeout and still finishes overwrites this with how it really ended.
 * `tenantId` narrows the sweep to one tenant (after one of its jobs ended). Rejects, closing nothing, when the runner
 * cannot say what is active.
 */
export async function closeInterruptedRuns({
  db,
  jobs,
  clock,
  log,
  tenantId,
}: {
  db: Database;
  jobs: { activeJobs(): Promise<ActiveJob[]> };
  clock: () => Date;
  log: Logger;
  tenantId?: string;
}): Promise<InterruptedRun[]> {
  const running = await queryRows<{ id: string; tenant_id: string; source: SyncSource }>(
    db,
    sql`select r.id, r.tenant_id, r.source
        from tenants t
        cross join unnest(${`{${syncSourceList.join(",")}}`}::text[]) as s(source)
        cross join lateral (
          select id, tenant_id, source, status from sync_runs r where r.tenant_id = t.id and r.source = s.source
          order by r.started_at desc limit ${newestRunsPerSource}) r
        where r.status = 'running' ${tenantId === undefined ? sql`` : sql`and t.id = ${tenantId}::uuid`}`,
  );
  if (running.length === 0) return [];
  const inProgress = syncsInProgress(await jobs.activeJobs());
  const orphaned = running.filter((r) => !inProgress.has(`${r.tenant_id}:${r.source}`));
  if (orphaned.length === 0) return [];
  const closed = await queryRows<{ id: string; tenant_id: string; source: SyncSource }>(
    db,
    sql`update sync_runs set status = 'failed', errors = ${JSON.stringify([interruptedRunError])}::jsonb,
          missed = ${JSON.stringify(["whatever it had not stored when its worker stopped"])}::jsonb,
          finished_at = ${clock().toISOString()}::timestamptz
        where id = any(${`{${orphaned.map((r) => r.id).join(",")}}`}::uuid[]) and status = 'running'
        returning id, tenant_id, source`,
  );
  for (const run of closed) {
    log.warn({ runId: run.id, tenantId: run.tenant_id, source: run.source }, "sync run interrupted: closed as failed");
  }
  return closed.map((r) => ({ id: r.id, tenantId: r.tenant_id, source: r.source }));
}
