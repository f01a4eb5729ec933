// Webhook deliveries from the sources: one row per (tenant, source, event id), the record that makes a retried or
// duplicated delivery a no-op and says what became of each event.
import { index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant, tenantId } from "../columns";

export const webhookSources = ["stripe", "quickbooks"] as const;
export type WebhookSource = (typeof webhookSources)[number];
export const webhookOutcomes = ["pending", "applied", "ignored", "failed"] as const;
export type WebhookOutcome = (typeof webhookOutcomes)[number];

export const webhookEvents = pgTable(
  "webhook_events",
  {
    tenantId: tenantId(),
    source: text("source", { enum: webhookSources }).notNull(),
    /** The provider's own event id (Stripe `evt_...`, Intuit's CloudEvents id or a digest of a classic entity). */
    eventId: text("event_id").notNull(),
    /** `charge.succeeded`, `qbo.payment.created.v1`, ... */
    type: text("type").notNull(),
    /** The object the event is about (a charge id, a QuickBooks entity id); null when it names none. */
    objectId: text("object_id"),
    /** What the job needs to apply the event (the object's type and related ids), never the whole payload. */
    detail: jsonb("detail").$type<Record<string, string | null>>().notNull().default({}),
    /** When the provider says the event happened: lag is measured from here. */
    occurredAt: instant("occurred_at"),
    receivedAt: instant("received_at").notNull().defaultNow(),
    processedAt: instant("processed_at"),
    outcome: text("outcome", { enum: webhookOutcomes }).notNull().default("pending"),
    error: text("error"),
  },
  (t) => [
    primaryKey({ name: "webhook_events_pkey", columns: [t.tenantId, t.source, t.eventId] }),
    // Deliveries still to apply or that failed, per tenant: what an operator (or a sweep) looks at first.
    index("webhook_events_outcome_idx").on(t.tenantId, t.outcome, t.receivedAt),
  ],
);
