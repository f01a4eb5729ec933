// GET /v1/payment-retries: payment retry requests newest first, by status (finance's queue: ?status=requested) and
// account, paged by cursor; account managers see their own accounts' requests only.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  actionSurfaces,
  listPaymentRetries,
  listPaymentRetriesInput,
  type PaymentRetryPage,
  paymentRetryStatuses,
} from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { moneySchema } from "./flags";

const instant = z.string().openapi({ format: "date-time" });
const person = z.object({ id: z.string(), name: z.string() }).nullable();
const slackRef = z.object({ channelId: z.string(), ts: z.string() }).nullable();

export const paymentRetrySchema = z.object({
  id: z.string(),
  account: z.object({ id: z.string(), name: z.string() }),
  invoiceId: z.string().nullable().openapi({ description: "The QuickBooks invoice the failed payment was for" }),
  paymentId: z.string().openapi({ description: "The failed Stripe charge" }),
  paymentIntentId: z.string().openapi({ description: "What the retry confirms again" }),
  amount: moneySchema,
  failure: z.object({ code: z.string().nullable(), message: z.string().nullable() }),
  status: z.enum(paymentRetryStatuses).openapi({
    description:
      "requested -> approved -> succeeded | failed; requested -> rejected; cancelled: paid by other means (nothing " +
      "charged). `approved`: the retry job is charging it; with `lastError`, Stripe has not answered yet and the " +
      "job tries again with the same key (approving again queues it anew once the job has given up)",
  }),
  requestedBy: person,
  requestedVia: z.enum(actionSurfaces),
  requestedAt: instant,
  note: z.string().nullable(),
  decidedBy: person,
  decidedVia: z.enum(actionSurfaces).nullable(),
  decidedAt: instant.nullable(),
  reason: z.string().nullable(),
  outcome: z
    .object({
      code: z.string().nullable().openapi({ description: "Stripe's decline or refusal code; null when paid" }),
      message: z.string().nullable(),
      chargeId: z.string().nullable(),
      completedAt: instant,
    })
    .nullable(),
  idempotencyKey: z.string().openapi({ description: "Sent with every Stripe call for this approval" }),
  attempts: z.number().int(),
  lastError: z.string().nullable().openapi({ description: "Why the last Stripe call got no answer, while approved" }),
  slack: z.object({ request: slackRef, approval: slackRef }),
});
export type PaymentRetriesResponse = PaymentRetryPage;

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/payment-retries",
  summary: "Payment retry requests, newest first",
  request: { query: listPaymentRetriesInput },
  responses: {
    200: {
      description: "One page of requests",
      content: {
        "application/json": {
          schema: z.object({ retries: z.array(paymentRetrySchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    400: { description: "Invalid filter or cursor" },
  },
});

export function registerPaymentRetries(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const page: PaymentRetriesResponse = await listPaymentRetries({
      ctx: actingContext(c),
      input: c.req.valid("query"),
    });
    return c.json(page, 200);
  });
}
