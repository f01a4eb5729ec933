// The payment retry routes over HTTP, on the embedded runtime and the sandbox's Stripe: request (201, then 200 with
// the open one), approve (202 while the job charges, then the outcome on GET; double approvals charge once), reject,
// list and read; 400 / 403 / 404 / 409 problems that change nothing; both Slack messages end on Stripe's outcome.

import type { UserRole } from "@reckon/core";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { AccountPaymentRetryRequestResponse } from "./accountPaymentRetryRequest";
import type { PaymentRetriesResponse } from "./paymentRetries";
import type { PaymentRetryResponse } from "./paymentRetry";

let stack: TestStack;
/** A Stripe-linked account of the account manager's, and one of someone else's. */
let own: { id: string; stripe: string };
let others: { id: string; stripe: string };

const json = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body ?? {}),
});
const post = (path: string, body: unknown, role: UserRole | null = "admin") =>
  stack.fetch(path, json("POST", body), role);
const chargesOf = (intentId: string) =>
  stack.demo!.sandbox.scenario.stripe.charges.filter((c) => c.payment_intent === intentId);
const retryRows = async () =>
  (await queryRows<{ n: number }>(stack.services.db, sql`select count(*)::int as n from payment_retry_requests`))[0]!.n;

/** A declined charge of the account, delivered to Reckon by the sandbox's webhook as Stripe would. */
async function declinedCharge(account: { stripe: string }): Promise<{ chargeId: string; intentId: string }> {
  const { charge } = stack.demo!.sandbox.changes.addCharge({ customerId: account.stripe, amount: 4_200, failed: true });
  for (let i = 0; i < 200; i++) {
    const [row] = await queryRows<{ status: string }>(
      stack.services.db,
      sql`select status from payments where source = 'stripe' and source_id = ${charge.id}`,
    );
    if (row) return { chargeId: charge.id, intentId: String(charge.payment_intent) };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the sandbox's webhook for ${charge.id} never reached Reckon`);
}

async function requestFor(account: { id: string; stripe: string }, role: UserRole = "admin") {
  const { chargeId, intentId } = await declinedCharge(account);
  const response = await post(`/v1/accounts/${account.id}/payment-retries`, { paymentId: chargeId }, role);
  expect(response.status).toBe(201);
  return { ...((await response.json()) as AccountPaymentRetryRequestResponse), intentId };
}
const read = async (retryId: string) =>
  (await (await stack.fetch(`/v1/payment-retries/${retryId}`)).json()) as PaymentRetryResponse;

beforeAll(async () => {
  stack = await startTestStack({ accounts: 60, months: 2 });
  const linked = await queryRows<{ id: string; owner_id: string | null; stripe_customer_id: string }>(
    stack.services.db,
    sql`select id, owner_id, stripe_customer_id from accounts where stripe_customer_id is not null order by name`,
  );
  const pick = (mine: boolean) => {
    const row = linked.find((a) => (a.owner_id === stack.as.account_manager.id) === mine)!;
    return { id: row.id, stripe: row.stripe_customer_id };
  };
  own = pick(true);
  others = pick(false);
}, 120_000);
afterAll(() => stack.stop());

describe("POST /v1/accounts/{accountId}/payment-retries", () => {
  it("asks finance once per failed payment: 201, then 200 with the open request", async () => {
    const { chargeId } = await declinedCharge(own);
    const path = `/v1/accounts/${own.id}/payment-retries`;
    const first = await post(path, { paymentId: chargeId, note: "card updated" }, "account_manager");
    expect(first.status).toBe(201);
    const retry = (await first.json()) as AccountPaymentRetryRequestResponse;
    expect(retry).toMatchObject({
      account: { id: own.id },
      paymentId: chargeId,
      amount: { minor: "4200", currency: "USD" },
      status: "requested",
      requestedBy: { id: stack.as.account_manager.id },
      requestedVia: "api",
      note: "card updated",
      idempotencyKey: `reckon-retry-${retry.id}`,
      outcome: null,
    });
    const again = await post(path, { paymentId: chargeId }, "admin");
    expect(again.status).toBe(200);
    expect(((await again.json()) as AccountPaymentRetryRequestResponse).id).toBe(retry.id);
    // Finance's queue lists it; the approval request is in #finance.
    const queue = (await (
      await stack.fetch("/v1/payment-retries?status=requested&limit=200", {}, "finance")
    ).json()) as PaymentRetriesResponse;
    expect(queue.retries.map((r) => r.id)).toContain(retry.id);
    await stack.services.jobs.drain();
    expect((await read(retry.id)).slack.approval).not.toBeNull();
  });

  it("refuses bad bodies (400), other accounts and unknown payments (404), paid ones (409), and roles (403)", async () => {
    const before = await retryRows();
    const path = `/v1/accounts/${own.id}/payment-retries`;
    for (const body of [
      {},
      { paymentId: "" },
      { paymentId: 42 },
      { paymentId: "ch_1", surprise: true },
      { paymentId: "ch_1", note: 5 },
    ]) {
      const response = await post(path, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await post("/v1/accounts/nope/payment-retries", { paymentId: "ch_1" })).status).toBe(400);
    expect((await post(path, { paymentId: "ch_unknown" })).status).toBe(404);
    const { chargeId } = await declinedCharge(others);
    expect(
      (await post(`/v1/accounts/${others.id}/payment-retries`, { paymentId: chargeId }, "account_manager")).status,
    ).toBe(404);
    expect((await post(`/v1/accounts/${own.id}/payment-retries`, { paymentId: chargeId })).status).toBe(404);
    expect((await post(`/v1/accounts/${others.id}/payment-retries`, { paymentId: chargeId }, "finance")).status).toBe(
      403,
    );
    expect((await post(`/v1/accounts/${others.id}/payment-retries`, { paymentId: chargeId }, "viewer")).status).toBe(
      403,
    );
    expect((await post(`/v1/accounts/${others.id}/payment-retries`, { paymentId: chargeId }, null)).status).toBe(401);
    const [paid] = await queryRows<{ source_id: string }>(
      stack.services.db,
      sql`select source_id from payments where customer_source_id = ${others.stripe} and status = 'succeeded' limit 1`,
    );
    const conflict = await post(`/v1/accounts/${others.id}/payment-retries`, { paymentId: paid!.source_id });
    expect(conflict.status).toBe(409);
    expect(await retryRows()).toBe(before);
  });
});

describe("POST /v1/payment-retries/{retryId}/approve | reject", () => {
  it("approves with 202, charges once however often it is approved, and shows the outcome everywhere", async () => {
    const retry = await requestFor(own, "account_manager");
    const approve = (role: UserRole) => post(`/v1/payment-retries/${retry.id}/approve`, {}, role);
    expect((await approve("account_manager")).status).toBe(403);
    expect((await approve("viewer")).status).toBe(403);
    const answers = await Promise.all([approve("finance"), approve("finance"), approve("admin")]);
    expect(answers.map((a) => a.status).every((s) => s === 200 || s === 202)).toBe(true);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as PaymentRetryResponse[];
    expect(bodies.some((b) => b.status === "approved" || b.status === "succeeded")).toBe(true);
    await stack.services.jobs.drain();
    const settled = await read(retry.id);
    const charges = chargesOf(retry.intentId);
    expect(charges.map((c) => c.status)).toEqual(["failed", "succeeded"]);
    expect(settled).toMatchObject({
      status: "succeeded",
      decidedBy: { id: expect.any(String) },
      outcome: { code: null, chargeId: charges[1]!.id },
      attempts: 1,
    });
    // Approving once more answers the outcome (200) and charges nothing; rejecting now is a conflict.
    const late = await approve("finance");
    expect(late.status).toBe(200);
    expect(((await late.json()) as PaymentRetryResponse).status).toBe("succeeded");
    const reject = await post(`/v1/payment-retries/${retry.id}/reject`, { reason: "too late" }, "finance");
    expect(reject.status).toBe(409);
    expect(reject.headers.get("content-type")).toContain("application/problem+json");
    await stack.services.jobs.drain();
    expect(chargesOf(retry.intentId)).toHaveLength(2);
    const audit = await queryRows<{ action: string }>(
      stack.services.db,
      sql`select action from audit_log where target_id = ${retry.id} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      "payment_retry.requested",
      "payment_retry.approved",
      "payment_retry.succeeded",
    ]);
    // Both Slack messages show Stripe's outcome: the job that settled it asked for the update.
    const slack = stack.slack!.sandbox.records;
    for (const ref of [settled.slack.approval, settled.slack.request]) {
      if (!ref) continue;
      expect(JSON.stringify(slack.message(ref.channelId, ref.ts)!.blocks)).toContain("Paid");
    }
    expect(settled.slack.approval).not.toBeNull();
  });

  it("records a decline with Stripe's code", async () => {
    const customer = stack.demo!.sandbox.scenario.stripe.customers.find((c) => c.id === others.stripe)!;
    const retry = await requestFor(others);
    customer.invoice_settings.default_payment_method = "pm_card_chargeDeclinedInsufficientFunds";
    try {
      expect((await post(`/v1/payment-retries/${retry.id}/approve`, {}, "finance")).status).toBe(202);
      await stack.services.jobs.drain();
      expect(await read(retry.id)).toMatchObject({
        status: "failed",
        outcome: { code: "insufficient_funds", chargeId: chargesOf(retry.intentId)[1]!.id },
      });
    } finally {
      customer.invoice_settings.default_payment_method = null;
    }
  });

  it("rejects with a reason, once; approving a rejected request is a conflict and charges nothing", async () => {
    const retry = await requestFor(others);
    const reject = await post(`/v1/payment-retries/${retry.id}/reject`, { reason: "customer disputes it" }, "finance");
    expect(reject.status).toBe(200);
    expect((await reject.json()) as PaymentRetryResponse).toMatchObject({
      status: "rejected",
      reason: "customer disputes it",
    });
    expect((await post(`/v1/payment-retries/${retry.id}/reject`, {}, "admin")).status).toBe(200);
    expect((await post(`/v1/payment-retries/${retry.id}/approve`, {}, "finance")).status).toBe(409);
    // A reject without any body is fine too (the reason is optional).
    const other = await requestFor(others);
    expect((await stack.fetch(`/v1/payment-retries/${other.id}/reject`, { method: "POST" }, "finance")).status).toBe(
      200,
    );
    await stack.services.jobs.drain();
    expect(chargesOf(retry.intentId)).toHaveLength(1);
  });

  it("refuses malformed ids and bodies with 400, and unknown requests with 404, deciding nothing", async () => {
    const retry = await requestFor(others);
    for (const body of [{ reason: 7 }, { reason: "ok", decision: "approve" }, { reason: "x".repeat(1001) }]) {
      expect(
        (await post(`/v1/payment-retries/${retry.id}/approve`, body, "finance")).status,
        JSON.stringify(body),
      ).toBe(400);
    }
    expect((await post("/v1/payment-retries/not-a-uuid/approve", {}, "finance")).status).toBe(400);
    expect((await post("/v1/payment-retries/00000000-0000-4000-8000-000000000000/approve", {}, "finance")).status).toBe(
      404,
    );
    expect((await stack.fetch("/v1/payment-retries/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await read(retry.id)).status).toBe("requested");
  });
});

describe("GET /v1/payment-retries", () => {
  it("lists by status and account, narrowed to an account manager's accounts, and refuses bad filters", async () => {
    const mine = await requestFor(own, "account_manager");
    const theirs = await requestFor(others);
    const asManager = (await (
      await stack.fetch("/v1/payment-retries?limit=200", {}, "account_manager")
    ).json()) as PaymentRetriesResponse;
    expect(asManager.retries.map((r) => r.id)).toContain(mine.id);
    expect(asManager.retries.map((r) => r.id)).not.toContain(theirs.id);
    expect((await stack.fetch(`/v1/payment-retries/${theirs.id}`, {}, "account_manager")).status).toBe(404);
    const byAccount = (await (
      await stack.fetch(`/v1/payment-retries?accountId=${others.id}&status=requested`)
    ).json()) as PaymentRetriesResponse;
    expect(byAccount.retries.every((r) => r.account.id === others.id && r.status === "requested")).toBe(true);
    expect(byAccount.retries.map((r) => r.id)).toContain(theirs.id);
    for (const bad of ["status=paid", "accountId=nope", "limit=999", "cursor=nonsense"]) {
      expect((await stack.fetch(`/v1/payment-retries?${bad}`)).status, bad).toBe(400);
    }
  });
});
