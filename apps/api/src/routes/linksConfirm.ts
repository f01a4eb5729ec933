// POST /v1/links/confirm (admin): confirm an account's link to a source record; the sync never replaces it.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AccountLinkChange, confirmAccountLink, confirmAccountLinkInput, linkSources } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const responseSchema = z.object({
  account: z.object({ id: z.string(), name: z.string() }),
  source: z.enum(linkSources),
  sourceId: z.string(),
  method: z.literal("confirmed"),
  replaced: z.string().nullable().openapi({ description: "The record this link replaced on the account, if any" }),
  reconcileJobId: z.string().nullable(),
});
export type LinkConfirmResponse = z.infer<typeof responseSchema>;

const route = guardedRoute("settings.manage", {
  method: "post",
  path: "/v1/links/confirm",
  summary: "Confirm an account's link to a Stripe customer, QuickBooks customer or Amplitude group",
  description:
    "Sets the account's link for that source (replacing any other) with method `confirmed` and queues a " +
    "reconciliation. A record linked to another account is refused with 409.",
  request: { body: { content: { "application/json": { schema: confirmAccountLinkInput } }, required: true } },
  responses: {
    200: { description: "Confirmed", content: { "application/json": { schema: responseSchema } } },
    400: { description: "Invalid body" },
    404: { description: "No such account, or the source has not sent that record" },
    409: { description: "That record is linked to another account" },
  },
});

const sourceNames = { stripe: "Stripe customer", quickbooks: "QuickBooks customer", amplitude: "Amplitude group" };

function refusal(change: Exclude<AccountLinkChange, { ok: true }>, source: keyof typeof sourceNames): never {
  switch (change.reason) {
    case "account_not_found":
      throw new ApiError("not_found", "No account with that id. Pick one from GET /v1/portfolio.");
    case "source_not_found":
      throw new ApiError(
        "not_found",
        `No ${sourceNames[source]} with that id has been synced. See GET /v1/links/suggestions for unlinked records.`,
      );
    case "linked_elsewhere":
      throw new ApiError(
        "conflict",
        `That ${sourceNames[source]} is linked to account "${change.account.name}" (${change.account.id}). ` +
          "Link that account to another record first.",
      );
  }
}

export function registerLinksConfirm(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const input = c.req.valid("json");
    const change = await confirmAccountLink({ ctx: actingContext(c), jobs: c.var.deps.jobs, input });
    if (!change.ok) refusal(change, input.source);
    const body: LinkConfirmResponse = {
      account: change.account,
      source: input.source,
      sourceId: input.sourceId,
      method: "confirmed",
      replaced: change.replaced,
      reconcileJobId: change.reconcileJobId,
    };
    return c.json(body, 200);
  });
}
