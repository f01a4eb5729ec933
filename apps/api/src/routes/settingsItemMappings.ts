// PUT /v1/settings/item-mappings (admin): which metric each QuickBooks item bills.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { saveItemMappings, saveItemMappingsInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";
import { metricSettingSchema } from "./settings";

const responseSchema = z.object({ metrics: z.array(metricSettingSchema), reconcileJobId: z.string().nullable() });
export type ItemMappingsResponse = z.infer<typeof responseSchema>;

const route = guardedRoute("settings.manage", {
  method: "put",
  path: "/v1/settings/item-mappings",
  summary: "Map QuickBooks items to metrics",
  description:
    "Each item bills one metric (an existing metric key); items not named keep their mapping. Up to 1000 a request.",
  request: { body: { content: { "application/json": { schema: saveItemMappingsInput } }, required: true } },
  responses: {
    200: {
      description: "Every metric with its items after the change",
      content: { "application/json": { schema: responseSchema } },
    },
    400: { description: "Invalid body, or a metric the workspace does not have" },
  },
});

export function registerSettingsItemMappings(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const change = await saveItemMappings({ ctx, jobs: c.var.deps.jobs, input: c.req.valid("json") });
    if (!change.ok) {
      const names = change.metrics.map((m) => JSON.stringify(m)).join(", ");
      throw new ApiError(
        "bad_request",
        `Unknown metric${change.metrics.length === 1 ? "" : "s"} ${names}: use a metric key from GET /v1/settings.`,
      );
    }
    const body: ItemMappingsResponse = { metrics: change.metrics, reconcileJobId: change.reconcileJobId };
    return c.json(body, 200);
  });
}
