// POST /v1/payment-retries/{retryId}/reject (finance, admin): reject a retry with an optional reason; nothing is
// charged. Rejecting again answers the same; rejecting an approved one is a conflict.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { decidePaymentRetry, type PaymentRetry, paymentRetryIdInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { decisionAnswer, decisionRequest, decisionResponses, retryContent } from "./paymentRetryDecision";

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
    const answer = await decidePaymentRetry({
      ctx: actingContext(c),
      input: { ...body, ...c.req.valid("param"), decision: "reject" },
    });
    const response: PaymentRetryRejectResponse = decisionAnswer(answer).retry;
    return c.json(response, 200);
  });
}
