// GET /v1/metrics: aging, DSO, CEI, MRR movements and revenue for the portfolio, filtered like /v1/portfolio.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { getPortfolioMetrics, getPortfolioMetricsInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/metrics",
  request: { query: getPortfolioMetricsInput },
  responses: {
    200: {
      description: "Finance metrics, per currency and converted",
      content: { "application/json": { schema: z.any() } },
    },
    400: { description: "Invalid filter" },
  },
});

export function registerMetrics(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    return c.json(await getPortfolioMetrics({ ctx, input: c.req.valid("query") }), 200);
  });
}
