// POST /v1/payment_intents/:id/confirm: a failed payment retried with a card, charged once per idempotency key.
//
// Which cards decline: Stripe's own test payment methods behave as in test mode (`pm_card_visa` pays,
// `pm_card_chargeDeclinedInsufficientFunds` declines with insufficient_funds, ...). A generated card (the `pm_` of an
// earlier charge) follows its issuer's advice on its last decline: "try_again_later" (insufficient funds) pays now,
// "do_not_try_again" (expired, do not honor, generic) declines again the same way. A test makes a retry decline by
// giving the customer a declining card: `customer.invoice_settings.default_payment_method = "pm_card_chargeDeclined"`.
import type { Hono } from "hono";
import type Stripe from "stripe";
import { stripeApiVersion } from "../generate/events.js";
import { charge as buildCharge, type CardDecline, paymentIntentFor } from "../generate/stripeObjects.js";
import type { Scenario } from "../scenario.js";
import { createIdempotencyStore, type StripeAnswer } from "./stripeIdempotency.js";
import { type FormValue, invalidRequest, parseStripeQuery } from "./stripeList.js";
import { providerId } from "./webhooks.js";

interface Card {
  brand: string;
  last4: string;
  decline: CardDecline | null;
}

/** Stripe's test-mode payment methods (https://docs.stripe.com/testing#declined-payments). */
const testCards: Record<string, Card> = {
  pm_card_visa: { brand: "visa", last4: "4242", decline: null },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", decline: null },
  pm_card_amex: { brand: "amex", last4: "8431", decline: null },
  pm_card_chargeDeclined: {
    brand: "visa",
    last4: "0002",
    decline: { failureCode: "card_declined", declineCode: "generic_decline", message: "Your card was declined." },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    decline: {
      failureCode: "card_declined",
      declineCode: "insufficient_funds",
      message: "Your card has insufficient funds.",
    },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    decline: { failureCode: "expired_card", declineCode: "expired_card", message: "Your card has expired." },
  },
};

const confirmable = new Set(["requires_payment_method", "requires_confirmation", "requires_action"]);
const confirmParams = new Set(["payment_method", "off_session", "expand"]);

/** The card behind a payment method id: a test card, or the card of the latest charge made with it. */
function cardOf(scenario: Scenario, paymentMethod: string): Card | null {
  const test = testCards[paymentMethod];
  if (test) return test;
  const last = scenario.stripe.charges
    .filter((c) => c.payment_method === paymentMethod)
    .sort((a, b) => b.created - a.created)[0];
  const card = last?.payment_method_details?.card;
  if (!last || !card) return null;
  const declinesAgain = last.status === "failed" && last.outcome?.advice_code !== "try_again_later";
  return {
    brand: card.brand ?? "visa",
    last4: card.last4 ?? "0000",
    decline: declinesAgain
      ? {
          failureCode: last.failure_code ?? "card_declined",
          declineCode: last.outcome?.reason ?? "generic_decline",
          message: last.failure_message ?? "Your card was declined.",
        }
      : null,
  };
}

function confirm(scenario: Scenario, id: string, params: Record<string, FormValue>, key: string | null): StripeAnswer {
  for (const param of Object.keys(params)) {
    if (!confirmParams.has(param)) throw invalidRequest(`Received unknown parameter: ${param}`, param);
  }
  if (params.off_session !== undefined && params.off_session !== "true" && params.off_session !== "false") {
    throw invalidRequest("Invalid boolean: off_session", "off_session");
  }
  const intent = scenario.stripe.paymentIntents.find((p) => p.id === id);
  if (!intent) throw invalidRequest(`No such payment_intent: '${id}'`, "intent", "resource_missing", 404);
  if (!confirmable.has(intent.status)) {
    throw invalidRequest(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.`,
      undefined,
      "payment_intent_unexpected_state",
    );
  }
  const paymentMethod = typeof params.payment_method === "string" ? params.payment_method : intent.payment_method;
  if (typeof paymentMethod !== "string") {
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm this PaymentIntent, pass a payment_method.",
      "payment_method",
      "payment_intent_unexpected_state",
    );
  }
  const card = cardOf(scenario, paymentMethod);
  if (!card) throw invalidRequest(`No such PaymentMethod: '${paymentMethod}'`, "payment_method", "resource_missing");

  const customerId = typeof intent.customer === "string" ? intent.customer : (intent.customer?.id ?? "");
  const customer = scenario.stripe.customers.find((c) => c.id === customerId);
  const chargeId = providerId("ch");
  const charge = buildCharge({
    id: chargeId,
    paymentIntentId: intent.id,
    customerId,
    created: Math.floor(Date.now() / 1000),
    amount: intent.amount,
    currency: intent.currency,
    metadata: { ...intent.metadata },
    description: intent.description ?? "",
    billingName: customer?.name ?? "",
    billingEmail: customer?.email ?? null,
    last4: card.last4,
    brand: card.brand,
    decline: card.decline,
  });
  charge.payment_method = paymentMethod;
  scenario.stripe.charges.push(charge);
  // The intent is changed in place: a retrieve from now on answers its new state.
  const next = paymentIntentFor(charge);
  Object.assign(intent, {
    status: next.status,
    amount_received: next.amount_received,
    latest_charge: charge.id,
    payment_method: next.payment_method,
    last_payment_error: next.last_payment_error,
  } satisfies Partial<Stripe.PaymentIntent>);
  const request = { id: providerId("req", 14), idempotency_key: key };
  const event = (type: string, object: unknown) =>
    ({
      id: providerId("evt"),
      object: "event",
      api_version: stripeApiVersion,
      created: charge.created,
      livemode: false,
      pending_webhooks: 1,
      request,
      type,
      data: { object },
    }) as Stripe.Event;
  const snapshot = structuredClone(intent);
  if (!card.decline) {
    scenario.stripe.events.push(
      event("charge.succeeded", structuredClone(charge)),
      event("payment_intent.succeeded", snapshot),
    );
    return { status: 200, body: snapshot };
  }
  scenario.stripe.events.push(
    event("charge.failed", structuredClone(charge)),
    event("payment_intent.payment_failed", snapshot),
  );
  return {
    status: 402,
    body: {
      error: {
        type: "card_error",
        code: card.decline.failureCode,
        decline_code: card.decline.declineCode,
        message: card.decline.message,
        advice_code: charge.outcome?.advice_code ?? undefined,
        charge: charge.id,
        payment_intent: snapshot,
        doc_url: `https://stripe.com/docs/error-codes/${card.decline.failureCode.replace(/_/g, "-")}`,
      },
    },
  };
}

/** Registers the confirm route; answers go through one idempotency store per server, as Stripe keeps one per account. */
export function registerPaymentIntentConfirm(app: Hono, scenario: Scenario): void {
  const store = createIdempotencyStore();
  app.post("/v1/payment_intents/:id/confirm", async (c) => {
    const params = parseStripeQuery(await c.req.text());
    return store.answer(c, params, (key) => confirm(scenario, c.req.param("id"), params, key));
  });
}
