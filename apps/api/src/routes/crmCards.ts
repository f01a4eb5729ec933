// The CRM cards' endpoints (apps/crm-extension/CARD_API.md): the card of a HubSpot company or Salesforce Account, and
// the Retry payment, Flag issue and Link actions on it. The card's CRM authenticates the request (auth/crm.ts); the
// verbs are the ones every surface calls.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  announceToSlack,
  type CrmCard,
  createFlag,
  createFlagBody,
  crmCardInput,
  crmProviderInput,
  findCrmAccount,
  getCrmCard,
  linkCrmRecord,
  linkCrmRecordBody,
  queueCrmWriteback,
  requestPaymentRetry,
} from "@reckon/core";
import type { Context } from "hono";
import type { AppEnv } from "../app";
import { actingContext, crmCardRoute } from "../auth/guard";
import { ApiError } from "../errors";
import { paymentRetryRefusal } from "./accountPaymentRetryRequest";

const params = z.object({
  provider: z.enum(crmProviderInput.shape.provider.options).openapi({ description: "hubspot or salesforce" }),
  recordId: z
    .string()
    .regex(/^[A-Za-z0-9]{1,40}$/, "a HubSpot company id or a Salesforce Account id")
    .openapi({ description: "The HubSpot company id or Salesforce Account id" }),
});
/** hubspot.fetch appends these to every request it signs. */
const cardQuery = crmCardInput.omit({ recordId: true }).extend({
  portalId: z.string().max(40).optional(),
  userId: z.string().max(40).optional(),
  userEmail: z.string().max(320).optional(),
  appId: z.string().max(40).optional(),
});

const viewerSchema = z.object({ name: z.string(), role: z.enum(["admin", "finance", "account_manager", "viewer"]) });
const cardSchema = z
  .object({
    state: z.enum(["linked", "unlinked"]),
    recordId: z.string(),
    viewer: viewerSchema,
  })
  .passthrough()
  .openapi("CrmCard", {
    description:
      "linked: account, status, banners (partialSync, stale), usage, forecast, invoices, overdue, payments (with " +
      "their retry state), flags, lastSync, actions, flagReasons. unlinked: canLink, suggestions, message. The full " +
      "shape is apps/crm-extension/CARD_API.md.",
  });
export type CrmCardResponse = CrmCard;

const word = { hubspot: "company", salesforce: "Account" } as const;

const cardRoute = crmCardRoute("accounts.read", {
  method: "get",
  path: "/v1/crm/{provider}/records/{recordId}/card",
  summary: "A CRM record's Reckon card",
  description:
    "What the HubSpot company card and the Salesforce Account component show. A record whose explicit-id hint " +
    "(quickbooksCustomerId) names an unlinked account is linked by it here; otherwise an unlinked record gets " +
    "suggestions (name, domain) for an admin to confirm.",
  request: { params, query: cardQuery },
  responses: {
    200: { description: "The card", content: { "application/json": { schema: cardSchema } } },
    400: { description: "Invalid record id or hints" },
    404: { description: "The record's account is not one of the caller's" },
  },
});

async function linkedAccount(c: Context<AppEnv>, provider: "hubspot" | "salesforce", recordId: string) {
  const accountId = await findCrmAccount(actingContext(c), provider, recordId);
  if (!accountId) {
    throw new ApiError(
      "not_found",
      `This ${word[provider]} is not linked to a Reckon account yet. An admin links it from the card.`,
    );
  }
  return accountId;
}

const retryRoute = crmCardRoute("payments.retry.request", {
  method: "post",
  path: "/v1/crm/{provider}/records/{recordId}/payment-retries",
  summary: "Retry payment, from a CRM card",
  description: "Asks finance to retry a failed payment of the record's account; finance approves in Slack or the API.",
  request: {
    params,
    body: {
      content: { "application/json": { schema: z.object({ paymentId: z.string().trim().min(1).max(255) }).strict() } },
      required: true,
    },
  },
  responses: {
    201: {
      description: "Requested",
      content: {
        "application/json": {
          schema: z.object({ retry: z.object({ id: z.string(), status: z.string() }), message: z.string() }),
        },
      },
    },
    200: { description: "A request for this payment is open already: that one" },
    400: { description: "Invalid body" },
    404: { description: "Not linked, not the caller's account, or no such payment" },
    409: { description: "The payment did not fail, or cannot be retried in Stripe" },
  },
});

