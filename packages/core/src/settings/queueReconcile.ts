// Settings that change what reconciliation concludes (threshold, FX, item mappings, links) queue a full reconcile.
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";

/**
 * Queues a reconciliation of every account of the tenant. Full, not scoped: a threshold or mapping moves every
 * account, and unmapped-record findings are only recomputed by a full run. One waiting run covers any number of
 * changes, so its own dedupe key keeps a burst of edits to one run (a scoped run elsewhere never absorbs it).
 */
export async function queueReconcile(ctx: TenantContext, jobs: JobRunner): Promise<string> {
  const tenantId = ctx.tenant.tenantId;
  const { jobId } = await jobs.enqueue(
    "reconcile.tenant",
    { tenantId },
    { dedupeKey: `reconcile.tenant:${tenantId}:all` },
  );
  return jobId;
}
