// GET /v1/crm/connections and PUT /v1/crm/connections/{provider} (admin): the HubSpot portal and Salesforce org this
// workspace connected, for the cards and for write-back.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { type CrmConnectionInfo, connectCrm, crmProviderInput, listCrmConnections } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const connectionSchema = z
  .object({
    provider: z.enum(["hubspot", "salesforce"]),
    externalId: z.string().openapi({ description: "The HubSpot portal id or the Salesforce org id (18 characters)" }),
    settings: z.record(z.string(), z.string()),
    writeBack: z.boolean().openapi({ description: "Write-back credentials are stored" }),
    status: z.enum(["connected", "needs_reconnect"]),
    updatedAt: z.string(),
    cardToken: z
      .string()
      .nullable()
      .openapi({
        description:
          "Salesforce: the token for the Reckon External Credential, shown only when issued (first connection or " +
          "rotateCardToken); stored hashed, so keep it now.",
      }),
  })
  .openapi("CrmConnection");
export type CrmConnectionResponse = CrmConnectionInfo;

const listRoute = guardedRoute("settings.manage", {
  method: "get",
  path: "/v1/crm/connections",
  summary: "Connected CRMs",
  responses: {
    200: {
      description: "The connections, without credentials",
      content: { "application/json": { schema: z.object({ connections: z.array(connectionSchema) }) } },
    },
  },
});

const putRoute = guardedRoute("settings.manage", {
  method: "put",
  path: "/v1/crm/connections/{provider}",
  summary: "Connect a HubSpot portal or a Salesforce org",
  description:
    "hubspot: { portalId, settings?: { baseUrl? }, secrets?: { accessToken } }. salesforce: { orgId, settings?: " +
    "{ loginUrl?, apiVersion? }, secrets?: { clientId, clientSecret }, rotateCardToken? }. `secrets` are the " +
    "write-back credentials (sealed at rest, never returned); without them the cards work and nothing is written " +
    "back. A portal or org another workspace connected is refused with 409.",
  request: {
    params: crmProviderInput,
    body: { content: { "application/json": { schema: z.record(z.string(), z.unknown()) } }, required: true },
  },
  responses: {
    200: { description: "Connected", content: { "application/json": { schema: connectionSchema } } },
    400: { description: "Settings or credentials the CRM does not take" },
    409: { description: "Another workspace connected this portal or org" },
  },
});

export function registerCrmConnections(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) =>
    c.json({ connections: await listCrmConnections({ ctx: actingContext(c) }) }, 200),
  );
  app.openapi(putRoute, async (c) => {
    const { provider } = c.req.valid("param");
    const answer = await connectCrm({ ctx: actingContext(c), provider, input: c.req.valid("json") });
    if (!answer.ok) {
      throw new ApiError(
        "conflict",
        `Another Reckon workspace has connected this ${provider === "hubspot" ? "HubSpot portal" : "Salesforce org"}.`,
      );
    }
    const body: CrmConnectionResponse = answer.connection;
    return c.json(body, 200);
  });
}
