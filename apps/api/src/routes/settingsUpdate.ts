// PATCH /v1/settings (admin): change the threshold, base currency or time zone; a threshold change re-reconciles.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { type SettingsChange, updateSettings, updateSettingsInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { settingsSchema } from "./settings";

const responseSchema = z.object({
  settings: settingsSchema,
  reconcileJobId: z.string().nullable().openapi({ description: "The reconciliation queued by a threshold change" }),
});
export type SettingsUpdateResponse = SettingsChange;

const route = guardedRoute("settings.manage", {
  method: "patch",
  path: "/v1/settings",
  summary: "Change the threshold, base currency or time zone",
  description: "Only the fields sent change. A new threshold queues a reconciliation of every account.",
  request: { body: { content: { "application/json": { schema: updateSettingsInput } }, required: true } },
  responses: {
    200: { description: "The settings after the change", content: { "application/json": { schema: responseSchema } } },
    400: { description: "Invalid body" },
  },
});

export function registerSettingsUpdate(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const body: SettingsUpdateResponse = await updateSettings({
      ctx,
      jobs: c.var.deps.jobs,
      input: c.req.valid("json"),
    });
    return c.json(body, 200);
  });
}
