// Records verified webhook events, once per (tenant, source, event id), and queues the job that applies them.
import { type Database, queryRows, type TenantScope, type WebhookSource } from "@reckon/db";
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
    await queueApply(jobs, tenant.tenantId, source, eventId, keyOf.get(eventId) ?? eventId);
  }
  return { accepted: fresh.size, duplicates: events.length - fresh.size };
}

/** Stripe events apply one job at a time per charge (`applyKey`); QuickBooks ones one CDC sync at a time per tenant. */
function queueApply(jobs: JobRunner, tenantId: string, source: WebhookSource, eventId: string, applyKey: string) {
  return jobs.enqueue(
    "webhook.apply",
    { tenantId, source, eventId },
    {
      dedupeKey: source === "stripe" ? `webhook:stripe:${tenantId}:${applyKey}` : `webhook:quickbooks:${tenantId}`,
    },
  );
}

/** What Stripe events apply one at a time by: their charge (re-fetches of one charge never race), else themselves. */
export const stripeApplyKey = (eventId: string, chargeId: string | null) =>
  chargeId ? `charge:${chargeId}` : `event:${eventId}`;

/**
 * Events still pending a minute after they arrived (their apply job was lost: a queue that restarted empty, a worker
 * that died holding it), or failed and untouched for `failedAgainMs` (out of attempts). Each is queued again,
 * deduplicated as on receipt, so one already on its way is not doubled; the apply itself skips what a later apply
 * settled. Looks at each tenant's oldest few within `withinMs` (webhook_events_outcome_idx), so the sweep stays small
 * however much arrives.
 */
export async function requeueUnappliedWebhooks({
  db,
  jobs,
  now,
  olderThanMs = 60_000,
  failedAgainMs = 15 * 60_000,
  withinMs = 3 * 24 * 3600_000,
  perTenant = 100,
}: {
  db: Database;
  jobs: JobRunner;
  now: Date;
  olderThanMs?: number;
  failedAgainMs?: number;
  withinMs?: number;
  perTenant?: number;
}): Promise<number> {
  const before = new Date(now.getTime() - olderThanMs).toISOString();
  const after = new Date(now.getTime() - withinMs).toISOString();
  const failedBefore = new Date(now.getTime() - failedAgainMs).toISOString();
  const stale = await queryRows<{
    tenant_id: string;
    source: WebhookSource;
    event_id: string;
    charge_id: string | null;
  }>(
    db,
    sql`select e.tenant_id, e.source, e.event_id, e.charge_id
        from tenants t cross join lateral (
          select tenant_id, source, event_id, detail->>'chargeId' as charge_id from webhook_events
          where tenant_id = t.id and outcome in ('pending', 'failed')
            and received_at < ${before}::timestamptz and received_at > ${after}::timestamptz
            and (outcome = 'pending' or processed_at < ${failedBefore}::timestamptz)
          order by received_at limit ${perTenant}) e`,
  );
  // One job per apply key: a Stripe re-fetch of a charge settles every event about it received before it began, and
  // a QuickBooks CDC sync every change of its tenant.
  const keys = new Set<string>();
  for (const event of stale) {
    const applyKey = stripeApplyKey(event.event_id, event.charge_id);
    const key = event.source === "stripe" ? `${event.tenant_id}:${applyKey}` : event.tenant_id;
    if (keys.has(key)) continue;
    keys.add(key);
    await queueApply(jobs, event.tenant_id, event.source, event.event_id, applyKey);
  }
  return keys.size;
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
