// GET /v1/connections (admin): each source's connection status and non-secret settings; credentials never appear.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { type ConnectionInfo, listConnections } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

export const connectionSchema = z.object({
  source: z.enum(["amplitude", "quickbooks", "stripe"]),
  status: z.enum(["connected", "needs_reconnect", "not_connected"]),
  settings: z
    .record(z.string(), z.string())
    .nullable()
    .openapi({ description: "Non-secret settings (base URLs, realm id); credentials are write-only" }),
  updatedAt: z.string().nullable(),
});
const responseSchema = z.object({ connections: z.array(connectionSchema) });
export type ConnectionsResponse = { connections: ConnectionInfo[] };

const route = guardedRoute("settings.manage", {
  method: "get",
  path: "/v1/connections",
  summary: "Source connections (Stripe, QuickBooks, Amplitude)",
  responses: {
    200: { description: "One entry per source", content: { "application/json": { schema: responseSchema } } },
  },
});

export function registerConnections(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body: ConnectionsResponse = { connections: await listConnections({ ctx: actingContext(c) }) };
    return c.json(body, 200);
  });
}
