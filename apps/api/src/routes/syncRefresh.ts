// POST /v1/sync: a manual refresh: queue a sync of every source and a reconciliation; 202 with the job id.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { requestSync, requestSyncInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

const responseSchema = z.object({ jobId: z.string(), status: z.literal("queued") });
export type SyncRefreshResponse = z.infer<typeof responseSchema>;

const route = guardedRoute("sync.refresh", {
  method: "post",
  path: "/v1/sync",
  request: {
    body: { content: { "application/json": { schema: requestSyncInput } }, required: false },
  },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: responseSchema } } },
    400: { description: "Invalid body" },
  },
});

export function registerSyncRefresh(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const input = c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {};
    const { jobId } = await requestSync({ ctx, jobs: c.var.deps.jobs, input });
    return c.json({ jobId, status: "queued" as const }, 202);
  });
}
