// POST /v1/payment-retries/{retryId}/reject (finance, admin): reject a retry with an optional reason; nothing is
// charged. Rejecting again answers the same; rejecting an approved one is a conflict.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { type PaymentRetry, paymentRetryIdInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { guardedRoute } from "../auth/guard";
import { decide, decisionRequest, decisionResponses, retryContent } from "./paymentRetryDecision";

export type PaymentRetryRejectResponse = PaymentRetry;

const route = guardedRoute("payments.retry.approve", {
  method: "post",
  path: "/v1/payment-retries/{retryId}/reject",
  summary: "Reject a payment retry",
  request: { params: paymentRetryIdInput, ...decisionRequest },
  responses: {
    200: { description: "Rejected (or rejected already)", content: retryContent },
    ...decisionResponses,
  },
});

export function registerPaymentRetryReject(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {};
    const { retry } = await decide(c, c.req.valid("param").retryId, body, "reject");
    const response: PaymentRetryRejectResponse = retry;
    return c.json(response, 200);
  });
}