const flagRoute = crmCardRoute("flags.create", {
  method: "post",
  path: "/v1/crm/{provider}/records/{recordId}/flags",
  summary: "Flag issue, from a CRM card",
  request: { params, body: { content: { "application/json": { schema: createFlagBody } }, required: true } },
  responses: {
    201: {
      description: "Raised",
      content: {
        "application/json": {
          schema: z.object({ flag: z.object({ id: z.string(), reason: z.string() }), message: z.string() }),
        },
      },
    },
    400: { description: "Invalid body" },
    404: { description: "Not linked, or not the caller's account" },
  },
});

const linkRoute = crmCardRoute("settings.manage", {
  method: "post",
  path: "/v1/crm/{provider}/records/{recordId}/link",
  summary: "Link a CRM record to an account, from its card",
  request: { params, body: { content: { "application/json": { schema: linkCrmRecordBody } }, required: true } },
  responses: {
    200: {
      description: "Linked",
      content: {
        "application/json": {
          schema: z.object({
            account: z.object({ id: z.string(), name: z.string() }),
            replaced: z.string().nullable(),
            message: z.string(),
          }),
        },
      },
    },
    400: { description: "Invalid body" },
    404: { description: "No such account" },
    409: { description: "This record is linked to another account" },
  },
});

export function registerCrmCards(app: OpenAPIHono<AppEnv>) {
  app.openapi(cardRoute, async (c) => {
    const { provider, recordId } = c.req.valid("param");
    const { name, domain, quickbooksCustomerId } = c.req.valid("query");
    const ctx = actingContext(c);
    const answer = await getCrmCard({
      ctx,
      provider,
      input: {
        recordId,
        ...(name ? { name } : {}),
        ...(domain ? { domain } : {}),
        ...(quickbooksCustomerId ? { quickbooksCustomerId } : {}),
      },
      webBaseUrl: c.var.deps.crm?.publicUrl ?? new URL(c.req.url).origin,
    });
    if (!answer.ok) {
      throw new ApiError(
        "not_found",
        "This account is in another account manager's portfolio, so its card stays closed to you.",
      );
    }
    return c.json(answer.card as CrmCardResponse & Record<string, unknown>, 200);
  });

  app.openapi(retryRoute, async (c) => {
    const { provider, recordId } = c.req.valid("param");
    const ctx = actingContext(c);
    const accountId = await linkedAccount(c, provider, recordId);
    const answer = await requestPaymentRetry({ ctx, input: { accountId, paymentId: c.req.valid("json").paymentId } });
    if (!answer.ok) throw paymentRetryRefusal(answer.reason);
    if (answer.created) await announceToSlack(c.var.deps.jobs, ctx.tenant.tenantId, "payment_retry", answer.retry.id);
    const message = answer.created
      ? "Retry requested: finance approves it in Slack or in Reckon, and the card shows the outcome."
      : "A retry of this payment is already waiting for finance.";
    return c.json({ retry: { id: answer.retry.id, status: answer.retry.status }, message }, answer.created ? 201 : 200);
  });

  app.openapi(flagRoute, async (c) => {
    const { provider, recordId } = c.req.valid("param");
    const ctx = actingContext(c);
    const accountId = await linkedAccount(c, provider, recordId);
    const answer = await createFlag({ ctx, input: { ...c.req.valid("json"), accountId } });
    if (!answer.ok)
      throw new ApiError("not_found", "This account is not one of yours, so it cannot be flagged from here.");
    await announceToSlack(c.var.deps.jobs, ctx.tenant.tenantId, "flag", answer.flag.id);
    await queueCrmWriteback(c.var.deps.jobs, ctx, [accountId]);
    return c.json(
      {
        flag: { id: answer.flag.id, reason: answer.flag.reason },
        message: "Flagged: finance sees it in Slack and in Reckon.",
      },
      201,
    );
  });

  app.openapi(linkRoute, async (c) => {
    const { provider, recordId } = c.req.valid("param");
    const ctx = actingContext(c);
    const answer = await linkCrmRecord({ ctx, provider, recordId, input: c.req.valid("json") });
    if (!answer.ok) {
      if (answer.reason === "account_not_found") {
        throw new ApiError("not_found", "No account with that id. Pick one of the card's suggestions.");
      }
      throw new ApiError(
        "conflict",
        `This ${word[provider]} is linked to "${answer.account?.name}" already. Unlink that account first.`,
      );
    }
    await queueCrmWriteback(c.var.deps.jobs, ctx, [answer.account.id]);
    return c.json(
      { account: answer.account, replaced: answer.replaced, message: `Linked to ${answer.account.name}.` },
      200,
    );
  });
}
