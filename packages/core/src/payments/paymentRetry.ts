// A payment retry request as every surface shows it, and the one query that reads them.
import type { ActionSurface, PaymentRetryStatus } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import {
  type ActionRecordRow,
  actionRecordReader,
  instantOrNull,
  type Person,
  personOf,
  type SlackMessageRef,
  slackRefOf,
} from "../actions/actionRecord";
import { type MoneyJson, money } from "../money";

export { type PaymentRetryStatus, paymentRetryStatuses } from "@reckon/db";
export type { SlackMessageRef };

/** Names one retry request: what the approve, reject, run and get verbs take. */
export const paymentRetryIdInput = z.object({ retryId: z.string().uuid("a payment retry id (uuid)") });

export interface PaymentRetry {
  id: string;
  account: { id: string; name: string };
  /** The QuickBooks invoice the failed payment was for, when it names one. */
  invoiceId: string | null;
  /** The failed Stripe charge, and the PaymentIntent the retry confirms again. */
  paymentId: string;
  paymentIntentId: string;
  amount: MoneyJson;
  /** The failure as it stood when the retry was asked for. */
  failure: { code: string | null; message: string | null };
  status: PaymentRetryStatus;
  requestedBy: Person | null;
  requestedVia: ActionSurface;
  requestedAt: string;
  note: string | null;
  decidedBy: Person | null;
  decidedVia: ActionSurface | null;
  decidedAt: string | null;
  /** The approver's note, the rejection's reason, or why it was cancelled. */
  reason: string | null;
  /** What Stripe answered, once it has: the charge the retry made and, when it did not collect, Stripe's code. */
  outcome: { code: string | null; message: string | null; chargeId: string | null; completedAt: string } | null;
  /** Every Stripe call for this approval carries it: Stripe charges at most once for it. */
  idempotencyKey: string;
  /** Stripe calls started for this approval. */
  attempts: number;
  /**
   * Why the last Stripe call got no answer (an outage, a timeout, an unreadable answer); the approval stands and the
   * retry job calls again with the same key (approving again queues it anew once the job has given up).
   */
  lastError: string | null;
  slack: { request: SlackMessageRef | null; approval: SlackMessageRef | null };
}

export interface PaymentRetryRow extends ActionRecordRow {
  invoice_source_id: string | null;
  payment_source_id: string;
  payment_intent_id: string;
  amount_minor: string;
  currency: string;
  failure_code: string | null;
  failure_message: string | null;
  status: PaymentRetryStatus;
  requested_by: string | null;
  requested_by_name: string | null;
  requested_via: ActionSurface;
  note: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_via: ActionSurface | null;
  decided_at: Date | string | null;
  reason: string | null;
  payment_method_id: string | null;
  idempotency_key: string;
  attempts: number;
  last_error: string | null;
  outcome_code: string | null;
  outcome_message: string | null;
  stripe_charge_id: string | null;
  completed_at: Date | string | null;
  request_channel_id: string | null;
  request_message_ts: string | null;
  approval_channel_id: string | null;
  approval_message_ts: string | null;
}

/** Retry requests joined to their account and people; `where` narrows it (tenant and visibility included). */
export const paymentRetryQuery = actionRecordReader(
  { table: "payment_retry_requests", alias: "r", people: ["requested_by", "decided_by"] },
  sql`r.invoice_source_id, r.payment_source_id, r.payment_intent_id, r.amount_minor::text as amount_minor, r.currency,
      r.failure_code, r.failure_message, r.status, r.requested_by, r.requested_via, r.note, r.decided_by,
      r.decided_via, r.decided_at, r.reason, r.payment_method_id, r.idempotency_key, r.attempts, r.last_error,
      r.outcome_code, r.outcome_message, r.stripe_charge_id, r.completed_at, r.request_channel_id,
      r.request_message_ts, r.approval_channel_id, r.approval_message_ts`,
);

export function toPaymentRetry(r: PaymentRetryRow): PaymentRetry {
  const completedAt = instantOrNull(r.completed_at);
  return {
    id: r.id,
    account: { id: r.account_id, name: r.account_name },
    invoiceId: r.invoice_source_id,
    paymentId: r.payment_source_id,
    paymentIntentId: r.payment_intent_id,
    amount: money(r.amount_minor, r.currency),
    failure: { code: r.failure_code, message: r.failure_message },
    status: r.status,
    requestedBy: personOf(r.requested_by, r.requested_by_name),
    requestedVia: r.requested_via,
    requestedAt: new Date(r.created_at).toISOString(),
    note: r.note,
    decidedBy: personOf(r.decided_by, r.decided_by_name),
    decidedVia: r.decided_via,
    decidedAt: instantOrNull(r.decided_at),
    reason: r.reason,
    outcome: completedAt
      ? { code: r.outcome_code, message: r.outcome_message, chargeId: r.stripe_charge_id, completedAt }
      : null,
    idempotencyKey: r.idempotency_key,
    attempts: r.attempts,
    lastError: r.last_error,
    slack: {
      request: slackRefOf(r.request_channel_id, r.request_message_ts),
      approval: slackRefOf(r.approval_channel_id, r.approval_message_ts),
    },
  };
}

/** The idempotency key of an approval: derived from the request's id, so every re-run carries the same one. */
export const idempotencyKeyOf = (retryId: string) => `reckon-retry-${retryId}`;
