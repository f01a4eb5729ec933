// Payment retries with finance approval, against the sandbox's Stripe through the real SDK, on PGlite and PostgreSQL:
// one open request per payment and invoice; approvals queue the `payments.retry` job and charge once however many
// arrive at once; rejections, declines (with the issuer's code) and payments made by other means; roles and tenants
// enforced; every step audited; Slack told the outcome. The job's own exactly-once cases: paymentRetryRuns.test.ts.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AccessDenied } from "../src/access/actor";
import { getAccountDetail } from "../src/accounts/getAccountDetail";
import { decidePaymentRetry } from "../src/payments/decidePaymentRetry";
import { getPaymentRetry, listPaymentRetries } from "../src/payments/listPaymentRetries";
import { requestPaymentRetry } from "../src/payments/requestPaymentRetry";
import { actionDatabases } from "./actionsKit";
import { useRetryFixture } from "./paymentRetriesKit";

describe.each(actionDatabases)("payment retries on $name", (db) => {
  const fixture = useRetryFixture(db);

  it("asks once per failed payment: asking again answers the open request", async (c) => {
    const f = fixture();
    if (!f) return c.skip();
    const { t, audit } = f;
    const { chargeId } = await f.failedPayment(t.own);
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
        attempts: 0,
      },
    });
    const retry = first.ok ? first.retry : null;
    expect(retry?.idempotencyKey).toBe(`reckon-retry-${retry?.id}`);
    const again = await requestPaymentRetry({ ctx: t.as.admin, input });
    expect(again).toMatchObject({ ok: true, created: false, retry: { id: retry?.id } });
    expect(await audit(retry!.id)).toEqual(["payment_retry.requested"]);
    const queue = await listPaymentRetries({ ctx: t.as.finance, input: { status: "requested" } });
    expect(queue.retries.map((r) => r.id)).toContain(retry!.id);
  });

  it("refuses other accounts, roles, payments that did not fail, and unknown payments", async (c) => {
    const f = fixture();
    if (!f) return c.skip();
    const { t } = f;
    const { chargeId } = await f.failedPayment(t.others);
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

  it("approves once for concurrent approvals, charges once through the job, and tells Slack the outcome", async (c) => {
    const f = fixture();
    if (!f) return c.skip();
    const { t, approve, settled, confirmCalls, chargesOf, audit } = f;
    const retry = await f.requested(t.as.account_manager, t.own);
    const answers = await Promise.all([
      approve(t.as.finance, retry.id),
      approve(t.as.admin, retry.id),
      approve(t.as.finance, retry.id),
      approve(t.as.admin, retry.id),
    ]);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(answers.filter((a) => a.ok && !a.replayed)).toHaveLength(1);
    const after = await settled(retry.id);
    expect(confirmCalls(retry.intentId)).toHaveLength(1);
    expect(chargesOf(retry.intentId).map((ch) => ch.status)).toEqual(["failed", "succeeded"]);
    const newCharge = chargesOf(retry.intentId)[1]!.id;
    expect(after).toMatchObject({
      status: "succeeded",
      attempts: 1,
      outcome: { code: null, chargeId: newCharge },
      decidedVia: "api",
      lastError: null,
    });
    // Stripe saw the approval's key; the job asked Slack to show the outcome once it had it.
    const events = t.sandbox.scenario.stripe.events.filter((e) => e.request?.idempotency_key === retry.idempotencyKey);
    expect(events.map((e) => e.type)).toEqual(["charge.succeeded", "payment_intent.succeeded"]);
    expect(f.toldSlack(retry.id)).toContain("succeeded");
    // A later click answers the same outcome and calls Stripe no more.
    expect(await approve(t.as.finance, retry.id)).toMatchObject({
      ok: true,
      replayed: true,
      retry: { status: "succeeded" },
    });
    await settled(retry.id);
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
    const f = fixture();
    if (!f) return c.skip();
    const { t, approve, settled, confirmCalls, audit } = f;
    const rejected = await f.requested(t.as.admin, t.others);
    expect(
      await decidePaymentRetry({
        ctx: t.as.finance,
        jobs: f.jobs.runner,
        input: { retryId: rejected.id, decision: "reject", reason: "customer disputes it" },
      }),
    ).toMatchObject({ ok: true, replayed: false, retry: { status: "rejected", reason: "customer disputes it" } });
    expect(await approve(t.as.finance, rejected.id)).toMatchObject({ ok: false, reason: "already_decided" });
    expect(
      await decidePaymentRetry({
        ctx: t.as.admin,
        jobs: f.jobs.runner,
        input: { retryId: rejected.id, decision: "reject" },
      }),
    ).toMatchObject({ ok: true, replayed: true });
    await settled(rejected.id);
    expect(confirmCalls(rejected.intentId)).toHaveLength(0);
    expect(await audit(rejected.id)).toEqual(["payment_retry.requested", "payment_retry.rejected"]);

    const approved = await f.requested(t.as.admin, t.others);
    await approve(t.as.finance, approved.id);
    await settled(approved.id);
    expect(
      await decidePaymentRetry({
        ctx: t.as.finance,
        jobs: f.jobs.runner,
        input: { retryId: approved.id, decision: "reject" },
      }),
    ).toMatchObject({ ok: false, reason: "already_decided", retry: { status: "succeeded" } });
  });

  it("lets neither account managers nor viewers decide, and another tenant finds nothing", async (c) => {
    const f = fixture();
    if (!f) return c.skip();
    const { t, approve, settled, confirmCalls } = f;
    const retry = await f.requested(t.as.account_manager, t.own);
    for (const ctx of [t.as.account_manager, t.as.viewer]) {
      await expect(approve(ctx, retry.id)).rejects.toBeInstanceOf(AccessDenied);
    }
    expect(await approve(t.otherTenant, retry.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await getPaymentRetry({ ctx: t.otherTenant, input: { retryId: retry.id } })).toBeNull();
    expect((await listPaymentRetries({ ctx: t.otherTenant, input: {} })).retries).toEqual([]);
    expect(await settled(retry.id)).toMatchObject({ status: "requested" });
    expect(confirmCalls(retry.intentId)).toHaveLength(0);
  });

  it("records a decline with the issuer's code and the declined charge, and does not retry it again", async (c) => {
    const f = fixture();
    if (!f) return c.skip();
    const { t, approve, settled, confirmCalls, chargesOf, audit } = f;
    const customer = t.sandbox.scenario.stripe.customers.find((s) => s.id === t.others.stripeCustomerId)!;
    const retry = await f.requested(t.as.admin, t.others);
    customer.invoice_settings.default_payment_method = "pm_card_chargeDeclinedExpiredCard";
    try {
      expect(await approve(t.as.finance, retry.id)).toMatchObject({ ok: true, retry: { status: "approved" } });
      const after = await settled(retry.id);
      const declinedCharge = chargesOf(retry.intentId)[1]!;
      expect(after).toMatchObject({
        status: "failed",
        outcome: { code: "expired_card", message: "Your card has expired.", chargeId: declinedCharge.id },
      });
      expect(f.toldSlack(retry.id)).toContain("failed");
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
      expect(await approve(t.as.finance, retry.id)).toMatchObject({ ok: true, replayed: true });
      await settled(retry.id);
      expect(confirmCalls(retry.intentId)).toHaveLength(1);
    } finally {
      customer.invoice_settings.default_payment_method = null;
    }
  });

  it("cancels an approval when the payment was made by other means since, charging nothing", async (c) => {
    const f = fixture();
    if (!f) return c.skip();
    const { t, approve, settled, confirmCalls, audit } = f;
    const retry = await f.requested(t.as.admin, t.others);
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
    await settled(retry.id);
    expect(confirmCalls(retry.intentId)).toHaveLength(0);
    expect(await audit(retry.id)).toEqual(["payment_retry.requested", "payment_retry.cancelled"]);
  });

  it("keeps one open request per invoice across its failed payments", async (c) => {
    const f = fixture();
    if (!f) return c.skip();
    const { t } = f;
    const [invoice] = await queryRows<{ source_id: string }>(
      t.system.tenant.db,
      sql`select source_id from invoices where customer_source_id = ${t.own.quickbooksCustomerId} limit 1`,
    );
    const metadata = { quickbooks_invoice_id: invoice!.source_id };
    const one = await f.failedPayment(t.own, metadata);
    const two = await f.failedPayment(t.own, metadata);
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
    const f = fixture();
    if (!f) return c.skip();
    const { t } = f;
    const retry = await f.requested(t.as.admin, t.others);
    await decidePaymentRetry({
      ctx: t.as.finance,
      jobs: f.jobs.runner,
      input: { retryId: retry.id, decision: "reject" },
    });
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
