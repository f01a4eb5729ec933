// GET /v1/flags: the workspace's flags newest first, by status (finance's queue: ?status=open), paged by cursor;
// account managers see their own accounts' flags only.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionSurfaces, type FlagPage, flagReasons, flagStatuses, listFlags, listFlagsQuery } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

const instant = z.string().openapi({ format: "date-time" });
const person = z.object({ id: z.string(), name: z.string() }).nullable();
export const moneySchema = z.object({ minor: z.string(), currency: z.string() });

export const flagSchema = z.object({
  id: z.string(),
  account: z.object({ id: z.string(), name: z.string() }),
  reason: z.enum(flagReasons).openapi({ description: "A discrepancy kind, or other" }),
  note: z.string().nullable(),
  amount: moneySchema.nullable(),
  status: z.enum(flagStatuses),
  raisedBy: person,
  raisedVia: z.enum(actionSurfaces),
  createdAt: instant,
  resolvedBy: person,
  resolvedAt: instant.nullable(),
  resolution: z.string().nullable(),
  slackThread: z
    .object({ channelId: z.string(), ts: z.string() })
    .nullable()
    .openapi({ description: "The finance-channel thread the Slack bot posted the flag in" }),
});
export const flagPageSchema = z.object({ flags: z.array(flagSchema), nextCursor: z.string().nullable() });
export type FlagsResponse = FlagPage;

const route = guardedRoute("accounts.read", {
  method: "get",
  path: "/v1/flags",
  summary: "Flags, newest first",
  request: { query: listFlagsQuery },
  responses: {
    200: { description: "One page of flags", content: { "application/json": { schema: flagPageSchema } } },
    400: { description: "Invalid filter or cursor" },
  },
});

export function registerFlags(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const page: FlagsResponse | null = await listFlags({ ctx: actingContext(c), input: c.req.valid("query") });
    return c.json(page ?? { flags: [], nextCursor: null }, 200);
  });
}
