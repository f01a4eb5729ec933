// GET /v1/accounts/:id/forecast: one account's usage projected to quarter end per metric, with backtest and alerts.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { getAccountForecast, getAccountForecastInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/accounts/{accountId}/forecast",
  request: { params: getAccountForecastInput },
  responses: {
    200: { description: "Projection per metric", content: { "application/json": { schema: z.any() } } },
    400: { description: "The id is not an account id" },
    404: { description: "No such account in this tenant" },
  },
});

export function registerAccountForecast(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const forecast = await getAccountForecast({ ctx, input: c.req.valid("param") });
    if (!forecast) throw new ApiError("not_found", "No account with that id. Pick one from GET /v1/portfolio.");
    return c.json(forecast, 200);
  });
}
