// GET /v1/portfolio: the portfolio grid, filtered, sorted and paged by cursor.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { listPortfolio, listPortfolioInput, type PortfolioPage } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

export type PortfolioResponse = PortfolioPage;

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/portfolio",
  request: { query: listPortfolioInput },
  responses: {
    200: { description: "One page of accounts", content: { "application/json": { schema: z.any() } } },
    400: { description: "Invalid filter, sort or cursor" },
  },
});

export function registerPortfolio(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const page: PortfolioResponse = await listPortfolio({ ctx, input: c.req.valid("query") });
    return c.json(page, 200);
  });
}
