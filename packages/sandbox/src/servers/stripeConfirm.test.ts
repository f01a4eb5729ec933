// Confirming a failed payment intent again through the official SDK: one charge per idempotency key whatever the
// repeats (sequential or concurrent), Stripe's replay and key-reuse answers, and declines as Stripe's test cards give.
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { type RunningSandbox, startSandbox } from "../sandbox.js";

let sandbox: RunningSandbox;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await startSandbox(generateScenario({ seed: 3, accounts: 25, months: 4, asOf: "2026-11-25" }));
  const { apiKey, host, port, protocol } = sandbox.stripe;
  stripe = new Stripe(apiKey, { host, port, protocol, maxNetworkRetries: 0 });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.faults.reset());

/** A declined charge (insufficient funds: its card pays on a retry) of a customer, as Stripe holds it. */
function failedCharge(): Stripe.Charge {
  const customerId = sandbox.scenario.stripe.customers[0]!.id;
  return sandbox.changes.addCharge({ customerId, amount: 4_200, failed: true, deliver: false }).charge;
}
const chargesOf = (intentId: string) => sandbox.scenario.stripe.charges.filter((c) => c.payment_intent === intentId);
const confirmRequests = (intentId: string) =>
  sandbox.faults.requests("stripe").filter((r) => r.method === "POST" && r.url.includes(`/${intentId}/confirm`));

describe("POST /v1/payment_intents/:id/confirm", () => {
  it("charges once for a key: a repeat answers the saved response, marked replayed", async () => {
    const failed = failedCharge();
    const intentId = String(failed.payment_intent);
    const params = { payment_method: String(failed.payment_method), off_session: true };
    const first = await stripe.paymentIntents.confirm(intentId, params, { idempotencyKey: "reckon-retry-a" });
    expect(first).toMatchObject({ id: intentId, status: "succeeded", amount_received: 4_200 });
    const second = await stripe.paymentIntents.confirm(intentId, params, { idempotencyKey: "reckon-retry-a" });
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    const { lastResponse: _a, ...firstBody } = first;
    const { lastResponse: _b, ...secondBody } = second;
    expect(secondBody).toEqual(firstBody);

    const charges = chargesOf(intentId);
    expect(charges.map((c) => c.status)).toEqual(["failed", "succeeded"]);
    expect(charges[1]).toMatchObject({ id: first.latest_charge, amount: 4_200, payment_method: params.payment_method });
    // The intent as a later retrieve sees it, and the events a sync or webhook reads, naming the key.
    expect(await stripe.paymentIntents.retrieve(intentId)).toMatchObject({ status: "succeeded" });
    const events = sandbox.scenario.stripe.events.filter((e) => e.request?.idempotency_key === "reckon-retry-a");
    expect(events.map((e) => e.type)).toEqual(["charge.succeeded", "payment_intent.succeeded"]);
  });

  it("runs concurrent requests with one key once", async () => {
    const failed = failedCharge();
    const intentId = String(failed.payment_intent);
    const params = { payment_method: String(failed.payment_method) };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => stripe.paymentIntents.confirm(intentId, params, { idempotencyKey: "k-many" })),
    );
    expect(new Set(answers.map((a) => a.latest_charge)).size).toBe(1);
    expect(chargesOf(intentId)).toHaveLength(2);
    expect(confirmRequests(intentId)).toHaveLength(5);
  });

  it("refuses a key reused with other parameters, and a confirm of an intent already paid", async () => {
    const failed = failedCharge();
    const intentId = String(failed.payment_intent);
    await stripe.paymentIntents.confirm(
      intentId,
      { payment_method: String(failed.payment_method) },
      { idempotencyKey: "k-reuse" },
    );
    const reused = stripe.paymentIntents.confirm(
      intentId,
      { payment_method: "pm_card_visa" },
      { idempotencyKey: "k-reuse" },
    );
    await expect(reused).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    const paidAlready = stripe.paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    await expect(paidAlready).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "payment_intent_unexpected_state",
    });
    expect(chargesOf(intentId)).toHaveLength(2);
  });

  it("declines with Stripe's test cards: a 402 card error naming the new charge, saved for the key like a success", async () => {
    const failed = failedCharge();
    const intentId = String(failed.payment_intent);
    const declined = await stripe.paymentIntents
      .confirm(intentId, { payment_method: "pm_card_chargeDeclinedExpiredCard" }, { idempotencyKey: "k-decline" })
      .catch((error: unknown) => error);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    const error = declined as Stripe.errors.StripeCardError;
    expect(error).toMatchObject({ statusCode: 402, code: "expired_card", decline_code: "expired_card" });
    expect(error.payment_intent).toMatchObject({ id: intentId, status: "requires_payment_method" });
    const charges = chargesOf(intentId);
    expect(charges.map((c) => [c.status, c.failure_code])).toEqual([
      ["failed", "card_declined"],
      ["failed", "expired_card"],
    ]);
    expect(error.charge).toBe(charges[1]!.id);
    const again = await stripe.paymentIntents
      .confirm(intentId, { payment_method: "pm_card_chargeDeclinedExpiredCard" }, { idempotencyKey: "k-decline" })
      .catch((e: Stripe.errors.StripeCardError) => e);
    expect(again).toMatchObject({ decline_code: "expired_card", charge: error.charge });
    expect(chargesOf(intentId)).toHaveLength(2);
  });

  it("declines a generated card again when its issuer said not to try again", async () => {
    const generated = sandbox.scenario.stripe.charges.find(
      (c) => c.status === "failed" && c.outcome?.advice_code === "do_not_try_again",
    )!;
    const intentId = String(generated.payment_intent);
    const answer = await stripe.paymentIntents
      .confirm(intentId, { payment_method: String(generated.payment_method) })
      .catch((e: Stripe.errors.StripeCardError) => e);
    expect(answer).toMatchObject({ type: "StripeCardError", decline_code: generated.outcome?.reason });
  });

  it("answers unknown intents, payment methods and parameters as Stripe does", async () => {
    await expect(stripe.paymentIntents.confirm("pi_missing", { payment_method: "pm_card_visa" })).rejects.toMatchObject(
      { statusCode: 404, code: "resource_missing" },
    );
    const failed = failedCharge();
    const intentId = String(failed.payment_intent);
    await expect(stripe.paymentIntents.confirm(intentId, { payment_method: "pm_nobody" })).rejects.toMatchObject({
      statusCode: 400,
      code: "resource_missing",
      param: "payment_method",
    });
    await expect(
      stripe.paymentIntents.confirm(intentId, {
        return_url: "https://example.com",
      } as Stripe.PaymentIntentConfirmParams),
    ).rejects.toMatchObject({ statusCode: 400, param: "return_url" });
    expect(chargesOf(intentId)).toHaveLength(1);
  });
});
