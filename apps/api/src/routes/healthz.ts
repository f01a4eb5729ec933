// GET /healthz: the process is up and the database answers.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app";
import { guardedRoute } from "../auth/guard";

const healthSchema = z.object({ status: z.enum(["ok", "degraded"]), database: z.boolean() });
export type HealthResponse = z.infer<typeof healthSchema>;

const route = guardedRoute("public", {
  method: "get",
  path: "/healthz",
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: healthSchema } } },
    503: { description: "The database does not answer", content: { "application/json": { schema: healthSchema } } },
  },
});

export function registerHealthz(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const database = await c.var.deps.ping().catch(() => false);
    return database
      ? c.json({ status: "ok" as const, database }, 200)
      : c.json({ status: "degraded" as const, database }, 503);
  });
}
