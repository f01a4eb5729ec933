// GET /v1/sync/status: each source's connection, last run, last error, cursor and next scheduled run.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { getSyncStatus, type SourceStatus } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

export type SyncStatusResponse = { sources: SourceStatus[] };

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/sync/status",
  responses: { 200: { description: "Per-source sync state", content: { "application/json": { schema: z.any() } } } },
});

export function registerSyncStatus(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const body: SyncStatusResponse = { sources: await getSyncStatus({ ctx, jobs: c.var.deps.jobs }) };
    return c.json(body, 200);
  });
}
