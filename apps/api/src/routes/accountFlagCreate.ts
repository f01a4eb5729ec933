// POST /v1/accounts/{accountId}/flags: flag an issue on an account to finance (account managers: their own accounts).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { announceToSlack, createFlag, createFlagBody, type Flag, getAccountDetailInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";
import { flagSchema } from "./flags";

export type AccountFlagCreateResponse = Flag;

const route = guardedRoute("flags.create", {
  method: "post",
  path: "/v1/accounts/{accountId}/flags",
  summary: "Flag an issue on an account",
  description:
    "The reason is a discrepancy kind (over_billed, failed_payment, ...) or `other`, which needs a note; `amount`, " +
    "when given, is the money at stake in minor units. The Slack bot posts the flag to the finance channel; finance " +
    "resolves it there or with POST /v1/flags/{flagId}/resolve.",
  request: {
    params: getAccountDetailInput,
    body: { content: { "application/json": { schema: createFlagBody } }, required: true },
  },
  responses: {
    201: { description: "Raised", content: { "application/json": { schema: flagSchema } } },
    400: { description: "Invalid id or body" },
    404: { description: "No such account in this workspace (or not one of the caller's)" },
  },
});

export function registerAccountFlagCreate(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const input = { ...c.req.valid("json"), ...c.req.valid("param") };
    const ctx = actingContext(c);
    const answer = await createFlag({ ctx, input });
    if (!answer.ok) throw new ApiError("not_found", "No account with that id. Pick one from GET /v1/portfolio.");
    // Posted to the finance channel like a flag raised in Slack.
    await announceToSlack(c.var.deps.jobs, ctx.tenant.tenantId, "flag", answer.flag.id);
    const body: AccountFlagCreateResponse = answer.flag;
    return c.json(body, 201);
  });
}
