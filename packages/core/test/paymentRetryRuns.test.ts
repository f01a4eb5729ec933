// The `payments.retry` job charging an approval exactly once, against the sandbox's Stripe through the real SDK, on
// PGlite and PostgreSQL: run twice in a row and at once, re-run after a process died before or after Stripe charged,
// Stripe's answer lost or late (timeout), Stripe down for every attempt, and the intent paid before Reckon knew.
import { createStripePaymentRetrier } from "@reckon/connectors";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getPaymentRetry } from "../src/payments/listPaymentRetries";
import { PaymentRetryPending } from "../src/payments/paymentRetryJob";
import { actionDatabases } from "./actionsKit";
import { retryJobs, useRetryFixture } from "./paymentRetriesKit";

describe.each(actionDatabases)("the payment retry job on $name", (db) => {
  const fixture = useRetryFixture(db);

  it("runs the job twice, one after the other and both at once, and Stripe is called once", async (c) => {
    const f = fixture();
    if (!f) return c.skip(`${db.name} is not running here`);
    const { t, approve, confirmCalls, chargesOf } = f;
    const retry = await f.requested(t.as.account_manager, t.own);
    expect(await approve(t.as.finance, retry.id, f.held)).toMatchObject({ ok: true, retry: { status: "approved" } });
    expect(f.held.queued).toContainEqual({ tenantId: t.system.tenant.tenantId, retryId: retry.id });
    const [first, second] = await Promise.allSettled([f.held.run(retry.id), f.held.run(retry.id)]);
    const outcomes = [first, second].map((o) => (o.status === "fulfilled" ? o.value : o.reason));
    // One run charged; the other found it claimed and asks the job layer to come back once the claim lapses.
    expect(outcomes).toContainEqual({ status: "succeeded", settled: true });
    const busy = outcomes.find((o) => o instanceof PaymentRetryPending) as PaymentRetryPending | undefined;
    if (busy) expect(busy.retryAfterMs).toBeGreaterThan(60_000);
    else expect(outcomes).toContainEqual({ status: "succeeded", settled: false });
    expect(await f.held.run(retry.id)).toEqual({ status: "succeeded", settled: false });
    expect(confirmCalls(retry.intentId)).toHaveLength(1);
    expect(chargesOf(retry.intentId)).toHaveLength(2);
    expect(await getPaymentRetry({ ctx: t.as.finance, input: { retryId: retry.id } })).toMatchObject({
      status: "succeeded",
      attempts: 1,
    });
  });

  it("re-runs an approval whose process died before calling Stripe once its claim lapses", async (c) => {
    const f = fixture();
    if (!f) return c.skip(`${db.name} is not running here`);
    const { t, confirmCalls, audit } = f;
    const retry = await f.requested(t.as.account_manager, t.own);
    // What a process that died right after claiming leaves behind: approved, claimed, no call made.
    await queryRows(
      t.system.tenant.db,
      sql`update payment_retry_requests set status = 'approved', decided_at = now(), attempts = 1,
            attempt_started_at = now() where id = ${retry.id}::uuid`,
    );
    await expect(f.held.run(retry.id)).rejects.toBeInstanceOf(PaymentRetryPending);
    expect(confirmCalls(retry.intentId)).toHaveLength(0);
    await queryRows(
      t.system.tenant.db,
      sql`update payment_retry_requests set attempt_started_at = now() - interval '10 minutes' where id = ${retry.id}::uuid`,
    );
    expect(await f.held.run(retry.id)).toEqual({ status: "succeeded", settled: true });
    expect(confirmCalls(retry.intentId)).toHaveLength(1);
    expect(await getPaymentRetry({ ctx: t.as.finance, input: { retryId: retry.id } })).toMatchObject({ attempts: 2 });
    expect(await audit(retry.id)).toEqual([
      "payment_retry.requested",
      "payment_retry.resumed",
      "payment_retry.succeeded",
    ]);
  });

  it("re-runs an approval whose process died after Stripe charged: the same key replays, no second charge", async (c) => {
    const f = fixture();
    if (!f) return c.skip(`${db.name} is not running here`);
    const { t, confirmCalls, chargesOf } = f;
    const retry = await f.requested(t.as.account_manager, t.own);
    const card = String(chargesOf(retry.intentId)[0]!.payment_method);
    await queryRows(
      t.system.tenant.db,
      sql`update payment_retry_requests set status = 'approved', decided_at = now(), attempts = 1,
            payment_method_id = ${card}, attempt_started_at = now() - interval '10 minutes' where id = ${retry.id}::uuid`,
    );
    // The dead process's call, which reached Stripe before it died.
    const { apiKey, host, port, protocol } = t.sandbox.stripe;
    const first = await createStripePaymentRetrier({ apiKey, host, port, protocol }).retry(
      { paymentIntentId: retry.intentId, paymentMethodId: card, idempotencyKey: retry.idempotencyKey },
      { now: new Date() },
    );
    expect(first.kind).toBe("succeeded");
    expect(await f.held.run(retry.id)).toEqual({ status: "succeeded", settled: true });
    const after = await getPaymentRetry({ ctx: t.as.finance, input: { retryId: retry.id } });
    expect(after).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(after!.outcome?.chargeId).toBe(first.kind === "succeeded" ? first.chargeId : "");
    expect(chargesOf(retry.intentId)).toHaveLength(2);
    expect(confirmCalls(retry.intentId)).toHaveLength(2);
  });

  it("charges once when Stripe charged but its answer was lost: the job's retry gets the saved answer", async (c) => {
    const f = fixture();
    if (!f) return c.skip(`${db.name} is not running here`);
    const { t, approve, settled, confirmCalls, chargesOf, audit } = f;
    const retry = await f.requested(t.as.admin, t.others);
    // The card look-up's three reads go through; the confirm runs in Stripe, and its answer arrives cut in half.
    t.sandbox.faults.letThrough("stripe", 3);
    t.sandbox.faults.malformNext("stripe", 1, "truncated");
    await approve(t.as.finance, retry.id);
    const after = await settled(retry.id);
    const charges = chargesOf(retry.intentId);
    expect(charges.map((ch) => ch.status)).toEqual(["failed", "succeeded"]);
    expect(after).toMatchObject({
      status: "succeeded",
      attempts: 2,
      lastError: null,
      outcome: { chargeId: charges[1]!.id },
    });
    expect(confirmCalls(retry.intentId)).toHaveLength(2);
    expect(await audit(retry.id)).toEqual([
      "payment_retry.requested",
      "payment_retry.approved",
      "payment_retry.resumed",
      "payment_retry.succeeded",
    ]);
  });

  it("charges once when the confirm timed out and Stripe ran it late: the retry with the same key wins, the late one replays", async (c) => {
    const f = fixture();
    if (!f) return c.skip(`${db.name} is not running here`);
    const { t, approve, settled, confirmCalls, chargesOf } = f;
    const impatient = retryJobs(t.system, { stripeTimeoutMs: 300 });
    try {
      const retry = await f.requested(t.as.admin, t.others);
      t.sandbox.faults.letThrough("stripe", 3);
      t.sandbox.faults.delayNext("stripe", 1, 1_500);
      await approve(t.as.finance, retry.id, impatient);
      const after = await settled(retry.id, impatient);
      expect(after).toMatchObject({ status: "succeeded", attempts: 2 });
      // The held first confirm runs in Stripe after the client gave up on it: it finds the key's saved answer.
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expect(chargesOf(retry.intentId).map((ch) => ch.status)).toEqual(["failed", "succeeded"]);
      expect(after.outcome?.chargeId).toBe(chargesOf(retry.intentId)[1]!.id);
      // Both confirms were answered 200: the late one with the saved answer, not a refusal of a paid intent.
      expect(confirmCalls(retry.intentId).map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await impatient.close();
    }
  });

  it("keeps the approval through a Stripe outage, shows it waiting, and charges once when approved again", async (c) => {
    const f = fixture();
    if (!f) return c.skip(`${db.name} is not running here`);
    const { t, approve, settled, chargesOf } = f;
    const retry = await f.requested(t.as.admin, t.others);
    // Every attempt the job makes gets a 503: the look-up's reads pass, then each confirm fails.
    t.sandbox.faults.failAfter("stripe", 3, 6, 503);
    await approve(t.as.finance, retry.id);
    const down = await settled(retry.id);
    expect(down).toMatchObject({ status: "approved", outcome: null, attempts: 6 });
    expect(down.lastError).toMatch(/Stripe did not answer/);
    expect(f.toldSlack(retry.id).at(-1)).toBe("approved");
    expect(chargesOf(retry.intentId)).toHaveLength(1);
    // "Try again": approving again queues the same call; Stripe charges it once.
    expect(await approve(t.as.finance, retry.id)).toMatchObject({ ok: true, replayed: true });
    expect(await settled(retry.id)).toMatchObject({ status: "succeeded", attempts: 7, lastError: null });
    expect(chargesOf(retry.intentId)).toHaveLength(2);
  });

  it("cancels when Stripe says the intent was paid before Reckon heard of it, charging nothing", async (c) => {
    const f = fixture();
    if (!f) return c.skip(`${db.name} is not running here`);
    const { t, approve, settled, chargesOf, audit } = f;
    const retry = await f.requested(t.as.admin, t.others);
    const intent = t.sandbox.scenario.stripe.paymentIntents.find((p) => p.id === retry.intentId)!;
    Object.assign(intent, { status: "succeeded", amount_received: intent.amount, latest_charge: null });
    await approve(t.as.finance, retry.id);
    expect(await settled(retry.id)).toMatchObject({ status: "cancelled", outcome: { code: "already_paid" } });
    expect(chargesOf(retry.intentId)).toHaveLength(1);
    expect(await audit(retry.id)).toEqual([
      "payment_retry.requested",
      "payment_retry.approved",
      "payment_retry.cancelled",
    ]);
  });
});
