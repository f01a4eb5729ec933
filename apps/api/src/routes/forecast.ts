// GET /v1/forecast: revenue projected to quarter end for the portfolio and its accounts, filtered like /v1/portfolio.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { getPortfolioForecast, getPortfolioForecastInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

const route = guardedRoute("accounts.read", {
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
    const ctx = actingContext(c);
    return c.json(await getPortfolioForecast({ ctx, input: c.req.valid("query") }), 200);
  });
}
