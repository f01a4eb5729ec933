// Payment retry requests: an account manager (or admin) asks, finance approves or rejects, and an approval retries
// the failed Stripe payment exactly once, under an idempotency key derived from the request's id.
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { currency, instant, minor, tenantId, timestamps } from "../columns";
import { accounts } from "./accounts";
import { actionSurfaces } from "./flags";

/**
 * requested -> approved -> succeeded | failed; requested -> rejected; requested -> cancelled when the payment turned
 * out to be paid already by the time finance approved (nothing is charged).
 */
export const paymentRetryStatuses = ["requested", "approved", "succeeded", "failed", "rejected", "cancelled"] as const;
export type PaymentRetryStatus = (typeof paymentRetryStatuses)[number];

export const paymentRetryRequests = pgTable(
  "payment_retry_requests",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** The QuickBooks invoice the failed payment was for, when it names one. */
    invoiceSourceId: text("invoice_source_id"),
    /** The failed Stripe charge (ch_...) the request is about. */
    paymentSourceId: text("payment_source_id").notNull(),
    /** What the retry confirms again: the charge's PaymentIntent. */
    paymentIntentId: text("payment_intent_id").notNull(),
    amountMinor: minor("amount_minor").notNull(),
    currency: currency().notNull(),
    /** The failure as it stood when the retry was asked for. */
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
    /** Plain user ids, so the request outlives its users (as the audit log does). */
    requestedBy: uuid("requested_by"),
    requestedVia: text("requested_via", { enum: actionSurfaces }).notNull(),
    note: text("note"),
    status: text("status", { enum: paymentRetryStatuses }).notNull().default("requested"),
    decidedBy: uuid("decided_by"),
    decidedVia: text("decided_via", { enum: actionSurfaces }),
    decidedAt: instant("decided_at"),
    /** The approver's note, the rejection's reason, or why it was cancelled. */
    reason: text("reason"),
    /** The card the retry charges, stored before the Stripe call so a re-run sends the very same request. */
    paymentMethodId: text("payment_method_id"),
    /** `reckon-retry-<id>`: every Stripe call for this approval carries it, so Stripe charges at most once. */
    idempotencyKey: text("idempotency_key").notNull(),
    /** Stripe calls started for this approval (a re-run after a crash or an outage adds one). */
    attempts: integer("attempts").notNull().default(0),
    /** Set (database clock) while a process is calling Stripe; a stale one means it died and may be re-run. */
    attemptStartedAt: instant("attempt_started_at"),
    /** Why the last call got no answer (Stripe down, timed out); the approval stands and can be re-run. */
    lastError: text("last_error"),
    /** Stripe's decline or refusal code and message, when the retry did not collect. */
    outcomeCode: text("outcome_code"),
    outcomeMessage: text("outcome_message"),
    /** The charge the retry made (succeeded or declined). */
    stripeChargeId: text("stripe_charge_id"),
    completedAt: instant("completed_at"),
    /** The Slack messages the bot posted: the request (to the requester) and the approval (finance channel). */
    requestChannelId: text("request_channel_id"),
    requestMessageTs: text("request_message_ts"),
    approvalChannelId: text("approval_channel_id"),
    approvalMessageTs: text("approval_message_ts"),
    ...timestamps,
  },
  (t) => [
    // At most one open request per failed payment: a second ask (a double click, another surface) finds this one.
    uniqueIndex("payment_retry_requests_open_payment_key")
      .on(t.tenantId, t.paymentSourceId)
      .where(sql`status in ('requested', 'approved')`),
    // And per invoice: two failed attempts on one invoice must not become two retries of it.
    uniqueIndex("payment_retry_requests_open_invoice_key")
      .on(t.tenantId, t.invoiceSourceId)
      .where(sql`status in ('requested', 'approved') and invoice_source_id is not null`),
    // Finance's queue by status, newest first (GET /v1/payment-retries?status=requested).
    index("payment_retry_requests_status_idx").on(t.tenantId, t.status, t.createdAt, t.id),
    // An account's requests, newest first.
    index("payment_retry_requests_account_idx").on(t.tenantId, t.accountId, t.createdAt, t.id),
    check(
      "payment_retry_requests_status_check",
      sql`${t.status} in ('requested', 'approved', 'succeeded', 'failed', 'rejected', 'cancelled')`,
    ),
    check("payment_retry_requests_key_check", sql`${t.idempotencyKey} = 'reckon-retry-' || ${t.id}::text`),
  ],
);
