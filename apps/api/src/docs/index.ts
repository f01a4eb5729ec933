// GET /docs/api: the API reference page, rendered from the live OpenAPI document so it cannot drift from the routes.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { ApiReferencePage } from "./referencePage";

// The page has no scripts and no external assets; saying so in the policy keeps it that way if a document
// ever carries something the escaping misses.
const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'";

/**
 * Registers GET /docs/api as a plain route (not itself in the OpenAPI document). `documentOf` is called per request,
 * e.g. `() => app.getOpenAPI31Document({ openapi: "3.1.0", info })`; it is cheap next to rendering.
 */
// biome-ignore lint/suspicious/noExplicitAny: any app env: the page reads nothing from the context.
export function registerApiReference(app: OpenAPIHono<any>, documentOf: () => object) {
  app.get("/docs/api", (c) => {
    c.header("content-security-policy", contentSecurityPolicy);
    return c.html(ApiReferencePage({ document: documentOf() }));
  });
}
