// One claimed attempt of an approved retry: the Stripe call with the stored card and key, the request settled with
// what Stripe answered, and the charge it made stored and reconciled.
import { type RetryOutcome, SourceError } from "@reckon/connectors";
import { inTransaction, queryRows, writeRecords } from "@reckon/db";
import { sql } from "drizzle-orm";
import { type AuditAction, recordAudit } from "../audit/recordAudit";
import { systemContext, type TenantContext } from "../context";
import { reconcileTenant } from "../reconcile/reconcileTenant";
import { stripeRetrierFor } from "./stripeRetrier";

/** What a claim hands the Stripe call: the request exactly as every attempt of the approval sends it. */
export interface ClaimedRetry {
  /** This attempt's number: releasing the claim is fenced by it, so a stale attempt cannot release a newer one's. */
  attempts: number;
  account_id: string;
  payment_source_id: string;
  payment_intent_id: string;
  payment_method_id: string | null;
  idempotency_key: string;
}

/** What Stripe answered, or that the customer has no card to charge. */
export type Outcome = RetryOutcome | { kind: "no_card" };

export type StripeAnswer =
  | { kind: "answer"; outcome: Outcome }
  /** No usable answer: the claim is released with the reason in `last_error`, the approval stands. */
  | { kind: "no_answer"; retryable: boolean; retryAfterMs: number | null };

/**
 * Calls Stripe for the claimed attempt. Throws only for failures of our own (the database), after releasing the
 * claim, so a later run can go ahead at once.
 */
export async function callStripe(ctx: TenantContext, retryId: string, claimed: ClaimedRetry): Promise<StripeAnswer> {
  const release = (error: string) =>
    queryRows(
      ctx.tenant.db,
      sql`update payment_retry_requests set attempt_started_at = null, last_error = ${error}, updated_at = now()
          where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${retryId}::uuid and status = 'approved'
            and attempts = ${claimed.attempts}`,
    );
  try {
    const retrier = await stripeRetrierFor(ctx);
    if (!retrier) {
      await release("Stripe is not connected: connect it (PUT /v1/connections/stripe), then approve again.");
      return { kind: "no_answer", retryable: false, retryAfterMs: null };
    }
    let card = claimed.payment_method_id;
    if (!card) {
      const onFile = await retrier.cardOnFile({
        paymentIntentId: claimed.payment_intent_id,
        failedChargeId: claimed.payment_source_id,
      });
      card = onFile ? await storeCard(ctx, retryId, onFile) : null;
    }
    if (!card) return { kind: "answer", outcome: { kind: "no_card" } };
    const outcome = await retrier.retry(
      { paymentIntentId: claimed.payment_intent_id, paymentMethodId: card, idempotencyKey: claimed.idempotency_key },
      { now: ctx.clock() },
    );
    return { kind: "answer", outcome };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log.warn(
      { err: error, retryId, attempt: claimed.attempts },
      "payment retry got no answer; the approval stands",
    );
    await release(`Stripe did not answer (${message}); the retry is tried again with the same key.`);
    if (error instanceof SourceError) {
      return { kind: "no_answer", retryable: error.retryable, retryAfterMs: error.retryAfterMs };
    }
    throw error;
  }
}

/** The card is chosen once (the first stored wins): a re-run must send Stripe the very request the first call sent. */
async function storeCard(ctx: TenantContext, retryId: string, card: string): Promise<string> {
  const [row] = await queryRows<{ payment_method_id: string }>(
    ctx.tenant.db,
    sql`update payment_retry_requests set payment_method_id = coalesce(payment_method_id, ${card}), updated_at = now()
        where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${retryId}::uuid
        returning payment_method_id`,
  );
  return row!.payment_method_id;
}

function finalState(outcome: Outcome) {
  switch (outcome.kind) {
    case "succeeded":
      return { status: "succeeded", code: null, message: null, chargeId: outcome.chargeId } as const;
    case "declined":
      return { status: "failed", code: outcome.code, message: outcome.message, chargeId: outcome.chargeId } as const;
    case "already_paid":
      return {
        status: "cancelled",
        code: "already_paid",
        message: `Stripe says the payment was made already${outcome.chargeId ? ` (${outcome.chargeId})` : ""}; nothing was charged.`,
        chargeId: null,
      } as const;
    case "refused":
      return { status: "failed", code: outcome.code, message: outcome.message, chargeId: null } as const;
    case "no_card":
      return {
        status: "failed",
        code: "no_payment_method",
        message: "The customer has no card on file in Stripe: ask them to add one, then request a retry again.",
        chargeId: null,
      } as const;
  }
}

/**
 * Records the answer once and audits it; false when another run settled it first (it got the same answer: Stripe
 * replays one key's answer).
 */
export async function settle(ctx: TenantContext, retryId: string, outcome: Outcome): Promise<boolean> {
  const state = finalState(outcome);
  return inTransaction(ctx.tenant, async (tx) => {
    const [settled] = await queryRows<{ account_id: string; amount_minor: string; currency: string }>(
      tx.db,
      sql`update payment_retry_requests
          set status = ${state.status}, outcome_code = ${state.code}, outcome_message = ${state.message},
              stripe_charge_id = ${state.chargeId}, completed_at = now(), attempt_started_at = null, last_error = null,
              updated_at = now()
          where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${retryId}::uuid and status = 'approved'
          returning account_id, amount_minor::text as amount_minor, currency`,
    );
    if (!settled) return false;
    const action: AuditAction = `payment_retry.${state.status}`;
    await recordAudit(
      { ...ctx, tenant: tx },
      {
        action,
        target: { type: "payment_retry", id: retryId },
        details: {
          accountId: settled.account_id,
          amount: { minor: settled.amount_minor, currency: settled.currency },
          chargeId: state.chargeId,
          code: state.code,
        },
      },
    );
    return true;
  });
}

/**
 * Stores the charge the retry made and reconciles its account, so account detail, the portfolio and the CRM show
 * it at once. Best effort: the scheduled sync and Stripe's webhook bring the same charge anyway.
 */
export async function recordCharge(ctx: TenantContext, accountId: string, outcome: Outcome): Promise<void> {
  const payment = "payment" in outcome ? outcome.payment : null;
  if (!payment) return;
  try {
    await inTransaction(ctx.tenant, (tx) =>
      writeRecords(tx, { customers: [], invoices: [], payments: [payment], usage: [] }),
    );
    await reconcileTenant({ ctx: systemContext(ctx, ctx.tenant), input: { accountIds: [accountId] } });
  } catch (error) {
    ctx.log.warn({ err: error, accountId }, "payment retry settled; storing its charge failed (the next sync will)");
  }
}
