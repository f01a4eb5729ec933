// Verb: a manual refresh: queue a sync of the tenant's sources (then a reconciliation); coalesces repeated clicks.
import { z } from "zod";
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
  const { reason } = requestSyncInput.parse(input);
  const tenantId = ctx.tenant.tenantId;
  // A refresh already waiting covers this one too.
  return jobs.enqueue("sync.tenant", { tenantId, reason }, { dedupeKey: `sync.tenant:${tenantId}` });
}
