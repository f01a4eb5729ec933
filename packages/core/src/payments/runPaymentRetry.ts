// Verb (the `payments.retry` job, or finance): charge an approved retry on Stripe. It claims the approval, picks and
// stores the card once, confirms the intent under the approval's idempotency key, records what Stripe said and
// brings the account up to date. However often it runs (job retries, a second worker, a re-run after a crash or an
// outage), every call sends Stripe the very same request under the same key, so Stripe charges at most once.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { authorize } from "../access/actor";
import { onVisibleAccount } from "../actions/actionRecord";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { getPaymentRetry } from "./listPaymentRetries";
import { type PaymentRetry, paymentRetryIdInput } from "./paymentRetry";
import { type ClaimedRetry, callStripe, recordCharge, settle } from "./settlePaymentRetry";

/**
 * How long a claimed attempt is left alone before another caller may take it over: longer than the job's timeout
 * (2 min) and than one attempt's Stripe calls (at most five, 30 s each), so only a process that died leaves a claim
 * this old. Taking over early would still charge once (same key, same card); the lease only spares Stripe the call.
 */
export const attemptLeaseSeconds = 180;

export const runPaymentRetryInput = paymentRetryIdInput.strict();

export type RunPaymentRetryResult =
  /** Settled (succeeded, failed, cancelled); `ran`: this call got Stripe's answer, false when it was settled before. */
  | { ok: true; retry: PaymentRetry; ran: boolean }
  | { ok: false; reason: "not_found" }
  /** Still requested, or rejected: there is nothing to charge. */
  | { ok: false; reason: "not_approved"; retry: PaymentRetry }
  /** Another caller is calling Stripe for it now; run again after `retryAfterMs` (its claim lapses then). */
  | { ok: false; reason: "busy"; retry: PaymentRetry; retryAfterMs: number }
  /**
   * Stripe gave no answer (outage, timeout, 429, an unreadable answer) or is not connected: the approval stands with
   * `lastError`. `retryable`: running again (same key, same card) can help; `retryAfterMs`: Stripe asked to wait.
   */
  | { ok: false; reason: "no_answer"; retry: PaymentRetry; retryable: boolean; retryAfterMs: number | null };

export async function runPaymentRetry({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof runPaymentRetryInput>;
}): Promise<RunPaymentRetryResult> {
  authorize(ctx.actor, "payments.retry.approve");
  const { retryId } = runPaymentRetryInput.parse(input);
  const current = () => getPaymentRetry({ ctx, input: { retryId } });
  const claimed = await claim(ctx, retryId);
  if (!claimed) return unclaimed(ctx, retryId);

  const answer = await callStripe(ctx, retryId, claimed);
  if (answer.kind === "no_answer") {
    const retry = (await current())!;
    return { ok: false, reason: "no_answer", retry, retryable: answer.retryable, retryAfterMs: answer.retryAfterMs };
  }
  const ran = await settle(ctx, retryId, answer.outcome);
  if (ran) await recordCharge(ctx, claimed.account_id, answer.outcome);
  return { ok: true, retry: (await current())!, ran };
}

/**
 * Takes the approval for this caller when nobody is calling Stripe for it: never called yet, its last call got no
 * answer (the claim was released), or the process that claimed it died (the claim is older than the lease). A second
 * and later attempt is audited as resumed.
 */
async function claim(ctx: TenantContext, retryId: string): Promise<ClaimedRetry | null> {
  return inTransaction(ctx.tenant, async (tx) => {
    const [claimed] = await queryRows<ClaimedRetry>(
      tx.db,
      sql`update payment_retry_requests r
          set attempts = r.attempts + 1, attempt_started_at = now(), updated_at = now()
          where ${onVisibleAccount(ctx, "r")} and r.id = ${retryId}::uuid and r.status = 'approved'
            and (r.attempt_started_at is null
                 or r.attempt_started_at < now() - ${`${attemptLeaseSeconds} seconds`}::interval)
          returning r.attempts, r.account_id, r.payment_source_id, r.payment_intent_id, r.payment_method_id,
                    r.idempotency_key`,
    );
    if (claimed && claimed.attempts > 1) {
      await recordAudit(
        { ...ctx, tenant: tx },
        {
          action: "payment_retry.resumed",
          target: { type: "payment_retry", id: retryId },
          details: { attempts: claimed.attempts },
        },
      );
    }
    return claimed ?? null;
  });
}

/** Why the approval could not be claimed, as the caller should act on it. */
async function unclaimed(ctx: TenantContext, retryId: string): Promise<RunPaymentRetryResult> {
  const retry = await getPaymentRetry({ ctx, input: { retryId } });
  if (!retry) return { ok: false, reason: "not_found" };
  if (retry.status === "requested" || retry.status === "rejected") return { ok: false, reason: "not_approved", retry };
  if (retry.status !== "approved") return { ok: true, retry, ran: false };
  const [lease] = await queryRows<{ left_ms: number }>(
    ctx.tenant.db,
    sql`select greatest(0, ceil(extract(epoch from (attempt_started_at
                + ${`${attemptLeaseSeconds} seconds`}::interval - now())) * 1000))::int as left_ms
        from payment_retry_requests where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${retryId}::uuid`,
  );
  return { ok: false, reason: "busy", retry, retryAfterMs: (lease?.left_ms ?? 0) + 1_000 };
}
