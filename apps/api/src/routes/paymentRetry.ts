// GET /v1/payment-retries/{retryId}: one payment retry request and, once Stripe answered, its outcome.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { getPaymentRetry, type PaymentRetry, paymentRetryIdInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";
import { paymentRetrySchema } from "./paymentRetries";

export type PaymentRetryResponse = PaymentRetry;

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/payment-retries/{retryId}",
  summary: "A payment retry request",
  request: { params: paymentRetryIdInput },
  responses: {
    200: { description: "The request", content: { "application/json": { schema: paymentRetrySchema } } },
    400: { description: "The id is not a UUID" },
    404: { description: "No such request in this workspace (or not on one of the caller's accounts)" },
  },
});

export function registerPaymentRetry(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const retry = await getPaymentRetry({ ctx: actingContext(c), input: c.req.valid("param") });
    if (!retry) throw new ApiError("not_found", "No payment retry with that id. See GET /v1/payment-retries.");
    const body: PaymentRetryResponse = retry;
    return c.json(body, 200);
  });
}
