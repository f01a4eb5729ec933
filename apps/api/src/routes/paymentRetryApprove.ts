// POST /v1/payment-retries/{retryId}/approve (finance, admin): approve a retry; Stripe is charged exactly once
// however often this is sent. 202 while the charge is queued (GET the request for its outcome), 200 once settled.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { type PaymentRetry, paymentRetryIdInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { guardedRoute } from "../auth/guard";
import { decide, decisionRequest, decisionResponses, retryContent } from "./paymentRetryDecision";

export type PaymentRetryApproveResponse = PaymentRetry;

const route = guardedRoute("payments.retry.approve", {
  method: "post",
  path: "/v1/payment-retries/{retryId}/approve",
  summary: "Approve a payment retry (retries the Stripe payment)",
  description:
    "Queues the retry of the failed payment's PaymentIntent with the customer's card, under the request's " +
    "idempotency key: the answer is 202 with status `approved`, and GET /v1/payment-retries/{retryId} shows the " +
    "outcome (succeeded, or failed with Stripe's decline code). Approving again (a double click) changes nothing and " +
    "charges nothing; after a Stripe outage (`lastError`) it queues the same call again, which Stripe charges at most " +
    "once. A payment made by other means since the request is cancelled instead (200), nothing charged.",
  request: { params: paymentRetryIdInput, ...decisionRequest },
  responses: {
    200: {
      description: "Settled already: succeeded, failed or cancelled (paid by other means)",
      content: retryContent,
    },
    202: { description: "Approved; the Stripe retry is queued or has had no answer yet", content: retryContent },
    ...decisionResponses,
  },
});

export function registerPaymentRetryApprove(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {};
    const { retry, status } = await decide(c, c.req.valid("param").retryId, body, "approve");
    const response: PaymentRetryApproveResponse = retry;
    return c.json(response, status);
  });
}
