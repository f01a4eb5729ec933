// GET /v1/openapi.json: the OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app";

export function registerOpenApi(app: OpenAPIHono<AppEnv>) {
  app.doc31("/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Reckon API",
      version: "1",
      description:
        "Usage (Amplitude), invoices (QuickBooks Online) and payments (Stripe), reconciled. Money is { minor, currency }: integer minor units as a decimal string plus an ISO 4217 code. Errors are application/problem+json.",
    },
  });
}
