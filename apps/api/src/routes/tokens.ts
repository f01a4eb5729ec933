// /v1/tokens: the caller's API tokens (an admin sees the tenant's): list, create (the secret is shown once), revoke.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { createApiToken, createApiTokenInput, listApiTokens, revokeApiToken, tokenIdInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  user: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
const createdSchema = z.object({ id: z.string(), name: z.string(), prefix: z.string(), token: z.string() });
export type CreatedTokenResponse = z.infer<typeof createdSchema>;

const list = guardedRoute("signed_in", {
  method: "get",
  path: "/v1/tokens",
  summary: "API tokens: the caller's own, or the whole tenant's for an admin",
  responses: {
    200: {
      description: "Tokens (never their secrets)",
      content: { "application/json": { schema: z.object({ tokens: z.array(tokenSchema) }) } },
    },
  },
});

const create = guardedRoute("signed_in", {
  method: "post",
  path: "/v1/tokens",
  summary: "Create an API token acting as the caller",
  description: "The token is in this answer only; Reckon keeps its SHA-256 hash.",
  request: { body: { content: { "application/json": { schema: createApiTokenInput } }, required: true } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: createdSchema } } },
    400: { description: "Invalid body" },
  },
});

const revoke = guardedRoute("signed_in", {
  method: "delete",
  path: "/v1/tokens/{tokenId}",
  summary: "Revoke an API token",
  request: { params: tokenIdInput },
  responses: {
    204: { description: "Revoked (or already revoked)" },
    400: { description: "Not a token id" },
    404: { description: "No such token visible to the caller" },
  },
});

export function registerTokens(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => c.json({ tokens: await listApiTokens({ ctx: actingContext(c) }) }, 200));
  app.openapi(create, async (c) => {
    const created: CreatedTokenResponse = await createApiToken({ ctx: actingContext(c), input: c.req.valid("json") });
    return c.json(created, 201);
  });
  app.openapi(revoke, async (c) => {
    const revoked = await revokeApiToken({ ctx: actingContext(c), input: c.req.valid("param") });
    if (!revoked) throw new ApiError("not_found", "No token with that id among yours. List them with GET /v1/tokens.");
    return c.body(null, 204);
  });
}
