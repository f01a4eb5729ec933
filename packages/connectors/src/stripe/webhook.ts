// Stripe webhook deliveries: the signature checked by the SDK over the raw body before anything reads it.
import Stripe from "stripe";

/** Stripe's own default: a signed timestamp older than five minutes is a replay, not a delivery. */
export const stripeWebhookToleranceSeconds = 300;

export type StripeWebhookCheck =
  | { ok: true; event: Stripe.Event }
  | { ok: false; reason: "bad_signature" | "malformed"; message: string };

/**
 * Verifies `stripe-signature` over the exact bytes received (`constructEvent`: HMAC-SHA256, constant-time compare,
 * timestamp tolerance), then parses. `receivedAtSeconds` pins the clock in tests; production leaves it unset.
 */
export function checkStripeWebhook(
  rawBody: string,
  signatureHeader: string | undefined,
  secret: string,
  options: { toleranceSeconds?: number; receivedAtSeconds?: number } = {},
): StripeWebhookCheck {
  if (!signatureHeader) return { ok: false, reason: "bad_signature", message: "No stripe-signature header." };
  try {
    const event = Stripe.webhooks.constructEvent(
      rawBody,
      signatureHeader,
      secret,
      options.toleranceSeconds ?? stripeWebhookToleranceSeconds,
      undefined,
      options.receivedAtSeconds,
    );
    return { ok: true, event };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      return { ok: false, reason: "bad_signature", message: "The stripe-signature header does not match the body." };
    }
    // The signature held, so the body is Stripe's; it just is not JSON we can read.
    return { ok: false, reason: "malformed", message: "The signed body is not a JSON event." };
  }
}

/** A `stripe-signature` header for a body, as Stripe computes it (the sandbox's sender and tests use it). */
export function signStripeWebhook(payload: string, secret: string, timestampSeconds?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestampSeconds === undefined ? {} : { timestamp: timestampSeconds }),
  });
}
