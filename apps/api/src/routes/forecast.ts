// GET /v1/forecast: revenue projected to quarter end for the portfolio and its accounts, filtered like /v1/portfolio.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getPortfolioForecast, getPortfolioForecastInput } from "@reckon/core";
import type { AppEnv } from "../app";

const route = createRoute({
  method: "get",
  path: "/v1/forecast",
  request: { query: getPortfolioForecastInput },
  responses: {
    200: { description: "Portfolio and account projections", content: { "application/json": { schema: z.any() } } },
    400: { description: "Invalid filter" },
  },
});

export function registerForecast(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = await c.var.deps.tenantContext();
    return c.json(await getPortfolioForecast({ ctx, input: c.req.valid("query") }), 200);
  });
}
