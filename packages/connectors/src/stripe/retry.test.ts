// The payment retrier against the sandbox's Stripe: the card it picks, one charge per key, declines and refusals as
// values, and no answer as a retryable SourceError after which the same key is still safe.
import { generateScenario, type RunningSandbox, startSandbox } from "@reckon/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SourceError } from "../source";
import { createStripePaymentRetrier, type PaymentRetrier } from "./retry";

let sandbox: RunningSandbox;
let retrier: PaymentRetrier;
const now = new Date("2026-11-25T12:00:00Z");

beforeAll(async () => {
  sandbox = await startSandbox(generateScenario({ seed: 3, accounts: 6, months: 2, asOf: "2026-11-25" }));
  const { apiKey, host, port, protocol } = sandbox.stripe;
  retrier = createStripePaymentRetrier({ apiKey, host, port, protocol });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.faults.reset());

function declined(customerIndex = 0) {
  const customer = sandbox.scenario.stripe.customers[customerIndex]!;
  const { charge } = sandbox.changes.addCharge({
    customerId: customer.id,
    amount: 9_900,
    failed: true,
    metadata: { quickbooks_invoice_id: "1001", invoice_number: "INV-1001" },
    deliver: false,
  });
  const intentId = String(charge.payment_intent);
  /** A retry of this charge with its own card under `key`. */
  const retryWith = (key: string) => ({
    paymentIntentId: intentId,
    paymentMethodId: String(charge.payment_method),
    idempotencyKey: `${key}-${charge.id}`,
  });
  return { customer, charge, intentId, retryWith };
}
const chargesOf = (intentId: string) => sandbox.scenario.stripe.charges.filter((c) => c.payment_intent === intentId);

describe("createStripePaymentRetrier", () => {
  it("retries the declined card once per key and maps the new charge with the invoice it names", async () => {
    const { charge, intentId } = declined();
    const card = await retrier.cardOnFile({ paymentIntentId: intentId, failedChargeId: charge.id });
    expect(card).toBe(charge.payment_method);
    const input = { paymentIntentId: intentId, paymentMethodId: card!, idempotencyKey: `reckon-retry-${charge.id}` };
    const first = await retrier.retry(input, { now });
    expect(first).toMatchObject({
      kind: "succeeded",
      payment: {
        status: "succeeded",
        amountMinor: 9_900n,
        paymentIntentId: intentId,
        references: [{ invoiceSourceId: "1001", invoiceNumber: "INV-1001", amountMinor: null }],
      },
    });
    expect(await retrier.retry(input, { now })).toEqual(first);
    expect(chargesOf(intentId).map((c) => c.status)).toEqual(["failed", "succeeded"]);
    // Another key finds the intent paid: nothing is charged.
    expect(await retrier.retry({ ...input, idempotencyKey: "reckon-retry-other" }, { now })).toMatchObject({
      kind: "already_paid",
      chargeId: first.kind === "succeeded" ? first.chargeId : "",
    });
    expect(chargesOf(intentId)).toHaveLength(2);
  });

  it("prefers the customer's default card, and answers its decline with the issuer's code", async () => {
    const { customer, charge, intentId } = declined(1);
    customer.invoice_settings.default_payment_method = "pm_card_chargeDeclinedInsufficientFunds";
    try {
      const card = await retrier.cardOnFile({ paymentIntentId: intentId, failedChargeId: charge.id });
      expect(card).toBe("pm_card_chargeDeclinedInsufficientFunds");
      const outcome = await retrier.retry(
        { paymentIntentId: intentId, paymentMethodId: card!, idempotencyKey: `k-${charge.id}` },
        { now },
      );
      expect(outcome).toMatchObject({
        kind: "declined",
        code: "insufficient_funds",
        payment: { status: "failed", failureCode: "card_declined" },
      });
      expect(outcome.kind === "declined" && outcome.chargeId).toBe(chargesOf(intentId)[1]!.id);
    } finally {
      customer.invoice_settings.default_payment_method = null;
    }
  });

  it("throws a retryable SourceError when Stripe does not answer, and the same key then charges once", async () => {
    const { intentId, retryWith } = declined(2);
    const input = retryWith("k");
    sandbox.faults.failNext("stripe", 1, 503);
    const refused = await retrier.retry(input, { now }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SourceError);
    expect((refused as SourceError).retryable).toBe(true);
    expect(chargesOf(intentId)).toHaveLength(1);
    expect(await retrier.retry(input, { now })).toMatchObject({ kind: "succeeded" });
    expect(chargesOf(intentId)).toHaveLength(2);
  });

  it("throws a retryable SourceError when Stripe charged but its answer was lost, and the same key replays it", async () => {
    const { intentId, retryWith } = declined(4);
    const input = retryWith("k-lost");
    sandbox.faults.malformNext("stripe", 1, "truncated");
    const lost = await retrier.retry(input, { now }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(SourceError);
    expect(lost).toMatchObject({ kind: "transient", retryable: true });
    // Stripe did charge: the answer, not the charge, was lost.
    expect(chargesOf(intentId).map((c) => c.status)).toEqual(["failed", "succeeded"]);
    const replayed = await retrier.retry(input, { now });
    expect(replayed).toMatchObject({ kind: "succeeded", chargeId: chargesOf(intentId)[1]!.id });
    expect(chargesOf(intentId)).toHaveLength(2);
  });

  it("gives up on a confirm after its timeout, as a retryable SourceError", async () => {
    const { intentId, retryWith } = declined(5);
    const { apiKey, host, port, protocol } = sandbox.stripe;
    const impatient = createStripePaymentRetrier({ apiKey, host, port, protocol, timeoutMs: 200 });
    const input = retryWith("k-slow");
    sandbox.faults.delayNext("stripe", 1, 1_000);
    const started = Date.now();
    const slow = await impatient.retry(input, { now }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(900);
    expect(slow).toMatchObject({ kind: "transient", retryable: true });
    // The held call runs in Stripe later; the same key then answers it rather than charging again.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await retrier.retry(input, { now })).toMatchObject({ kind: "succeeded" });
    expect(chargesOf(intentId)).toHaveLength(2);
  });

  it("refuses a key reused with another card as invalid: a retry cannot help", async () => {
    const { intentId, retryWith } = declined(0);
    const input = retryWith("k-reuse");
    await retrier.retry(input, { now });
    expect(chargesOf(intentId)).toHaveLength(2);
    const reused = await retrier.retry({ ...input, paymentMethodId: "pm_card_visa" }, { now }).catch((e: unknown) => e);
    expect(reused).toMatchObject({ kind: "invalid", retryable: false });
  });

  it("answers a card Stripe does not know as a refusal, charging nothing", async () => {
    const { intentId } = declined(3);
    expect(
      await retrier.retry({ paymentIntentId: intentId, paymentMethodId: "pm_gone", idempotencyKey: "k-gone" }, { now }),
    ).toMatchObject({ kind: "refused", code: "resource_missing" });
    expect(chargesOf(intentId)).toHaveLength(1);
  });
});
