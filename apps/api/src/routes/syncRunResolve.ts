// POST /v1/sync/runs/{runId}/resolve (admin): accept a partial sync's gap; its accounts return to the forecast.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { resolvePartialSync, resolvePartialSyncInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const responseSchema = z.object({
  runId: z.string(),
  source: z.enum(["stripe", "quickbooks", "amplitude"]),
  resolvedAt: z.string(),
  resolvedBy: z.string().nullable(),
  /** Reconciled again by a queued job, after which their partial-sync flag is gone. */
  accountIds: z.array(z.string()),
});
export type SyncRunResolveResponse = z.infer<typeof responseSchema>;

const route = guardedRoute("sync.resolve", {
  method: "post",
  path: "/v1/sync/runs/{runId}/resolve",
  summary: "Resolve a partial sync run",
  request: { params: resolvePartialSyncInput },
  responses: {
    200: { description: "Resolved (or already resolved)", content: { "application/json": { schema: responseSchema } } },
    400: { description: "The run id is not a UUID" },
    404: { description: "No such run in this workspace" },
    409: { description: "The run did not end partial: there is nothing to resolve" },
  },
});

export function registerSyncRunResolve(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const answer = await resolvePartialSync({ ctx, jobs: c.var.deps.jobs, input: c.req.valid("param") });
    if (!answer.ok && answer.reason === "not_found") {
      throw new ApiError("not_found", "No sync run with that id in this workspace. See GET /v1/sync/status.");
    }
    if (!answer.ok) {
      throw new ApiError("conflict", "That run did not end partial, so there is no partial sync to resolve.");
    }
    const body: SyncRunResolveResponse = answer.resolution;
    return c.json(body, 200);
  });
}
