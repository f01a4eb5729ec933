// POST /webhooks/quickbooks: Intuit's webhook deliveries (one endpoint per Intuit app; realmId names the company).
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { receiveQuickbooksWebhook } from "@reckon/core";
import type { AppEnv } from "../app";
import { guardedRoute } from "../auth/guard";
import { problem } from "../errors";

const receiptSchema = z.object({
  received: z.literal(true),
  /** Changes new to Reckon, and re-deliveries of changes already recorded. */
  accepted: z.number().int(),
  duplicates: z.number().int(),
});
export type QuickbooksWebhookResponse = z.infer<typeof receiptSchema>;

const route = guardedRoute("signature", {
  method: "post",
  path: "/webhooks/quickbooks",
  summary: "Receive QuickBooks change notifications",
  description:
    "The webhook URL of the Intuit app. The raw body is checked against `intuit-signature` (base64 HMAC-SHA256 " +
    "with the app's verifier token) before it is read; both the classic payload (`eventNotifications`) and the " +
    "CloudEvents array are accepted. Each company's changes queue one ChangeDataCapture sync.",
  responses: {
    200: { description: "Recorded", content: { "application/json": { schema: receiptSchema } } },
    400: { description: "A correctly signed body that is neither payload shape" },
  },
});

export function registerWebhooksQuickbooks(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { deps } = c.var;
    const answer = await receiveQuickbooksWebhook({
      services: deps.services,
      jobs: deps.jobs,
      verifierToken: deps.webhooks?.quickbooksVerifierToken ?? null,
      input: { rawBody: await c.req.text(), signature: c.req.header("intuit-signature") },
    });
    if (!answer.ok) return problem(c, answer.reason, answer.message);
    return c.json({ received: true as const, accepted: answer.accepted, duplicates: answer.duplicates }, 200);
  });
}
