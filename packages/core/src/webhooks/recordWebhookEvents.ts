// Records verified webhook events, once per (tenant, source, event id), and queues the job that applies them.
import { queryRows, type TenantScope, type WebhookSource } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { JobRunner } from "../jobs";
import { observeWebhookLag } from "../observability/metrics";

export interface WebhookEventRecord {
  eventId: string;
  type: string;
  objectId: string | null;
  detail: Record<string, string | null>;
  occurredAt: Date | null;
  /**
   * Events with the same key are applied by one job at a time (waiting ones coalesce): Stripe keys them by charge,
   * so two re-fetches of one charge never race and an older answer cannot land after a newer one.
   */
  applyKey?: string;
}

/** What a delivery came to: events new to us, and re-deliveries of events already recorded. */
export interface WebhookReceipt {
  accepted: number;
  duplicates: number;
}

/**
 * Inserts the events (`on conflict do nothing`: the event id is the idempotency key) and queues `webhook.apply` for
 * the new ones. A re-delivery of an event not yet applied queues it again (deduplicated while one is waiting), so a
 * lost enqueue heals on the provider's next retry; a re-delivery of an applied event does nothing.
 */
export async function recordWebhookEvents(
  tenant: TenantScope,
  jobs: JobRunner,
  source: WebhookSource,
  events: WebhookEventRecord[],
): Promise<WebhookReceipt> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const rows = events.map((e) => ({
    event_id: e.eventId,
    type: e.type,
    object_id: e.objectId,
    detail: e.detail,
    occurred_at: e.occurredAt?.toISOString() ?? null,
  }));
  const inserted = await queryRows<{ event_id: string }>(
    tenant.db,
    sql`insert into webhook_events (tenant_id, source, event_id, type, object_id, detail, occurred_at)
        select ${tenant.tenantId}::uuid, ${source}, r.event_id, r.type, r.object_id, r.detail, r.occurred_at
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as r(event_id text, type text, object_id text, detail jsonb, occurred_at timestamptz)
        on conflict (tenant_id, source, event_id) do nothing
        returning event_id`,
  );
  const fresh = new Set(inserted.map((r) => r.event_id));
  const unapplied = await queryRows<{ event_id: string }>(
    tenant.db,
    sql`select event_id from webhook_events
        where tenant_id = ${tenant.tenantId}::uuid and source = ${source} and outcome in ('pending', 'failed')
          and event_id in (select json_array_elements_text(${JSON.stringify(events.map((e) => e.eventId))}::json))`,
  );
  const now = Date.now();
  for (const event of events) {
    if (fresh.has(event.eventId) && event.occurredAt) {
      observeWebhookLag(source, (now - event.occurredAt.getTime()) / 1000);
    }
  }
  // Stripe: one job per event. QuickBooks: every change leads to the same CDC sync, so one job per tenant at a time.
  const keyOf = new Map(events.map((e) => [e.eventId, e.applyKey ?? e.eventId]));
  const toApply = source === "stripe" ? unapplied.map((r) => r.event_id) : unapplied.slice(0, 1).map((r) => r.event_id);
  for (const eventId of toApply) {
    await jobs.enqueue(
      "webhook.apply",
      { tenantId: tenant.tenantId, source, eventId },
      {
        dedupeKey:
          source === "stripe"
            ? `webhook:stripe:${tenant.tenantId}:${keyOf.get(eventId)}`
            : `webhook:quickbooks:${tenant.tenantId}`,
      },
    );
  }
  return { accepted: fresh.size, duplicates: events.length - fresh.size };
}

/** Marks events done (or failed, with what went wrong) once their job has run. */
export async function settleWebhookEvents(
  tenant: TenantScope,
  source: WebhookSource,
  /**
   * These events, or every unapplied one received up to an instant (what a CDC sync or a re-fetch begun after it
   * covers), optionally only those about one charge.
   */
  eventIds: string[] | { receivedUpTo: Date; chargeId?: string },
  outcome: "applied" | "ignored" | "failed",
  error: string | null = null,
): Promise<void> {
  const which =
    "receivedUpTo" in eventIds
      ? sql`outcome in ('pending', 'failed') and received_at <= ${eventIds.receivedUpTo.toISOString()}::timestamptz
            ${eventIds.chargeId ? sql`and detail->>'chargeId' = ${eventIds.chargeId}` : sql``}`
      : sql`event_id in (select json_array_elements_text(${JSON.stringify(eventIds)}::json))`;
  await queryRows(
    tenant.db,
    sql`update webhook_events set outcome = ${outcome}, error = ${error}, processed_at = now()
        where tenant_id = ${tenant.tenantId}::uuid and source = ${source} and ${which}`,
  );
}
