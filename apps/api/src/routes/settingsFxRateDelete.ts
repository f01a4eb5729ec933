// DELETE /v1/settings/fx-rates/{from}/{to}/{effectiveOn} (admin): remove one dated FX rate.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { deleteFxRate, fxRateKeyInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const route = guardedRoute("settings.manage", {
  method: "delete",
  path: "/v1/settings/fx-rates/{from}/{to}/{effectiveOn}",
  summary: "Remove a dated FX rate",
  request: { params: fxRateKeyInput },
  responses: {
    204: { description: "Removed" },
    400: { description: "Invalid currency code or date" },
    404: { description: "No rate for that pair on that day" },
  },
});

export function registerSettingsFxRateDelete(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const deletion = await deleteFxRate({ ctx, jobs: c.var.deps.jobs, input: c.req.valid("param") });
    if (!deletion.ok) {
      throw new ApiError("not_found", "No FX rate for that pair on that day. List them with GET /v1/settings.");
    }
    return c.body(null, 204);
  });
}
