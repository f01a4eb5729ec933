// Stripe PaymentRetrier: the one write Reckon makes to Stripe, confirming a failed PaymentIntent again (a payment
// retry a person asked for and finance approved) under an idempotency key, so Stripe charges at most once per key.
import Stripe from "stripe";
import { openGate } from "../gate";
import type { SourcePayment } from "../records";
import { type PullOptions, SourceError } from "../source";
import { toSourceError } from "./errors";
import { type StripeSourceConfig, stripeClient } from "./index";
import { mapCharge } from "./map";

/** What Stripe said to a retry. Anything else (no answer, 429, 5xx, a key clash) is thrown as a SourceError. */
export type RetryOutcome =
  /** The card was charged: `chargeId` is the new charge, `payment` it mapped (null when re-reading it failed). */
  | { kind: "succeeded"; chargeId: string; payment: SourcePayment | null }
  /** The card was declined again: a new failed charge, with the issuer's decline code. */
  | { kind: "declined"; code: string; message: string; chargeId: string | null; payment: SourcePayment | null }
  /** The intent was paid already (by other means, or by this key's first call once Stripe forgot the key). */
  | { kind: "already_paid"; chargeId: string | null; payment: SourcePayment | null }
  /** Stripe refused the request itself (the intent was cancelled, the card is gone): nothing was charged. */
  | { kind: "refused"; code: string; message: string };

export interface PaymentRetrier {
  /**
   * The card a retry would charge: the customer's default payment method (a card they updated after the decline),
   * else the card that was declined; null when there is none. Reads only. Throws SourceError.
   */
  cardOnFile(input: { paymentIntentId: string; failedChargeId: string }): Promise<string | null>;
  /**
   * Confirms the intent again with `paymentMethodId`. However often this runs with one key (a double click, a re-run
   * after a crash), Stripe charges at most once and answers the first result again, provided the card is the same:
   * store the card before the first call. Throws SourceError when Stripe gave no usable answer; calling again with
   * the same key and card is then safe.
   */
  retry(
    input: { paymentIntentId: string; paymentMethodId: string; idempotencyKey: string },
    options: PullOptions,
  ): Promise<RetryOutcome>;
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value === null || value === undefined ? null : typeof value === "string" ? value : value.id;

/**
 * A confirm that got no usable answer. Under an idempotency key two answers a sync would call final are not, and a
 * retry with the same key does help: a 409 (another request with this key is still running; Stripe saved nothing)
 * and an answer we could not read (Stripe may have charged: the same key replays what it saved). Everything else is
 * classified as for any request (a 400 idempotency error, the key reused with other parameters, stays invalid).
 */
function unanswered(error: unknown): SourceError {
  const failure = toSourceError(error);
  const keyInUse = error instanceof Stripe.errors.StripeIdempotencyError && error.statusCode === 409;
  const unreadable = failure.kind === "invalid" && (failure.status === null || failure.status < 300);
  if (!keyInUse && !unreadable) return failure;
  const why = keyInUse ? "another call with this key is still running" : "its answer was unreadable";
  const transient = new SourceError("stripe", "transient", `stripe: retry not answered (${why})`, null, failure.status);
  transient.cause = error;
  return transient;
}

/** Built like the PaymentSource (same config, same gate); no SDK retries: the idempotency key makes ours safe. */
export function createStripePaymentRetrier(config: StripeSourceConfig): PaymentRetrier {
  const stripe = stripeClient(config);
  const gate = config.gate ?? openGate;
  const call = <T>(request: () => Promise<T>): Promise<T> => gate.run(request);
  const read = <T>(request: () => Promise<T>): Promise<T> =>
    call(request).catch((error: unknown) => {
      throw toSourceError(error);
    });
  /** The charge as a record; null when re-reading it failed (the sync picks it up later). */
  const recordOf = async (chargeId: string | null, now: Date): Promise<SourcePayment | null> => {
    if (!chargeId) return null;
    try {
      return mapCharge(await read(() => stripe.charges.retrieve(chargeId)), now);
    } catch {
      return null;
    }
  };

  async function cardOnFile(input: { paymentIntentId: string; failedChargeId: string }): Promise<string | null> {
    const intent = await read(() => stripe.paymentIntents.retrieve(input.paymentIntentId));
    const customerId = idOf(intent.customer);
    if (customerId) {
      const customer = await read(() => stripe.customers.retrieve(customerId));
      const preferred = customer.deleted ? null : idOf(customer.invoice_settings?.default_payment_method);
      if (preferred) return preferred;
    }
    const declined = await read(() => stripe.charges.retrieve(input.failedChargeId));
    return idOf(declined.payment_method);
  }

  async function retry(
    input: { paymentIntentId: string; paymentMethodId: string; idempotencyKey: string },
    options: PullOptions,
  ): Promise<RetryOutcome> {
    try {
      const intent = await call(() =>
        stripe.paymentIntents.confirm(
          input.paymentIntentId,
          { payment_method: input.paymentMethodId, off_session: true },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      const chargeId = idOf(intent.latest_charge);
      if (intent.status === "succeeded" && chargeId) {
        return { kind: "succeeded", chargeId, payment: await recordOf(chargeId, options.now) };
      }
      // processing, requires_action (3-D Secure off session): not an answer yet; the sync will see how it ends.
      throw new SourceError("stripe", "transient", `stripe: the retried intent is ${intent.status}, not settled yet`);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        const chargeId = error.charge ?? null;
        return {
          kind: "declined",
          code: error.decline_code ?? error.code ?? "card_declined",
          message: error.message,
          chargeId,
          payment: await recordOf(chargeId, options.now),
        };
      }
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code) {
        if (error.code === "payment_intent_unexpected_state") return unexpectedState(input.paymentIntentId, options);
        return { kind: "refused", code: error.code, message: error.message };
      }
      throw unanswered(error);
    }
  }

  /** Confirm refused the intent's state: paid already, cancelled, or still settling. */
  async function unexpectedState(paymentIntentId: string, options: PullOptions): Promise<RetryOutcome> {
    const intent = await read(() => stripe.paymentIntents.retrieve(paymentIntentId));
    if (intent.status === "succeeded") {
      const chargeId = idOf(intent.latest_charge);
      return { kind: "already_paid", chargeId, payment: await recordOf(chargeId, options.now) };
    }
    if (intent.status === "canceled") {
      return {
        kind: "refused",
        code: "payment_intent_canceled",
        message: "The payment intent was cancelled in Stripe.",
      };
    }
    throw new SourceError("stripe", "transient", `stripe: the payment intent is ${intent.status}; not settled yet`);
  }

  return { cardOnFile, retry };
}
