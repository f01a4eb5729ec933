// Verb (finance, admin): approve or reject a payment retry request. Approving retries the payment exactly once:
// the transition requested -> approved is one conditional UPDATE, and only the caller whose UPDATE returned the row
// calls Stripe (under the request's idempotency key). Double clicks and concurrent approvals answer that one outcome.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize, surfaceOf } from "../access/actor";
import { visibleAccounts } from "../access/visibility";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { type PaymentRetry, type PaymentRetryRow, paymentRetryQuery, toPaymentRetry } from "./paymentRetry";
import { attemptLeaseSeconds, runPaymentRetry } from "./runPaymentRetry";

export const paymentRetryIdInput = z.object({ retryId: z.string().uuid("a payment retry id (uuid)") });
/** The route's body: an optional note (approval) or reason (rejection). */
export const decidePaymentRetryBody = z.object({ reason: z.string().trim().max(1000).optional() }).strict();
export const decidePaymentRetryInput = decidePaymentRetryBody
  .extend({ ...paymentRetryIdInput.shape, decision: z.enum(["approve", "reject"]) })
  .strict();

export type DecidePaymentRetryResult =
  /** `replayed`: it had been decided that way already (a double click): nothing new happened. */
  | { ok: true; retry: PaymentRetry; replayed: boolean }
  | { ok: false; reason: "not_found" }
  /** Decided the other way already (rejected, then approved; or approved, then rejected). */
  | { ok: false; reason: "already_decided"; retry: PaymentRetry };

const settledByApproval = new Set(["approved", "succeeded", "failed", "cancelled"]);

export async function decidePaymentRetry({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof decidePaymentRetryInput>;
}): Promise<DecidePaymentRetryResult> {
  authorize(ctx.actor, "payments.retry.approve");
  const { retryId, decision, reason } = decidePaymentRetryInput.parse(input);
  const t = ctx.tenant.tenantId;
  const by = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const mine = sql`r.tenant_id = ${t}::uuid and r.id = ${retryId}::uuid
                   and exists (select 1 from accounts a where a.tenant_id = r.tenant_id and a.id = r.account_id
                               and ${visibleAccounts(ctx.actor, sql`a.owner_id`)})`;
  const read = async () => {
    const [row] = await queryRows<PaymentRetryRow>(ctx.tenant.db, paymentRetryQuery(mine));
    return row ? toPaymentRetry(row) : null;
  };

  // The decision itself: only a request still `requested` moves, and the audit row is part of the move.
  const decided = await inTransaction(ctx.tenant, async (tx) => {
    // Paid by other means since it was asked for (the customer paid, a sync saw it): approve charges nothing.
    const [paid] = await queryRows<{ charge_id: string }>(
      tx.db,
      sql`select q.source_id as charge_id from payment_retry_requests r
          join payments q on q.tenant_id = r.tenant_id and q.source = 'stripe' and q.payment_intent_id = r.payment_intent_id
          where ${mine} and q.status in ('succeeded', 'refunded', 'disputed') limit 1`,
    );
    const status = decision === "reject" ? "rejected" : paid ? "cancelled" : "approved";
    const note = paid && decision === "approve" ? `Already paid (${paid.charge_id}): nothing was charged.` : null;
    const [moved] = await queryRows<{ attempts: number }>(
      tx.db,
      sql`update payment_retry_requests r
          set status = ${status}, decided_by = ${by}::uuid, decided_via = ${surfaceOf(ctx.actor)}, decided_at = now(),
              reason = ${note ?? (reason || null)},
              attempts = r.attempts + ${status === "approved" ? 1 : 0},
              attempt_started_at = ${status === "approved" ? sql`now()` : sql`null`},
              completed_at = ${status === "cancelled" ? sql`now()` : sql`null`},
              outcome_code = ${status === "cancelled" ? "already_paid" : null},
              updated_at = now()
          where ${mine} and r.status = 'requested'
          returning r.attempts, r.account_id`,
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
    return { status, attempts: moved.attempts };
  });
  // Committed before Stripe is called: a concurrent caller now sees `approved` and leaves Stripe alone.
  if (decided?.status === "approved") await runPaymentRetry(ctx, retryId, decided.attempts);
  if (decided) return { ok: true, retry: (await read())!, replayed: false };

  const current = await read();
  if (!current) return { ok: false, reason: "not_found" };
  if (decision === "reject") {
    return current.status === "rejected"
      ? { ok: true, retry: current, replayed: true }
      : { ok: false, reason: "already_decided", retry: current };
  }
  if (!settledByApproval.has(current.status)) return { ok: false, reason: "already_decided", retry: current };
  if (current.status === "approved") {
    const resumed = await resumeAttempt(ctx, retryId);
    if (resumed !== null) {
      await runPaymentRetry(ctx, retryId, resumed);
      return { ok: true, retry: (await read())!, replayed: false };
    }
  }
  return { ok: true, retry: current, replayed: true };
}

/**
 * Takes over an approval nobody is calling Stripe for: its last call got no answer (the claim was released), or the
 * process that claimed it died (the claim is older than the lease). Answers the new attempt number, or null when
 * another caller holds a live claim. The Stripe call that follows carries the same key and card as the first.
 */
async function resumeAttempt(ctx: TenantContext, retryId: string): Promise<number | null> {
  return inTransaction(ctx.tenant, async (tx) => {
    const [claimed] = await queryRows<{ attempts: number }>(
      tx.db,
      sql`update payment_retry_requests set attempts = attempts + 1, attempt_started_at = now(), updated_at = now()
          where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${retryId}::uuid and status = 'approved'
            and (attempt_started_at is null or attempt_started_at < now() - ${`${attemptLeaseSeconds} seconds`}::interval)
          returning attempts`,
    );
    if (!claimed) return null;
    await recordAudit(
      { ...ctx, tenant: tx },
      { action: "payment_retry.resumed", target: { type: "payment_retry", id: retryId }, details: claimed },
    );
    return claimed.attempts;
  });
}
