// GET /v1/portfolio: the portfolio grid, filtered, sorted and paged by cursor; GET /v1/portfolio/totals: its totals
// row over every page, in the tenant's base currency.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  getPortfolioTotals,
  listPortfolio,
  listPortfolioInput,
  type PortfolioPage,
  type PortfolioTotals,
  portfolioTotalsInput,
} from "@reckon/core";
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

const totalsRoute = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/portfolio/totals",
  request: { query: portfolioTotalsInput },
  responses: {
    200: {
      description: "What the filters select, per currency and in the base currency (labelled when converted)",
      content: { "application/json": { schema: z.any() } },
    },
    400: { description: "Invalid filter" },
  },
});

export function registerPortfolio(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const page: PortfolioResponse = await listPortfolio({ ctx, input: c.req.valid("query") });
    return c.json(page, 200);
  });
  app.openapi(totalsRoute, async (c) => {
    const totals: PortfolioTotals = await getPortfolioTotals({ ctx: actingContext(c), input: c.req.valid("query") });
    return c.json(totals, 200);
  });
}
