// POST /v1/accounts/{accountId}/payment-retries: ask finance to retry a failed Stripe payment of the account;
// 201 for a new request, 200 with the open one when the payment (or its invoice) already has one.
import type { OpenAPIHono } from "@hono/zod-openapi";
import {
  announceToSlack,
  getAccountDetailInput,
  type PaymentRetry,
  type RequestPaymentRetryResult,
  requestPaymentRetry,
  requestPaymentRetryBody,
} from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";
import { paymentRetrySchema } from "./paymentRetries";

export type AccountPaymentRetryRequestResponse = PaymentRetry;

const route = guardedRoute("payments.retry.request", {
  method: "post",
  path: "/v1/accounts/{accountId}/payment-retries",
  summary: "Request a retry of a failed payment",
  description:
    "Finance approves or rejects it (POST /v1/payment-retries/{retryId}/approve | reject); an approval retries the " +
    "Stripe payment once, under the request's idempotency key.",
  request: {
    params: getAccountDetailInput,
    body: { content: { "application/json": { schema: requestPaymentRetryBody } }, required: true },
  },
  responses: {
    201: { description: "Requested", content: { "application/json": { schema: paymentRetrySchema } } },
    200: {
      description: "A request for this payment or its invoice is open already: that one",
      content: { "application/json": { schema: paymentRetrySchema } },
    },
    400: { description: "Invalid id or body" },
    404: { description: "No such account (or not one of the caller's), payment or invoice" },
    409: { description: "The payment did not fail, has been paid since, or cannot be retried in Stripe" },
  },
});

export function paymentRetryRefusal(reason: Extract<RequestPaymentRetryResult, { ok: false }>["reason"]): ApiError {
  switch (reason) {
    case "account_not_found":
      return new ApiError("not_found", "No account with that id. Pick one from GET /v1/portfolio.");
    case "payment_not_found":
      return new ApiError("not_found", "That account has no Stripe payment with that id; see its payments.");
    case "invoice_not_found":
      return new ApiError("not_found", "That account has no invoice with that id.");
    case "not_failed":
      return new ApiError(
        "conflict",
        "That payment did not fail, or it has been paid since: there is nothing to retry.",
      );
    case "not_retryable":
      return new ApiError("conflict", "That charge has no Stripe PaymentIntent, so Stripe cannot retry it.");
  }
}

export function registerAccountPaymentRetryRequest(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const input = { ...c.req.valid("json"), ...c.req.valid("param") };
    const ctx = actingContext(c);
    const answer = await requestPaymentRetry({ ctx, input });
    if (!answer.ok) throw paymentRetryRefusal(answer.reason);
    // Finance gets the approval request in Slack, the requester a copy, as when it is asked for in Slack.
    if (answer.created) await announceToSlack(c.var.deps.jobs, ctx.tenant.tenantId, "payment_retry", answer.retry.id);
    const body: AccountPaymentRetryRequestResponse = answer.retry;
    return c.json(body, answer.created ? 201 : 200);
  });
}
