// Verb: sync one source of one tenant, batch by batch, each batch stored with its cursor; records the run.
import { SourceError, type SyncBatch } from "@reckon/connectors";
import { backfill, queryRows, type SyncCounts, type SyncRunStatus, type SyncSource, storeSyncBatch } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../context";
import { countRateLimited, observeSyncRun } from "../observability/metrics";
import { connectorFor } from "./connections";
import { linkAccounts } from "./linkAccounts";
import { connectionStatus, markNeedsReconnect } from "./reconnect";

export const runSourceSyncInput = z.object({
  source: z.enum(["stripe", "quickbooks", "amplitude"]),
});

export interface SourceSyncResult {
  runId: string | null;
  source: SyncSource;
  /** not_connected: no credentials; needs_reconnect: the provider revoked the grant, nothing was asked of it. */
  status: SyncRunStatus | "not_connected" | "needs_reconnect";
  mode: "full" | "incremental";
  counts: SyncCounts;
  error: { kind: string; message: string } | null;
}

/**
 * Pulls everything new from the source. A failure part-way leaves the stored batches and their cursor in place
 * (status "partial"); the error is rethrown when retrying can help, so the job layer retries from that cursor.
 */
export async function runSourceSync({
  ctx,
  input,
  onProgress,
}: {
  ctx: TenantContext;
  input: z.input<typeof runSourceSyncInput>;
  onProgress?: (line: string) => void;
}): Promise<SourceSyncResult> {
  const { source } = runSourceSyncInput.parse(input);
  const { tenant } = ctx;
  const counts: SyncCounts = { customers: 0, invoices: 0, payments: 0, usage: 0, batches: 0 };
  if ((await connectionStatus(ctx, source)) === "needs_reconnect") {
    return { runId: null, source, status: "needs_reconnect", mode: "incremental", counts, error: null };
  }
  const connector = await connectorFor(ctx, source);
  if (!connector) return { runId: null, source, status: "not_connected", mode: "full", counts, error: null };

  const [cursorRow] = await queryRows<{ cursor: string }>(
    tenant.db,
    sql`select cursor from sync_cursors where tenant_id = ${tenant.tenantId}::uuid and source = ${source}`,
  );
  const cursor = cursorRow?.cursor ?? null;
  const mode = cursor === null ? "full" : "incremental";
  const startedAt = ctx.clock();
  // Wall time for the metric: ctx.clock may be pinned (demo, tests).
  const startedTick = performance.now();
  const [run] = await queryRows<{ id: string }>(
    tenant.db,
    sql`insert into sync_runs (tenant_id, source, mode, status, counts, started_at)
        values (${tenant.tenantId}::uuid, ${source}, ${mode}, 'running', ${JSON.stringify(counts)}::jsonb, ${startedAt.toISOString()}::timestamptz)
        returning id`,
  );
  const runId = run!.id;
  const log = ctx.log.child({ runId, source, tenantId: tenant.tenantId });

  let error: SourceSyncResult["error"] = null;
  let thrown: unknown = null;
  /** Source customers the stored batches carried records for: the accounts a partial run leaves half-updated. */
  const touched = new Set<string>();
  let lastBatch: string | null = null;
  // From no cursor the rows are new: COPY them until one is found already stored.
  const fill = mode === "full" ? backfill() : undefined;
  try {
    for await (const batch of connector.pull(cursor, { now: ctx.clock() })) {
      const stored = await storeSyncBatch(tenant, source, batch, fill);
      for (const id of touchedBy(batch)) touched.add(id);
      lastBatch = batch.label;
      counts.batches += 1;
      counts.customers += batch.customers.length;
      counts.invoices += batch.invoices.length;
      counts.payments += batch.payments.length;
      counts.usage += batch.usage.length;
      const changed = stored.customers + stored.invoices + stored.payments + stored.usage;
      onProgress?.(`${source}: ${batch.label} (${changed} changed)`);
      log.debug({ label: batch.label, stored }, "sync batch stored");
    }
  } catch (caught) {
    thrown = caught;
    error =
      caught instanceof SourceError
        ? { kind: caught.kind, message: caught.message }
        : { kind: "internal", message: caught instanceof Error ? caught.message : String(caught) };
    log.warn({ err: caught }, "sync stopped early");
    // Connectors make no retries, so every 429 (the OAuth endpoint's too) ends an attempt here: counted once.
    if (caught instanceof SourceError && caught.kind === "rate_limited") countRateLimited(source);
    if (caught instanceof SourceError && caught.kind === "revoked") await markNeedsReconnect(ctx, source);
  }

  if (counts.customers > 0) await linkAccounts({ ctx });
  const status: SyncRunStatus = error === null ? "complete" : counts.batches > 0 ? "partial" : "failed";
  const finishedAt = ctx.clock();
  // Only a partial run needs its coverage: a complete one missed nothing, a failed one got nothing.
  const coverage =
    status === "partial"
      ? { touched: [...touched].sort(), missed: [`everything after ${lastBatch}`] }
      : { touched: [], missed: status === "failed" ? ["everything"] : [] };
  await queryRows(
    tenant.db,
    sql`update sync_runs set status = ${status}, counts = ${JSON.stringify(counts)}::jsonb,
          touched = ${JSON.stringify(coverage.touched)}::jsonb, missed = ${JSON.stringify(coverage.missed)}::jsonb,
          errors = ${JSON.stringify(error ? [error] : [])}::jsonb, finished_at = ${finishedAt.toISOString()}::timestamptz,
          duration_ms = ${finishedAt.getTime() - startedAt.getTime()}
        where id = ${runId}::uuid and tenant_id = ${tenant.tenantId}::uuid`,
  );
  log.info({ status, mode, counts }, "sync run finished");
  observeSyncRun(source, status, (performance.now() - startedTick) / 1000);
  if (thrown instanceof SourceError && thrown.retryable) throw thrown;
  if (thrown && !(thrown instanceof SourceError)) throw thrown;
  return { runId, source, status, mode, counts, error };
}

/** The source customer ids a batch has records for (customers, invoice and payment customers, usage groups). */
function touchedBy(batch: SyncBatch): string[] {
  return [
    ...batch.customers.map((c) => c.sourceId),
    ...batch.invoices.map((i) => i.customerSourceId),
    ...batch.payments.flatMap((p) => (p.customerSourceId === null ? [] : [p.customerSourceId])),
    ...batch.usage.map((u) => u.groupId),
  ];
}
