// Payment retries with finance approval, against the sandbox's Stripe, on PGlite and PostgreSQL: one Stripe charge per
// approval whatever the double clicks, concurrent approvals, crashes and outages; declines recorded; roles and
// tenants enforced; every step audited.
import { createStripePaymentRetrier } from "@reckon/connectors";
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPglite, freshPostgres, postgresAvailable } from "@reckon/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessDenied } from "../src/access/actor";
import { getAccountDetail } from "../src/accounts/getAccountDetail";
import type { TenantContext } from "../src/context";
import { decidePaymentRetry } from "../src/payments/decidePaymentRetry";
import { getPaymentRetry, listPaymentRetries } from "../src/payments/listPaymentRetries";
import type { PaymentRetry } from "../src/payments/paymentRetry";
import { requestPaymentRetry } from "../src/payments/requestPaymentRetry";
import { runSourceSync } from "../src/sync/runSourceSync";
import { type ActionsTenant, actionsTenant, type LinkedAccount } from "./actionsKit";
import { smallScenario } from "./pipeline";

const databases = [
  { name: "PGlite", open: freshPglite, available: async () => true },
  { name: "PostgreSQL", open: freshPostgres, available: postgresAvailable },
];

describe.each(databases)("payment retries on $name", ({ open, available }) => {
  let database: DatabaseHandle | null = null;
  let t: ActionsTenant;

  beforeAll(async () => {
    if (!(await available())) return;
    database = await open();
    t = await actionsTenant(database, smallScenario(5, 8, 2));
  });
  afterAll(async () => {
    await t?.sandbox.stop();
    await database?.close();
  });

  /** A declined charge of the account (insufficient funds: its card pays on a retry), synced into Reckon. */
  async function failedPayment(account: LinkedAccount, metadata: Record<string, string> = {}) {
    const { charge } = t.sandbox.changes.addCharge({
      customerId: account.stripeCustomerId,
      amount: 12_345,
      failed: true,
      metadata,
      deliver: false,
    });
    await runSourceSync({ ctx: t.system, input: { source: "stripe" } });
    return { chargeId: charge.id, intentId: String(charge.payment_intent) };
  }
  async function requested(ctx: TenantContext, account: LinkedAccount): Promise<PaymentRetry & { intentId: string }> {
    const { chargeId, intentId } = await failedPayment(account);
    const answer = await requestPaymentRetry({ ctx, input: { accountId: account.id, paymentId: chargeId } });
    if (!answer.ok) throw new Error(`request refused: ${answer.reason}`);
    return { ...answer.retry, intentId };
  }
  const confirmCalls = (intentId: string) =>
    t.sandbox.faults.requests("stripe").filter((r) => r.method === "POST" && r.url.includes(`/${intentId}/confirm`));
  const chargesOf = (intentId: string) =>
    t.sandbox.scenario.stripe.charges.filter((c) => c.payment_intent === intentId);
  const audit = async (retryId: string) =>
    (
      await queryRows<{ action: string }>(
        t.system.tenant.db,
        sql`select action from audit_log where target_type = 'payment_retry' and target_id = ${retryId} order by id`,
      )
    ).map((r) => r.action);
  const approve = (ctx: TenantContext, retryId: string) =>
    decidePaymentRetry({ ctx, input: { retryId, decision: "approve" } });

  it("asks once per failed payment: asking again answers the open request", async (c) => {
    if (!database) return c.skip();
    const { chargeId } = await failedPayment(t.own);
    const input = { accountId: t.own.id, paymentId: chargeId, note: "customer topped up" };
    const first = await requestPaymentRetry({ ctx: t.as.account_manager, input });
    expect(first).toMatchObject({
      ok: true,
      created: true,
      retry: {
        status: "requested",
        paymentId: chargeId,
        amount: { minor: "12345", currency: "USD" },
        failure: { code: "card_declined" },
        requestedVia: "slack",
        note: "customer topped up",
      },
    });
    const retry = first.ok ? first.retry : null;
    expect(retry?.idempotencyKey).toBe(`reckon-retry-${retry?.id}`);
    const again = await requestPaymentRetry({ ctx: t.as.admin, input });
    expect(again).toMatchObject({ ok: true, created: false, retry: { id: retry?.id } });
    expect(await audit(retry!.id)).toEqual(["payment_retry.requested"]);
    // Finance's queue lists it; the account manager's own list too.
    const queue = await listPaymentRetries({ ctx: t.as.finance, input: { status: "requested" } });
    expect(queue.retries.map((r) => r.id)).toContain(retry!.id);
  });

  it("refuses other accounts, roles, payments that did not fail, and unknown payments", async (c) => {
    if (!database) return c.skip();
    const { chargeId } = await failedPayment(t.others);
    expect(
      await requestPaymentRetry({ ctx: t.as.account_manager, input: { accountId: t.others.id, paymentId: chargeId } }),
    ).toEqual({ ok: false, reason: "account_not_found" });
    await expect(
      requestPaymentRetry({ ctx: t.as.viewer, input: { accountId: t.others.id, paymentId: chargeId } }),
    ).rejects.toBeInstanceOf(AccessDenied);
    await expect(
      requestPaymentRetry({ ctx: t.as.finance, input: { accountId: t.others.id, paymentId: chargeId } }),
    ).rejects.toBeInstanceOf(AccessDenied);
    const [paid] = await queryRows<{ source_id: string }>(
      t.system.tenant.db,
      sql`select source_id from payments where customer_source_id = ${t.others.stripeCustomerId} and status = 'succeeded' limit 1`,
    );
    expect(
      await requestPaymentRetry({ ctx: t.as.admin, input: { accountId: t.others.id, paymentId: paid!.source_id } }),
    ).toEqual({ ok: false, reason: "not_failed" });
    expect(await requestPaymentRetry({ ctx: t.as.admin, input: { accountId: t.own.id, paymentId: chargeId } })).toEqual(
      { ok: false, reason: "payment_not_found" },
    );
  });

  it("charges once for concurrent approvals, records the charge and reconciles the account", async (c) => {
    if (!database) return c.skip();
    const retry = await requested(t.as.account_manager, t.own);
    const answers = await Promise.all([
      approve(t.as.finance, retry.id),
      approve(t.as.admin, retry.id),
      approve(t.as.finance, retry.id),
      approve(t.as.admin, retry.id),
    ]);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(answers.filter((a) => a.ok && !a.replayed)).toHaveLength(1);
    expect(confirmCalls(retry.intentId)).toHaveLength(1);
    expect(chargesOf(retry.intentId).map((ch) => ch.status)).toEqual(["failed", "succeeded"]);
    const settled = await getPaymentRetry({ ctx: t.as.account_manager, input: { retryId: retry.id } });
    const newCharge = chargesOf(retry.intentId)[1]!.id;
    expect(settled).toMatchObject({
      status: "succeeded",
      attempts: 1,
      outcome: { code: null, chargeId: newCharge },
      decidedVia: "api",
      lastError: null,
    });
    // A later click answers the same outcome and calls Stripe no more.
    expect(await approve(t.as.finance, retry.id)).toMatchObject({
      ok: true,
      replayed: true,
      retry: { status: "succeeded" },
    });
    expect(confirmCalls(retry.intentId)).toHaveLength(1);
    expect(await audit(retry.id)).toEqual([
      "payment_retry.requested",
      "payment_retry.approved",
      "payment_retry.succeeded",
    ]);
    // The account reflects it at once: the new charge is among its payments, as succeeded.
    const detail = await getAccountDetail({ ctx: t.as.account_manager, input: { accountId: t.own.id } });
    expect(detail!.payments.find((p) => p.id === newCharge)).toMatchObject({ status: "succeeded" });
    // The payment is paid now: asking again is refused.
    expect(
      await requestPaymentRetry({ ctx: t.as.admin, input: { accountId: t.own.id, paymentId: retry.paymentId } }),
    ).toEqual({ ok: false, reason: "not_failed" });
  });

  it("answers 'already decided' to an approval after a rejection, and a rejection after an approval", async (c) => {
    if (!database) return c.skip();
    const rejected = await requested(t.as.admin, t.others);
    expect(
      await decidePaymentRetry({
        ctx: t.as.finance,
        input: { retryId: rejected.id, decision: "reject", reason: "customer disputes it" },
      }),
    ).toMatchObject({ ok: true, replayed: false, retry: { status: "rejected", reason: "customer disputes it" } });
    expect(await approve(t.as.finance, rejected.id)).toMatchObject({ ok: false, reason: "already_decided" });
    expect(
      await decidePaymentRetry({ ctx: t.as.admin, input: { retryId: rejected.id, decision: "reject" } }),
    ).toMatchObject({ ok: true, replayed: true });
    expect(confirmCalls(rejected.intentId)).toHaveLength(0);
    expect(await audit(rejected.id)).toEqual(["payment_retry.requested", "payment_retry.rejected"]);

    const approved = await requested(t.as.admin, t.others);
    await approve(t.as.finance, approved.id);
    expect(
      await decidePaymentRetry({ ctx: t.as.finance, input: { retryId: approved.id, decision: "reject" } }),
    ).toMatchObject({ ok: false, reason: "already_decided", retry: { status: "succeeded" } });
  });

  it("lets neither account managers nor viewers decide, and another tenant finds nothing", async (c) => {
    if (!database) return c.skip();
    const retry = await requested(t.as.account_manager, t.own);
    for (const ctx of [t.as.account_manager, t.as.viewer]) {
      await expect(approve(ctx, retry.id)).rejects.toBeInstanceOf(AccessDenied);
    }
    expect(await approve(t.otherTenant, retry.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await getPaymentRetry({ ctx: t.otherTenant, input: { retryId: retry.id } })).toBeNull();
    expect((await listPaymentRetries({ ctx: t.otherTenant, input: {} })).retries).toEqual([]);
    expect(await getPaymentRetry({ ctx: t.as.finance, input: { retryId: retry.id } })).toMatchObject({
      status: "requested",
    });
    expect(confirmCalls(retry.intentId)).toHaveLength(0);
  });

  it("records a decline with the issuer's code and the failed charge", async (c) => {
    if (!database) return c.skip();
    const customer = t.sandbox.scenario.stripe.customers.find((s) => s.id === t.others.stripeCustomerId)!;
    const retry = await requested(t.as.admin, t.others);
    customer.invoice_settings.default_payment_method = "pm_card_chargeDeclinedExpiredCard";
    try {
      const answer = await approve(t.as.finance, retry.id);
      const declinedCharge = chargesOf(retry.intentId)[1]!;
      expect(answer).toMatchObject({
        ok: true,
        retry: {
          status: "failed",
          outcome: { code: "expired_card", message: "Your card has expired.", chargeId: declinedCharge.id },
        },
      });
      expect(await audit(retry.id)).toEqual([
        "payment_retry.requested",
        "payment_retry.approved",
        "payment_retry.failed",
      ]);
      const [stored] = await queryRows<{ status: string; failure_code: string }>(
        t.system.tenant.db,
        sql`select status, failure_code from payments where source_id = ${declinedCharge.id}`,
      );
      expect(stored).toEqual({ status: "failed", failure_code: "expired_card" });
      // A failed retry is settled: it is not retried again by approving again.
      expect(await approve(t.as.finance, retry.id)).toMatchObject({ ok: true, replayed: true });
      expect(confirmCalls(retry.intentId)).toHaveLength(1);
    } finally {
      customer.invoice_settings.default_payment_method = null;
    }
  });

  it("re-runs an approval whose process died before calling Stripe, and leaves a live one alone", async (c) => {
    if (!database) return c.skip();
    const retry = await requested(t.as.account_manager, t.own);
    // What a process that died right after the transition leaves behind: approved, claimed, no call made.
    await queryRows(
      t.system.tenant.db,
      sql`update payment_retry_requests set status = 'approved', decided_at = now(), attempts = 1,
            attempt_started_at = now() where id = ${retry.id}::uuid`,
    );
    expect(await approve(t.as.finance, retry.id)).toMatchObject({
      ok: true,
      replayed: true,
      retry: { status: "approved" },
    });
    expect(confirmCalls(retry.intentId)).toHaveLength(0);
    await queryRows(
      t.system.tenant.db,
      sql`update payment_retry_requests set attempt_started_at = now() - interval '10 minutes' where id = ${retry.id}::uuid`,
    );
    expect(await approve(t.as.finance, retry.id)).toMatchObject({
      ok: true,
      replayed: false,
      retry: { status: "succeeded", attempts: 2 },
    });
    expect(confirmCalls(retry.intentId)).toHaveLength(1);
    expect(await audit(retry.id)).toEqual([
      "payment_retry.requested",
      "payment_retry.resumed",
      "payment_retry.succeeded",
    ]);
  });

  it("re-runs an approval whose process died after Stripe charged: the same key replays, no second charge", async (c) => {
    if (!database) return c.skip();
    const retry = await requested(t.as.account_manager, t.own);
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
    const answer = await approve(t.as.finance, retry.id);
    expect(answer).toMatchObject({ ok: true, retry: { status: "succeeded", attempts: 2 } });
    expect(chargesOf(retry.intentId)).toHaveLength(2);
    expect(answer.ok && answer.retry.outcome?.chargeId).toBe(first.kind === "succeeded" ? first.chargeId : "");
    expect(confirmCalls(retry.intentId)).toHaveLength(2);
  });

  it("keeps the approval through a Stripe outage and charges once when approved again", async (c) => {
    if (!database) return c.skip();
    const retry = await requested(t.as.admin, t.others);
    // The card look-up's three reads go through; the confirm gets a 503.
    t.sandbox.faults.failAfter("stripe", 3, 1, 503);
    const down = await approve(t.as.finance, retry.id);
    expect(down).toMatchObject({ ok: true, retry: { status: "approved", outcome: null, attempts: 1 } });
    expect(down.ok && down.retry.lastError).toMatch(/Stripe did not answer/);
    expect(chargesOf(retry.intentId)).toHaveLength(1);
    expect(await approve(t.as.finance, retry.id)).toMatchObject({
      ok: true,
      retry: { status: "succeeded", attempts: 2, lastError: null },
    });
    expect(chargesOf(retry.intentId)).toHaveLength(2);
  });

  it("cancels an approval when the payment was made by other means since, charging nothing", async (c) => {
    if (!database) return c.skip();
    const retry = await requested(t.as.admin, t.others);
    // The customer paid the intent themselves; a sync stored it.
    await queryRows(
      t.system.tenant.db,
      sql`insert into payments (tenant_id, source, source_id, payment_intent_id, customer_source_id, amount_minor,
            currency, status, source_created_at, source_updated_at)
          values (${t.system.tenant.tenantId}::uuid, 'stripe', ${`ch_paid_${retry.id.slice(0, 8)}`}, ${retry.intentId},
                  ${t.others.stripeCustomerId}, 12345, 'USD', 'succeeded', now(), now())`,
    );
    expect(await approve(t.as.finance, retry.id)).toMatchObject({
      ok: true,
      retry: { status: "cancelled", outcome: { code: "already_paid" } },
    });
    expect(confirmCalls(retry.intentId)).toHaveLength(0);
    expect(await audit(retry.id)).toEqual(["payment_retry.requested", "payment_retry.cancelled"]);
  });

  it("keeps one open request per invoice across its failed payments", async (c) => {
    if (!database) return c.skip();
    const [invoice] = await queryRows<{ source_id: string }>(
      t.system.tenant.db,
      sql`select source_id from invoices where customer_source_id = ${t.own.quickbooksCustomerId} limit 1`,
    );
    const metadata = { quickbooks_invoice_id: invoice!.source_id };
    const one = await failedPayment(t.own, metadata);
    const two = await failedPayment(t.own, metadata);
    const first = await requestPaymentRetry({
      ctx: t.as.admin,
      input: { accountId: t.own.id, paymentId: one.chargeId },
    });
    const second = await requestPaymentRetry({
      ctx: t.as.admin,
      input: { accountId: t.own.id, paymentId: two.chargeId },
    });
    expect(first).toMatchObject({ ok: true, created: true, retry: { invoiceId: invoice!.source_id } });
    expect(second).toMatchObject({ ok: true, created: false, retry: { id: first.ok ? first.retry.id : "" } });
  });

  it("refuses moving a request backwards or changing what it retries, in the database itself", async (c) => {
    if (!database) return c.skip();
    const retry = await requested(t.as.admin, t.others);
    await decidePaymentRetry({ ctx: t.as.finance, input: { retryId: retry.id, decision: "reject" } });
    await expect(
      queryRows(
        t.system.tenant.db,
        sql`update payment_retry_requests set status = 'approved' where id = ${retry.id}::uuid`,
      ),
    ).rejects.toThrow();
    await expect(
      queryRows(
        t.system.tenant.db,
        sql`update payment_retry_requests set amount_minor = 1 where id = ${retry.id}::uuid`,
      ),
    ).rejects.toThrow();
  });
});
