// Verb: a manual refresh: queue a sync of the tenant's sources (then a reconciliation); coalesces repeated clicks.
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";

export const requestSyncInput = z
  .object({ reason: z.enum(["manual", "schedule", "startup"]).default("manual") })
  .strict();

export async function requestSync({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  jobs: JobRunner;
  input: z.input<typeof requestSyncInput>;
}): Promise<{ jobId: string }> {
  authorize(ctx.actor, "sync.refresh");
  const { reason } = requestSyncInput.parse(input);
  const tenantId = ctx.tenant.tenantId;
  // A refresh already waiting covers this one too.
  const queued = await jobs.enqueue("sync.tenant", { tenantId, reason }, { dedupeKey: `sync.tenant:${tenantId}` });
  if (ctx.actor.kind === "user") {
    await recordAudit(ctx, {
      action: "sync.requested",
      target: { type: "job", id: queued.jobId },
      details: { reason },
    });
  }
  return queued;
}
