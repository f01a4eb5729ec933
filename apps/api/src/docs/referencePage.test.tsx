// The reference page lists every operation of a real zod-openapi document with its inputs, and escapes what it shows.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { registerApiReference } from "./index";
import { ApiReferencePage } from "./referencePage";

const Part = z
  .object({
    sku: z.string().min(1).openapi({ description: "Stock keeping unit" }),
    quantity: z.number().int().min(1).max(999),
  })
  .openapi("Part");

const listWidgets = createRoute({
  method: "get",
  path: "/v1/widgets",
  tags: ["widgets"],
  summary: "List widgets",
  description: "Pages of widgets. <script>alert('owned')</script> is not run.",
  "x-reckon-permission": "widgets:read",
  request: {
    query: z.object({
      status: z.enum(["draft", "live", "retired"]).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(500).optional().openapi({ description: "From the previous page's nextCursor" }),
    }),
  },
  responses: { 200: { description: "One page", content: { "application/json": { schema: z.object({}) } } } },
});

const getGadget = createRoute({
  method: "get",
  path: "/v1/gadgets/{gadgetId}",
  "x-reckon-permission": "public",
  request: { params: z.object({ gadgetId: z.uuid() }) },
  responses: { 200: { description: "The gadget" }, 404: { description: "No such gadget" } },
});

const createWidget = createRoute({
  method: "post",
  path: "/v1/widgets",
  tags: ["widgets"],
  "x-reckon-permission": "widgets:write",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              name: z.string().min(1).max(100),
              kind: z.enum(["gear", "spring"]),
              parts: z.array(Part).max(20),
              owner: z.object({ id: z.uuid(), note: z.string().nullable() }).optional(),
              size: z.union([z.number(), z.literal("auto")]).optional(),
            })
            .strict(),
        },
      },
    },
  },
  responses: { 201: { description: "Created" }, 400: { description: "Invalid body" } },
});

function sampleApp() {
  const app = new OpenAPIHono();
  app.openapi(listWidgets, (c) => c.json({}, 200));
  app.openapi(getGadget, (c) => c.json({}, 200));
  app.openapi(createWidget, (c) => c.json({}, 201));
  const documentOf = () =>
    app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: { title: "Widget API", version: "1", description: "Widgets & gadgets. Money is `{ minor, currency }`." },
    });
  return { app, documentOf };
}

/** The HTML of one operation's section, found by its heading's method badge and path. */
function section(html: string, method: string, path: string): string {
  const sections = html.split('<section class="op"').slice(1);
  const found = sections.find((s) => s.includes(`>${method}</span><code>${path}</code>`));
  if (!found) throw new Error(`no section for ${method} ${path}`);
  return found.slice(0, found.indexOf("</section>"));
}

describe("ApiReferencePage", () => {
  const { documentOf } = sampleApp();
  const html = String(<ApiReferencePage document={documentOf()} />);

  it("lists every operation in the contents and as a section", () => {
    for (const [method, path] of [
      ["GET", "/v1/widgets"],
      ["POST", "/v1/widgets"],
      ["GET", "/v1/gadgets/{gadgetId}"],
    ] as const) {
      expect(section(html, method, path)).toContain(`>${method}</span>`);
    }
    const toc = html.slice(html.indexOf('<nav class="toc"'), html.indexOf("</nav>"));
    expect(toc.match(/href="#op-/g)).toHaveLength(3);
    // Tagged operations under their tag, the untagged one under its first path segment past /v1.
    expect(toc).toContain('href="#group-widgets"');
    expect(toc).toContain('href="#group-gadgets"');
    for (const anchor of toc.match(/#op-[a-z0-9-]+/g) ?? []) expect(html).toContain(`id="${anchor.slice(1)}"`);
  });

  it("shows each parameter with where it goes, its type, required marker and constraints", () => {
    const list = section(html, "GET", "/v1/widgets");
    for (const name of ["status", "limit", "cursor"]) expect(list).toContain(`<code>${name}</code>`);
    for (const value of ["draft", "live", "retired"]) expect(list).toContain(`<code>${value}</code>`);
    expect(list).toContain("≥ 1");
    expect(list).toContain("≤ 200");
    expect(list).toContain("default <code>50</code>");
    expect(list).toContain("From the previous page&#39;s nextCursor");
    expect(list).toContain("Requires permission <code>widgets:read</code>");
    const gadget = section(html, "GET", "/v1/gadgets/{gadgetId}");
    expect(gadget).toMatch(/<code>gadgetId<\/code> <span class="req">required<\/span>/);
    expect(gadget).toContain("string (uuid)");
    expect(gadget).toContain("<td>path</td>");
    expect(gadget).toContain("No such gadget");
    expect(gadget).not.toContain("Requires permission");
    expect(gadget).toContain("Public: no credentials needed.");
  });

  it("renders the request body as nested fields through $ref, arrays, unions, enums and nullable types", () => {
    const create = section(html, "POST", "/v1/widgets");
    expect(create).toContain("Requires permission <code>widgets:write</code>");
    expect(create).toMatch(
      /<code class="name">name<\/code> <span class="type">string<\/span> <span class="req">required/,
    );
    expect(create).toContain("1–100 characters");
    expect(create).toContain("<code>gear</code>, <code>spring</code>");
    expect(create).toContain("array of Part");
    // The referenced component's own fields are listed under the array.
    expect(create).toMatch(/<code class="name">sku<\/code>.*Stock keeping unit/s);
    expect(create).toMatch(
      /<code class="name">quantity<\/code> <span class="type">integer<\/span> <span class="req">required/,
    );
    expect(create).toMatch(
      /<code class="name">owner<\/code> <span class="type">object<\/span> <span class="opt">optional/,
    );
    expect(create).toContain('<span class="type">string | null</span>');
    expect(create).toContain('<span class="type">number | &quot;auto&quot;</span>');
    expect(create).toContain("No other fields are accepted.");
    expect(create).toContain("<code>201</code>");
  });

  it("escapes text from the document and loads nothing from elsewhere", () => {
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;");
    expect(html).toContain("Widgets &amp; gadgets. Money is <code>{ minor, currency }</code>.");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("explains authentication, problem documents and rate limits", () => {
    expect(html).toContain("Authorization: Bearer &lt;token&gt;");
    expect(html).toContain("application/problem+json");
    expect(html).toContain("requestId");
    expect(html).toContain("<code>429</code> with a <code>Retry-After</code>");
  });
});

describe("registerApiReference", () => {
  it("serves the page at GET /docs/api without adding it to the OpenAPI document", async () => {
    const { app, documentOf } = sampleApp();
    registerApiReference(app, documentOf);
    const response = await app.request("/docs/api");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const body = await response.text();
    expect(body.startsWith("<!doctype html>")).toBe(true);
    expect(body).toContain("<title>Widget API reference</title>");
    expect(Object.keys(documentOf().paths ?? {})).not.toContain("/docs/api");
  });
});
