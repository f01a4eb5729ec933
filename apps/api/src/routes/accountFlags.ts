// GET /v1/accounts/{accountId}/flags: one account's flags newest first, by status, paged by cursor.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { type FlagPage, getAccountDetailInput, listFlags, listFlagsQuery } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";
import { flagPageSchema } from "./flags";

export type AccountFlagsResponse = FlagPage;

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/accounts/{accountId}/flags",
  summary: "An account's flags, newest first",
  request: { params: getAccountDetailInput, query: listFlagsQuery },
  responses: {
    200: { description: "One page of flags", content: { "application/json": { schema: flagPageSchema } } },
    400: { description: "Invalid id, filter or cursor" },
    404: { description: "No such account in this workspace (or not one of the caller's)" },
  },
});

export function registerAccountFlags(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const input = { ...c.req.valid("query"), ...c.req.valid("param") };
    const page = await listFlags({ ctx: actingContext(c), input });
    if (!page) throw new ApiError("not_found", "No account with that id. Pick one from GET /v1/portfolio.");
    const body: AccountFlagsResponse = page;
    return c.json(body, 200);
  });
}
