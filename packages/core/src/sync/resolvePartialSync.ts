// Verb (admin): accept a partial sync run's gap; the accounts it touched come back to the forecast on reconciliation.
import { queryRows, type SyncSource } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";

export const resolvePartialSyncInput = z.object({ runId: z.uuid() }).strict();

export interface ResolvedPartialSync {
  runId: string;
  source: SyncSource;
  resolvedAt: string;
  resolvedBy: string | null;
  /** The accounts whose partial-sync flag this lifts (reconciled again by the queued job). */
  accountIds: string[];
}

export type ResolvePartialSyncResult =
  | { ok: true; resolution: ResolvedPartialSync }
  | { ok: false; reason: "not_found" | "not_partial" };

const accountColumn = {
  quickbooks: sql`quickbooks_customer_id`,
  stripe: sql`stripe_customer_id`,
  amplitude: sql`amplitude_group_id`,
} as const;

/** Resolving twice answers the first resolution again (and records no second audit row). */
export async function resolvePartialSync({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  jobs: JobRunner;
  input: z.input<typeof resolvePartialSyncInput>;
}): Promise<ResolvePartialSyncResult> {
  authorize(ctx.actor, "sync.resolve");
  const { runId } = resolvePartialSyncInput.parse(input);
  const t = ctx.tenant.tenantId;
  const by = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  // The guard on resolved_at makes a concurrent second resolve a no-op that reads the first one's answer.
  const [updated] = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`update sync_runs set resolved_at = ${ctx.clock().toISOString()}::timestamptz, resolved_by = ${by}::uuid
        where tenant_id = ${t}::uuid and id = ${runId}::uuid and status = 'partial' and resolved_at is null
        returning id`,
  );
  const [run] = await queryRows<{
    source: SyncSource;
    status: string;
    touched: string[];
    resolved_at: Date | string | null;
    resolved_by: string | null;
  }>(
    ctx.tenant.db,
    sql`select source, status, touched, resolved_at, resolved_by from sync_runs
        where tenant_id = ${t}::uuid and id = ${runId}::uuid`,
  );
  if (!run) return { ok: false, reason: "not_found" };
  if (run.status !== "partial" || run.resolved_at === null) return { ok: false, reason: "not_partial" };
  const accounts = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`select id from accounts where tenant_id = ${t}::uuid
          and ${accountColumn[run.source]} in (select jsonb_array_elements_text(${JSON.stringify(run.touched)}::jsonb))
        order by id`,
  );
  const accountIds = accounts.map((a) => a.id);
  const resolution: ResolvedPartialSync = {
    runId,
    source: run.source,
    resolvedAt: new Date(run.resolved_at).toISOString(),
    resolvedBy: run.resolved_by,
    accountIds,
  };
  if (updated) {
    await recordAudit(ctx, {
      action: "sync.resolved",
      target: { type: "sync_run", id: runId },
      details: { source: run.source, accounts: accountIds.length },
    });
    if (accountIds.length > 0) await jobs.enqueue("reconcile.tenant", { tenantId: t, accountIds });
  }
  return { ok: true, resolution };
}
