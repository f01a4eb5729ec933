// GET /v1/links/suggestions (admin): suggested account links to confirm, and source records no account links yet.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { type LinkSuggestions, linkSources, listLinkSuggestions, listLinkSuggestionsInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";

const accountRef = z.object({ id: z.string(), name: z.string() });
const responseSchema = z.object({
  suggested: z.array(
    z.object({
      account: accountRef,
      source: z.enum(linkSources),
      sourceId: z.string(),
      sourceName: z.string().nullable(),
    }),
  ),
  unlinked: z.array(
    z.object({
      source: z.enum(linkSources),
      sourceId: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      suggestedAccount: accountRef.nullable(),
    }),
  ),
  counts: z.object({ suggested: z.number().int(), unlinked: z.number().int() }),
});
export type LinkSuggestionsResponse = LinkSuggestions;

const route = guardedRoute("settings.manage", {
  method: "get",
  path: "/v1/links/suggestions",
  summary: "Account links waiting for confirmation",
  description:
    "`suggested`: links the sync made from a matching name or email domain, to confirm with POST /v1/links/confirm. " +
    "`unlinked`: Stripe and QuickBooks customers and Amplitude groups no account links, each with the one account " +
    "it resembles when exactly one does. Each list holds at most `limit` entries; `counts` has the totals.",
  request: { query: listLinkSuggestionsInput },
  responses: {
    200: { description: "Suggestions", content: { "application/json": { schema: responseSchema } } },
    400: { description: "Invalid limit" },
  },
});

export function registerLinksSuggestions(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body: LinkSuggestionsResponse = await listLinkSuggestions({
      ctx: actingContext(c),
      input: c.req.valid("query"),
    });
    return c.json(body, 200);
  });
}
