// GET /v1/me: who the caller is, their role and what the permission table lets them do.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { can, permissions } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

const meSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(["admin", "finance", "account_manager", "viewer"]),
  tenantId: z.string(),
  via: z.string(),
  /** Every permission in the table with whether this user has it. */
  permissions: z.record(z.string(), z.boolean()),
  /** Account managers see their own accounts only. */
  ownAccountsOnly: z.boolean(),
});
export type MeResponse = z.infer<typeof meSchema>;

const route = guardedRoute("signed_in", {
  method: "get",
  path: "/v1/me",
  summary: "The signed-in caller",
  responses: { 200: { description: "The caller", content: { "application/json": { schema: meSchema } } } },
});

export function registerMe(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, (c) => {
    const ctx = actingContext(c);
    const actor = ctx.actor;
    if (actor.kind !== "user") throw new Error("a signed-in route acting as the system");
    const body: MeResponse = {
      userId: actor.userId,
      name: actor.name,
      email: actor.email,
      role: actor.role,
      tenantId: ctx.tenant.tenantId,
      via: actor.via,
      permissions: Object.fromEntries(permissions.map((p) => [p, can(actor, p)])),
      ownAccountsOnly: actor.role === "account_manager",
    };
    return c.json(body, 200);
  });
}
