// POST /webhooks/stripe/:tenant: Stripe's webhook deliveries for one workspace; the signature is the credential.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { receiveStripeWebhook } from "@reckon/core";
import type { AppEnv } from "../app";
import { guardedRoute } from "../auth/guard";
import { problem } from "../errors";

const receiptSchema = z.object({
  received: z.literal(true),
  /** The event was already recorded: nothing was done again. */
  duplicate: z.boolean(),
});
export type StripeWebhookResponse = z.infer<typeof receiptSchema>;

const route = guardedRoute("signature", {
  method: "post",
  path: "/webhooks/stripe/{tenant}",
  summary: "Receive a Stripe event",
  description:
    "The endpoint URL to give Stripe, with the workspace's slug. The body is the raw Stripe event, checked against " +
    "`stripe-signature` with the connection's signing secret before it is read; events are applied once per id, " +
    "from the charge's current state, and the account it belongs to is reconciled.",
  request: { params: z.object({ tenant: z.string().min(1).max(100) }) },
  responses: {
    200: { description: "Recorded (or already recorded)", content: { "application/json": { schema: receiptSchema } } },
    400: { description: "A correctly signed body that is not a Stripe event" },
  },
});

export function registerWebhooksStripe(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { deps } = c.var;
    const answer = await receiveStripeWebhook({
      services: deps.services,
      jobs: deps.jobs,
      input: {
        tenantSlug: c.req.valid("param").tenant,
        rawBody: await c.req.text(),
        signature: c.req.header("stripe-signature"),
      },
    });
    if (!answer.ok) return problem(c, answer.reason, answer.message);
    return c.json({ received: true as const, duplicate: answer.accepted === 0 }, 200);
  });
}
