// POST /v1/flags/{flagId}/resolve (finance, admin): resolve a flag with an optional note; resolving again answers
// the first resolution.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { announceToSlack, type Flag, flagIdInput, resolveFlag, resolveFlagBody } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";
import { flagSchema } from "./flags";

export type FlagResolveResponse = Flag;

const route = guardedRoute("flags.resolve", {
  method: "post",
  path: "/v1/flags/{flagId}/resolve",
  summary: "Resolve a flag",
  request: {
    params: flagIdInput,
    body: { content: { "application/json": { schema: resolveFlagBody } }, required: false },
  },
  responses: {
    200: {
      description: "Resolved; resolving again answers the first resolution unchanged",
      content: { "application/json": { schema: flagSchema } },
    },
    400: { description: "Invalid id or body" },
    404: { description: "No such flag in this workspace" },
  },
});

export function registerFlagResolve(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {};
    const ctx = actingContext(c);
    const answer = await resolveFlag({ ctx, input: { ...body, ...c.req.valid("param") } });
    if (!answer.ok) throw new ApiError("not_found", "No flag with that id. List them with GET /v1/flags.");
    // The flag's Slack message and thread say it was resolved.
    if (!answer.alreadyResolved) await announceToSlack(c.var.deps.jobs, ctx.tenant.tenantId, "flag", answer.flag.id);
    const flag: FlagResolveResponse = answer.flag;
    return c.json(flag, 200);
  });
}
