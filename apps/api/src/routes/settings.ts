// GET /v1/settings (admin): threshold, base currency, time zone, metrics with their QuickBooks items, FX rates.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { getSettings, type TenantSettings } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

export const metricSettingSchema = z.object({
  key: z.string(),
  unit: z.string(),
  eventType: z.string(),
  quickbooksItemIds: z.array(z.string()),
});
export const fxRateSchema = z.object({
  from: z.string(),
  to: z.string(),
  rate: z.string().openapi({ description: "Units of `to` for one `from`, an exact decimal string" }),
  effectiveOn: z.string().openapi({ format: "date" }),
});
export const settingsSchema = z.object({
  thresholdBps: z.number().int().openapi({ description: "Usage-to-invoice tolerance in basis points (500 = 5%)" }),
  baseCurrency: z.string(),
  timeZone: z.string(),
  amplitudeGroupType: z.string(),
  metrics: z.array(metricSettingSchema),
  fxRates: z.array(fxRateSchema),
});
export type SettingsResponse = TenantSettings;

const route = guardedRoute("settings.manage", {
  method: "get",
  path: "/v1/settings",
  summary: "The workspace's reconciliation settings",
  responses: {
    200: { description: "Settings", content: { "application/json": { schema: settingsSchema } } },
  },
});

export function registerSettings(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body: SettingsResponse = await getSettings({ ctx: actingContext(c) });
    return c.json(body, 200);
  });
}
