// The Stripe call of an approval whose attempt this process has claimed: pick and store the card, confirm the
// intent under the approval's idempotency key, record what Stripe said, and bring the account up to date.
import { type RetryOutcome, SourceError, type SourcePayment } from "@reckon/connectors";
import { inTransaction, queryRows, writeRecords } from "@reckon/db";
import { sql } from "drizzle-orm";
import { type AuditAction, recordAudit } from "../audit/recordAudit";
import { systemContext, type TenantContext } from "../context";
import { reconcileTenant } from "../reconcile/reconcileTenant";
import { stripeRetrierFor } from "./stripeRetrier";

/** How long a claimed attempt is left alone before another caller may take it over (longer than the calls' timeouts). */
export const attemptLeaseSeconds = 120;

type Outcome = RetryOutcome | { kind: "no_card" };

interface ClaimedRetry {
  account_id: string;
  payment_source_id: string;
  payment_intent_id: string;
  payment_method_id: string | null;
  idempotency_key: string;
}

/**
 * Runs attempt number `attempt` of an approved retry. Stripe answering (paid, declined, refused) settles the
 * request; no answer (outage, timeout, 429) releases the claim with the error, leaving the approval to run again
 * with the same key and card. Throws only for failures of our own (the database), after releasing the claim.
 */
export async function runPaymentRetry(ctx: TenantContext, retryId: string, attempt: number): Promise<void> {
  const t = ctx.tenant.tenantId;
  const [retry] = await queryRows<ClaimedRetry>(
    ctx.tenant.db,
    sql`select account_id, payment_source_id, payment_intent_id, payment_method_id, idempotency_key
        from payment_retry_requests
        where tenant_id = ${t}::uuid and id = ${retryId}::uuid and status = 'approved' and attempts = ${attempt}`,
  );
  if (!retry) return;
  const release = (error: string) =>
    queryRows(
      ctx.tenant.db,
      sql`update payment_retry_requests set attempt_started_at = null, last_error = ${error}, updated_at = now()
          where tenant_id = ${t}::uuid and id = ${retryId}::uuid and status = 'approved' and attempts = ${attempt}`,
    );
  let outcome: Outcome;
  try {
    const retrier = await stripeRetrierFor(ctx);
    if (!retrier) {
      await release("Stripe is not connected. Connect it (PUT /v1/connections/stripe), then approve again.");
      return;
    }
    let card = retry.payment_method_id;
    if (!card) {
      const onFile = await retrier.cardOnFile({
        paymentIntentId: retry.payment_intent_id,
        failedChargeId: retry.payment_source_id,
      });
      card = onFile ? await storeCard(ctx, retryId, onFile) : null;
    }
    outcome = card
      ? await retrier.retry(
          { paymentIntentId: retry.payment_intent_id, paymentMethodId: card, idempotencyKey: retry.idempotency_key },
          { now: ctx.clock() },
        )
      : { kind: "no_card" };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log.warn({ err: error, retryId, attempt }, "payment retry got no answer from Stripe; the approval stands");
    await release(`Stripe did not answer (${message}). Approve again to retry with the same key.`);
    if (error instanceof SourceError) return;
    throw error;
  }
  await settle(ctx, retryId, outcome);
  const payment = "payment" in outcome ? outcome.payment : null;
  if (payment) await applyPayment(ctx, retry.account_id, payment);
}

/** The card is chosen once: a re-run must send Stripe the very request the first call sent. */
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

/** Records the answer once (a concurrent re-run that got the same replayed answer finds it settled) and audits it. */
async function settle(ctx: TenantContext, retryId: string, outcome: Outcome): Promise<void> {
  const state = finalState(outcome);
  await inTransaction(ctx.tenant, async (tx) => {
    const [settled] = await queryRows<{ account_id: string; amount_minor: string; currency: string }>(
      tx.db,
      sql`update payment_retry_requests
          set status = ${state.status}, outcome_code = ${state.code}, outcome_message = ${state.message},
              stripe_charge_id = ${state.chargeId}, completed_at = now(), attempt_started_at = null, last_error = null,
              updated_at = now()
          where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${retryId}::uuid and status = 'approved'
          returning account_id, amount_minor::text as amount_minor, currency`,
    );
    if (!settled) return;
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
  });
}

/**
 * Stores the charge the retry made and reconciles its account, so account detail, the portfolio and the CRM show
 * it at once. Best effort: the scheduled sync replays Stripe's events and gets it anyway.
 */
async function applyPayment(ctx: TenantContext, accountId: string, payment: SourcePayment): Promise<void> {
  try {
    await inTransaction(ctx.tenant, (tx) =>
      writeRecords(tx, { customers: [], invoices: [], payments: [payment], usage: [] }),
    );
    await reconcileTenant({ ctx: systemContext(ctx, ctx.tenant), input: { accountIds: [accountId] } });
  } catch (error) {
    ctx.log.warn({ err: error, accountId }, "payment retry settled; storing its charge failed (the next sync will)");
  }
}
