// GET /v1/accounts/:id: one account's usage, invoices, payments, reconciliation and last sync.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AccountDetail, getAccountDetail, getAccountDetailInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

export type AccountDetailResponse = AccountDetail;

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/accounts/{accountId}",
  request: { params: getAccountDetailInput },
  responses: {
    200: { description: "The account", content: { "application/json": { schema: z.any() } } },
    400: { description: "The id is not an account id" },
    404: { description: "No such account in this tenant" },
  },
});

export function registerAccountDetail(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const detail = await getAccountDetail({ ctx, input: c.req.valid("param") });
    if (!detail) throw new ApiError("not_found", "No account with that id. Pick one from GET /v1/portfolio.");
    const body: AccountDetailResponse = detail;
    return c.json(body, 200);
  });
}
