// Verb (finance, admin): approve or reject a payment retry request. The decision is one conditional UPDATE
// (requested -> approved | rejected | cancelled) with its audit row; an approval then queues the `payments.retry`
// job, which charges Stripe exactly once under the request's idempotency key (see runPaymentRetry). Double clicks,
// concurrent approvals and redelivered Slack actions find the decision made and answer it again.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize, surfaceOf } from "../access/actor";
import { actingUserId, onVisibleAccount } from "../actions/actionRecord";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";
import { getPaymentRetry } from "./listPaymentRetries";
import { type PaymentRetry, type PaymentRetryStatus, paymentRetryIdInput } from "./paymentRetry";

/** The route's body: an optional note (approval) or reason (rejection). */
export const decidePaymentRetryBody = z.object({ reason: z.string().trim().max(1000).optional() }).strict();
export const decidePaymentRetryInput = decidePaymentRetryBody
  .extend({ ...paymentRetryIdInput.shape, decision: z.enum(["approve", "reject"]) })
  .strict();

export type DecidePaymentRetryResult =
  /**
   * `retry` as the decision left it: `approved` while the `payments.retry` job charges Stripe (it settles the request
   * and announces it to Slack), `cancelled` when it had been paid by other means, `rejected`. `replayed`: it had been
   * decided that way already (a double click); nothing new was decided.
   */
  | { ok: true; retry: PaymentRetry; replayed: boolean }
  | { ok: false; reason: "not_found" }
  /** Decided the other way already (rejected, then approved; or approved, then rejected). */
  | { ok: false; reason: "already_decided"; retry: PaymentRetry };

/** What an approval may have become since: a second approve answers it as it stands. */
const settledByApproval = new Set<PaymentRetryStatus>(["approved", "succeeded", "failed", "cancelled"]);

/** Queues the Stripe call of an approval; one waiting job per request, however often it is asked for. */
export async function queuePaymentRetryRun(
  jobs: Pick<JobRunner, "enqueue">,
  tenantId: string,
  retryId: string,
): Promise<void> {
  await jobs.enqueue("payments.retry", { tenantId, retryId }, { dedupeKey: `payments.retry:${retryId}` });
}

export async function decidePaymentRetry({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  /** Where the approval's Stripe call is queued. */
  jobs: Pick<JobRunner, "enqueue">;
  input: z.input<typeof decidePaymentRetryInput>;
}): Promise<DecidePaymentRetryResult> {
  authorize(ctx.actor, "payments.retry.approve");
  const { retryId, decision, reason } = decidePaymentRetryInput.parse(input);
  const mine = sql`${onVisibleAccount(ctx, "r")} and r.id = ${retryId}::uuid`;

  const decided = await inTransaction(ctx.tenant, async (tx) => {
    // Paid by other means since it was asked for (the customer paid, a sync saw it): approving charges nothing.
    const [paid] = await queryRows<{ charge_id: string }>(
      tx.db,
      sql`select q.source_id as charge_id from payment_retry_requests r
          join payments q on q.tenant_id = r.tenant_id and q.source = 'stripe' and q.payment_intent_id = r.payment_intent_id
          where ${mine} and q.status in ('succeeded', 'refunded', 'disputed') limit 1`,
    );
    const status = decision === "reject" ? "rejected" : paid ? "cancelled" : "approved";
    const cancelled = status === "cancelled";
    const [moved] = await queryRows<{ id: string }>(
      tx.db,
      sql`update payment_retry_requests r
          set status = ${status}, decided_by = ${actingUserId(ctx.actor)}::uuid, decided_via = ${surfaceOf(ctx.actor)},
              decided_at = now(), updated_at = now(),
              reason = ${cancelled ? `Already paid (${paid?.charge_id}): nothing was charged.` : reason || null},
              completed_at = ${cancelled ? sql`now()` : sql`null`},
              outcome_code = ${cancelled ? "already_paid" : null}
          where ${mine} and r.status = 'requested'
          returning r.id`,
    );
    if (!moved) return null;
    await recordAudit(
      { ...ctx, tenant: tx },
      {
        action: `payment_retry.${status}`,
        target: { type: "payment_retry", id: retryId },
        details: { decision, ...(reason ? { reason } : {}), ...(paid ? { paidBy: paid.charge_id } : {}) },
      },
    );
    return status;
  });
  // Queued once the approval is committed, so the job always finds it approved.
  if (decided === "approved") await queuePaymentRetryRun(jobs, ctx.tenant.tenantId, retryId);
  const current = await getPaymentRetry({ ctx, input: { retryId } });
  if (!current) return { ok: false, reason: "not_found" };
  if (decided) return { ok: true, retry: current, replayed: false };

  if (decision === "reject") {
    return current.status === "rejected"
      ? { ok: true, retry: current, replayed: true }
      : { ok: false, reason: "already_decided", retry: current };
  }
  if (!settledByApproval.has(current.status)) return { ok: false, reason: "already_decided", retry: current };
  // Approved but not settled: its job may have given up on a Stripe outage, or died with its process. Queueing it
  // again is safe (the run claims the approval and reuses its key and card) and is how "Try again" works.
  if (current.status === "approved") await queuePaymentRetryRun(jobs, ctx.tenant.tenantId, retryId);
  return { ok: true, retry: current, replayed: true };
}
