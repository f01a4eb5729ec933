// GET /v1/openapi.json: the OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app";
import { registerApiReference } from "../docs";

export function registerOpenApi(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API token (rk_...), shown once when created (POST /v1/tokens or the web view).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "hubspotSignature", {
    type: "apiKey",
    in: "header",
    name: "X-HubSpot-Signature-v3",
    description:
      "HubSpot cards: hubspot.fetch's v3 signature (with X-HubSpot-Request-Timestamp) over method, URI, body and " +
      "timestamp with the app's client secret; the request acts as the user mapped to portalId:userId.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "salesforceCardToken", {
    type: "http",
    scheme: "bearer",
    description:
      "Salesforce cards: the token PUT /v1/crm/connections/salesforce issued, sent by the org's Named Credential, " +
      "with X-Reckon-Salesforce-Org / -User / -Email; the request acts as the user mapped to orgId:userId.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "reckon_session",
    description: "The web view's session; unsafe methods also need the x-csrf-token header.",
  });
  const config = {
    openapi: "3.1.0",
    info: {
      title: "Reckon API",
      version: "1",
      description:
        "Usage (Amplitude), invoices (QuickBooks Online) and payments (Stripe), reconciled. Money is { minor, currency }: integer minor units as a decimal string plus an ISO 4217 code. Errors are application/problem+json. Every route but /healthz needs a signed-in caller; `x-reckon-permission` on each operation names the permission it needs (admin, finance, account_manager and viewer roles; account managers see their own accounts only). Rate limits per token answer 429 with Retry-After.",
    },
  };
  app.doc31("/v1/openapi.json", config);
  // The readable reference page, rendered from the same document.
  registerApiReference(app, () => app.getOpenAPI31Document(config));
}
