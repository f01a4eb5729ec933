// GET /v1/sync/status: each source's connection (and what to do when it needs reconnecting), last run, last error,
// cursor and next scheduled run.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { getSyncStatus, type SourceStatus } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

export type SyncStatusResponse = { sources: SourceStatus[] };

const instant = z.string().openapi({ format: "date-time" });
const sourceStatusSchema = z.object({
  source: z.enum(["amplitude", "quickbooks", "stripe"]),
  connected: z.boolean().openapi({ description: "Credentials are stored (also while they need reconnecting)" }),
  connection: z.enum(["connected", "needs_reconnect", "not_connected"]).openapi({
    description:
      "needs_reconnect: the provider refused Reckon's grant; the source is not synced (its data stays as last synced) " +
      "until an admin connects it again with PUT /v1/connections/{source}",
  }),
  action: z
    .string()
    .nullable()
    .openapi({ description: "What a person must do for the source to sync again; null when nothing is needed" }),
  lastRun: z
    .object({
      id: z.string(),
      mode: z.string(),
      status: z.string(),
      counts: z.record(z.string(), z.number()),
      errors: z.array(z.object({ kind: z.string(), message: z.string() })),
      startedAt: instant,
      finishedAt: instant.nullable(),
    })
    .nullable(),
  cursorUpdatedAt: instant.nullable(),
  lastError: z.object({ runId: z.string(), at: instant, kind: z.string(), message: z.string() }).nullable(),
  nextRunAt: instant.nullable(),
});

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/sync/status",
  summary: "Sync state per source",
  responses: {
    200: {
      description: "Per-source sync state",
      content: { "application/json": { schema: z.object({ sources: z.array(sourceStatusSchema) }) } },
    },
  },
});

export function registerSyncStatus(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = actingContext(c);
    const body: SyncStatusResponse = { sources: await getSyncStatus({ ctx, jobs: c.var.deps.jobs }) };
    return c.json(body, 200);
  });
}
