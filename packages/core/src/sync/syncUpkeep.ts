// What keeps syncing going without anyone restarting anything: every process that runs jobs registers the repeatable
// sync of each connected tenant and the hourly digest tick (again, when Redis restarted empty and lost them), closes
// runs whose worker died, and queues again webhook events whose apply job was lost.
import { type Database, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { JobRunner } from "../jobs/runner";
import type { Logger } from "../log";
import { requeueUnappliedWebhooks } from "../webhooks/recordWebhookEvents";
import { closeInterruptedRuns } from "./closeInterruptedRuns";
import { tenantSyncScheduleKey } from "./getSyncStatus";

/**
 * Between checks. Redis restarted empty gets its schedules back within this; a run whose worker died is closed within
 * this of its job leaving the active list (sooner when this process ran the job: see `onJobEnded`).
 */
export const defaultUpkeepIntervalMs = 60_000;

export interface SyncUpkeepOptions {
  db: Database;
  jobs: JobRunner;
  log: Logger;
  clock: () => Date;
  /** The sync schedule's interval (configuration: RECKON_SYNC_INTERVAL_SECONDS). */
  syncEveryMs: number;
  checkEveryMs?: number;
}

export interface SyncUpkeep {
  /** Settles after the first check: schedules registered, interrupted runs closed. */
  ready: Promise<void>;
  /** One check now (after any check under way). */
  check(): Promise<void>;
  /** Stops checking; waits for a check under way. Call before closing the runner and the database. */
  stop(): Promise<void>;
}

/** The hourly digest tick's schedule key: one for the whole deployment (it visits every tenant with Slack set up). */
export const digestTickScheduleKey = "digests.tick";
/** Digests are due from a local hour until that day ends, so an hourly tick that misses a run still sends them. */
export const digestTickEveryMs = 60 * 60_000;

/** The key of a tenant's scheduled CRM write-back. */
export const crmWritebackScheduleKey = (tenantId: string) => `crm.writeback:${tenantId}`;

/** Registers the 5-minute sync of every tenant with a source connection; the runner leaves one already there alone. */
export async function ensureSyncSchedules({
  db,
  jobs,
  syncEveryMs,
}: Pick<SyncUpkeepOptions, "db" | "jobs" | "syncEveryMs">): Promise<number> {
  const tenants = await queryRows<{ tenant_id: string }>(
    db,
    sql`select distinct tenant_id from source_connections order by tenant_id`,
  );
  for (const { tenant_id: tenantId } of tenants) {
    await jobs.schedule(tenantSyncScheduleKey(tenantId), "sync.tenant", { tenantId, reason: "schedule" }, syncEveryMs);
  }
  await jobs.schedule(digestTickScheduleKey, "digests.tick", { reason: "schedule" }, digestTickEveryMs);
  // CRM write-back on the sync's beat: it links records that name their account and catches what no reconciliation
  // queued (a flag raised or resolved); writes go out only where a value changed.
  const crm = await queryRows<{ tenant_id: string }>(
    db,
    sql`select distinct tenant_id from crm_connections where sealed_secrets is not null order by tenant_id`,
  );
  for (const { tenant_id: tenantId } of crm) {
    await jobs.schedule(
      crmWritebackScheduleKey(tenantId),
      "crm.writeback",
      { tenantId, reason: "schedule" },
      syncEveryMs,
    );
  }
  return tenants.length;
}

export function startSyncUpkeep(options: SyncUpkeepOptions): SyncUpkeep {
  const { db, jobs, clock } = options;
  const log = options.log.child({ task: "sync-upkeep" });
  let stopped = false;
  // Checks run one after another, never two at once.
  let queue: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<void>): Promise<void> => {
    const next = queue.then(() => (stopped ? undefined : work()));
    queue = next.catch(() => {});
    return next;
  };
  const sweep = async (tenantId?: string) => {
    const activeJobs = jobs.activeJobs?.bind(jobs);
    // A runner that cannot say what is running cannot tell an interrupted run from a live one.
    if (!activeJobs) return;
    await closeInterruptedRuns({ db, jobs: { activeJobs }, clock, log, ...(tenantId ? { tenantId } : {}) });
  };
  const check = () =>
    serially(async () => {
      // Each half on its own: Redis down must not keep interrupted runs open, nor the database the schedules away.
      await ensureSyncSchedules({ db, jobs, syncEveryMs: options.syncEveryMs }).catch((err: unknown) =>
        log.warn({ err }, "could not register the sync schedules; next check tries again"),
      );
      await sweep().catch((err: unknown) =>
        log.warn({ err }, "could not close interrupted sync runs; next check tries again"),
      );
      await requeueUnappliedWebhooks({ db, jobs, now: new Date() })
        .then((queued) => {
          if (queued > 0) log.warn({ queued }, "webhook events left unapplied: queued again");
        })
        .catch((err: unknown) => log.warn({ err }, "could not queue unapplied webhook events; next check tries again"));
    });
  const timer = setInterval(() => void check(), options.checkEveryMs ?? defaultUpkeepIntervalMs);
  timer.unref();
  // A sync job this process ran has left the active list: whatever runs of its tenant it left open are closable now.
  const unlisten = jobs.onJobEnded?.((job) => {
    const tenantId = (job.payload as { tenantId?: unknown } | null)?.tenantId;
    if ((job.name !== "sync.tenant" && job.name !== "sync.source") || typeof tenantId !== "string") return;
    void serially(() =>
      sweep(tenantId).catch((err: unknown) => log.warn({ err, tenantId }, "could not close interrupted sync runs")),
    );
  });
  return {
    ready: check(),
    check,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unlisten?.();
      await queue;
    },
  };
}
