// PUT /v1/settings/fx-rates (admin): set dated FX rates; each (from, to, effectiveOn) is added or its rate replaced.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { type FxRatesChange, saveFxRates, saveFxRatesInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { fxRateSchema } from "./settings";

const responseSchema = z.object({ fxRates: z.array(fxRateSchema), reconcileJobId: z.string().nullable() });
export type FxRatesResponse = FxRatesChange;

const route = guardedRoute("settings.manage", {
  method: "put",
  path: "/v1/settings/fx-rates",
  summary: "Add or replace dated FX rates",
  description:
    "Up to 1000 rates a request. Rates are decimal strings (never floats), above zero, at most 10 decimal places. " +
    "Rates not named stay as they are; remove one with DELETE. Answers every rate of the workspace.",
  request: { body: { content: { "application/json": { schema: saveFxRatesInput } }, required: true } },
  responses: {
    200: { description: "All FX rates after the change", content: { "application/json": { schema: responseSchema } } },
    400: { description: "Invalid body" },
  },
});

export function registerSettingsFxRates(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const body: FxRatesResponse = await saveFxRates({ ctx, jobs: c.var.deps.jobs, input: c.req.valid("json") });
    return c.json(body, 200);
  });
}
