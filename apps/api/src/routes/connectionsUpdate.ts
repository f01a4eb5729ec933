// PUT /v1/connections/{source} (admin): connect a source or replace its settings and credentials.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { type ConnectionInfo, connectionSourceInput, updateConnection, updateConnectionInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { connectionSchema } from "./connections";

export type ConnectionUpdateResponse = ConnectionInfo;

const route = guardedRoute("settings.manage", {
  method: "put",
  path: "/v1/connections/{source}",
  summary: "Connect a source (settings and credentials)",
  description:
    "stripe: settings { host?, port?, protocol? }, secrets { apiKey, webhookSecret? }; webhookSecret (the endpoint's " +
    "whsec_ signing secret) left out keeps the stored one, null removes it (Stripe webhooks are then refused). " +
    "quickbooks: settings { baseUrl, tokenUrl, realmId }, secrets { clientId, clientSecret, refreshToken, accessToken? }. " +
    "amplitude: settings { baseUrl }, secrets { apiKey, secretKey }. " +
    "Credentials are sealed at rest and never returned; the answer holds the settings only.",
  request: {
    params: connectionSourceInput,
    body: { content: { "application/json": { schema: updateConnectionInput } }, required: true },
  },
  responses: {
    200: {
      description: "The connection, without credentials",
      content: { "application/json": { schema: connectionSchema } },
    },
    400: { description: "Unknown source, or settings / secrets the source does not accept" },
  },
});

export function registerConnectionsUpdate(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { source } = c.req.valid("param");
    const body: ConnectionUpdateResponse = await updateConnection({
      ctx: actingContext(c),
      input: { source, ...c.req.valid("json") },
    });
    return c.json(body, 200);
  });
}
