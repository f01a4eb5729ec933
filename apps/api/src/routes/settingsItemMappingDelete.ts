// DELETE /v1/settings/item-mappings/{quickbooksItemId} (admin): the item no longer bills a metric.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { deleteItemMapping, itemMappingKeyInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const route = guardedRoute("settings.manage", {
  method: "delete",
  path: "/v1/settings/item-mappings/{quickbooksItemId}",
  summary: "Remove a QuickBooks item's metric mapping",
  request: { params: itemMappingKeyInput },
  responses: {
    204: { description: "Removed" },
    400: { description: "Not a QuickBooks item id" },
    404: { description: "That item is not mapped" },
  },
});

export function registerSettingsItemMappingDelete(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const deletion = await deleteItemMapping({ ctx, jobs: c.var.deps.jobs, input: c.req.valid("param") });
    if (!deletion.ok) {
      throw new ApiError("not_found", "That QuickBooks item is not mapped to a metric. See GET /v1/settings.");
    }
    return c.body(null, 204);
  });
}
