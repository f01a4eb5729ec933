// POST /v1/payment-retries/{retryId}/approve (finance, admin): approve a retry; Stripe is charged exactly once
// however often this is sent, and the answer carries the outcome (202 while Stripe has not answered).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { decidePaymentRetry, type PaymentRetry, paymentRetryIdInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { decisionAnswer, decisionRequest, decisionResponses, retryContent } from "./paymentRetryDecision";

export type PaymentRetryApproveResponse = PaymentRetry;

const route = guardedRoute("payments.retry.approve", {
  method: "post",
  path: "/v1/payment-retries/{retryId}/approve",
  summary: "Approve a payment retry (retries the Stripe payment)",
  description:
    "Retries the failed payment's PaymentIntent with the customer's card under the request's idempotency key. " +
    "Approving again (a double click) answers the same outcome without calling Stripe; after a Stripe outage " +
    "(202, `lastError`) it re-runs the same call, which Stripe charges at most once.",
  request: { params: paymentRetryIdInput, ...decisionRequest },
  responses: {
    200: { description: "Settled: succeeded, failed (declined) or cancelled (paid already)", content: retryContent },
    202: { description: "Approved; Stripe has not answered yet", content: retryContent },
    ...decisionResponses,
  },
});

export function registerPaymentRetryApprove(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {};
    const answer = await decidePaymentRetry({
      ctx: actingContext(c),
      input: { ...body, ...c.req.valid("param"), decision: "approve" },
    });
    const { retry, status } = decisionAnswer(answer);
    const response: PaymentRetryApproveResponse = retry;
    return c.json(response, status);
  });
}
