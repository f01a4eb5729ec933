// GET /v1/audit: the append-only audit log, newest first, filtered and paged (admin, finance, viewer).
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { listAudit, listAuditInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

const recordSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({
    kind: z.enum(["user", "system"]),
    userId: z.string().nullable(),
    name: z.string().nullable(),
    via: z.string(),
  }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
const pageSchema = z.object({ records: z.array(recordSchema), nextCursor: z.string().nullable() });
export type AuditPageResponse = z.infer<typeof pageSchema>;

const route = guardedRoute("audit.read", {
  method: "get",
  path: "/v1/audit",
  summary: "Audit log: sign-ins, exports, actions, approvals, settings changes and token use",
  request: { query: listAuditInput },
  responses: {
    200: { description: "One page, newest first", content: { "application/json": { schema: pageSchema } } },
    400: { description: "Invalid filter or cursor" },
  },
});

export function registerAudit(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const page: AuditPageResponse = await listAudit({ ctx: actingContext(c), input: c.req.valid("query") });
    return c.json(page, 200);
  });
}
