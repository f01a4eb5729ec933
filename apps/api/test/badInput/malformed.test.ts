// The malformed-request generator: every family for every operation, promises a zod twin of the routes keeps, replayable.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type MalformedRequest, malformedRequests } from "./malformed";

const thingId = "6b84b10f-677d-4a23-b0f1-8feb9cef90d4";

/** Hand-built, shaped like what zod 4 emits through @hono/zod-openapi: type arrays, $ref, enum, format, strict objects. */
const document = {
  openapi: "3.1.0",
  info: { title: "Things", version: "1" },
  components: {
    schemas: {
      Part: {
        type: "object",
        properties: { sku: { type: "string", minLength: 1 }, qty: { type: "integer", minimum: 1, maximum: 999 } },
        required: ["sku", "qty"],
        additionalProperties: false,
      },
      NewThing: {
        type: "object",
        properties: {
          name: { type: "string", minLength: 1, maxLength: 100 },
          kind: { type: "string", enum: ["gear", "spring"] },
          parts: { type: "array", items: { $ref: "#/components/schemas/Part" }, maxItems: 20 },
          owner: {
            type: "object",
            properties: { id: { type: "string", format: "uuid" }, note: { type: ["string", "null"] } },
            required: ["id", "note"],
            additionalProperties: false,
          },
          size: { anyOf: [{ type: "number" }, { type: "string", enum: ["auto"] }] },
        },
        required: ["name", "kind", "parts"],
        additionalProperties: false,
      },
    },
  },
  paths: {
    "/healthz": { get: { responses: { 200: { description: "ok" } } } },
    "/v1/things/{thingId}": {
      parameters: [{ name: "thingId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      get: {
        parameters: [
          { name: "status", in: "query", schema: { type: "string", enum: ["draft", "live"] } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          { name: "from", in: "query", schema: { type: "string", format: "date" } },
          { name: "cursor", in: "query", schema: { type: "string", maxLength: 500 } },
          { name: "tags", in: "query", schema: { type: "array", items: { type: "string" } } },
        ],
        responses: { 200: { description: "ok" } },
      },
      patch: {
        requestBody: {
          required: false,
          content: { "application/json": { schema: { type: "object", properties: { note: { type: "string" } } } } },
        },
        responses: { 200: { description: "ok" } },
      },
    },
    "/v1/things": {
      post: {
        operationId: "createThing",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/NewThing" } } },
        },
        responses: { 201: { description: "created" } },
      },
    },
  },
};

// What a route built from these zod schemas would validate: the oracle every "4xx" promise is checked against.
const part = z.object({ sku: z.string().min(1), qty: z.number().int().min(1).max(999) }).strict();
const newThing = z
  .object({
    name: z.string().min(1).max(100),
    kind: z.enum(["gear", "spring"]),
    parts: z.array(part).max(20),
    owner: z.object({ id: z.uuid(), note: z.string().nullable() }).strict().optional(),
    size: z.union([z.number(), z.literal("auto")]).optional(),
  })
  .strict();
const thingQuery = z.object({
  status: z.enum(["draft", "live"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  from: z.iso.date().optional(),
  cursor: z.string().max(500).optional(),
  tags: z.union([z.string(), z.array(z.string())]).optional(),
});

const options = { seed: 7, examples: { thingId }, headers: { Authorization: "Bearer test-token" } };
const cases = malformedRequests(document, options);
const of = (operationId: string) => cases.filter((c) => c.operationId === operationId);
const find = (operationId: string, why: string) => {
  const found = of(operationId).find((c) => c.why.includes(why));
  if (!found) throw new Error(`no case "${why}" for ${operationId}`);
  return found;
};
const bodyText = (c: MalformedRequest) => (typeof c.body === "string" ? c.body : new TextDecoder().decode(c.body));

/** The query as a server reads it: one value as a string, a repeated key as an array. */
function queryOf(c: MalformedRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(c.path.split("?")[1] ?? "")) {
    const seen = out[key];
    out[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

describe("malformedRequests", () => {
  it("gives every operation the families its inputs allow, with both kinds of promise", () => {
    const families = (id: string) => new Set(of(id).map((c) => c.family));
    expect(families("GET /healthz")).toEqual(new Set(["query"]));
    expect(families("GET /v1/things/{thingId}")).toEqual(new Set(["path", "query"]));
    expect(families("PATCH /v1/things/{thingId}")).toEqual(new Set(["path", "query", "body", "encoding"]));
    expect(families("createThing")).toEqual(new Set(["query", "body", "encoding"]));
    for (const id of ["GET /v1/things/{thingId}", "createThing"]) {
      expect(new Set(of(id).map((c) => c.expect))).toEqual(new Set(["4xx", "not-5xx"]));
    }
    for (const c of cases) {
      expect(c.why.startsWith(`${c.operationId}: `)).toBe(true);
      expect(c.headers.authorization).toBe("Bearer test-token");
    }
  });

  it("promises 4xx only for input the route's zod schemas refuse", () => {
    for (const c of of("GET /v1/things/{thingId}").filter((c) => c.expect === "4xx")) {
      if (c.family === "path") {
        const segment = c.path.split("?")[0]?.split("/")[3] ?? "";
        expect(z.uuid().safeParse(decodeURIComponent(segment)).success, c.why).toBe(false);
      } else if (!c.why.includes("forged")) {
        expect(thingQuery.safeParse(queryOf(c)).success, c.why).toBe(false);
      }
    }
    for (const c of of("createThing").filter((c) => c.family === "body" && c.expect === "4xx")) {
      expect(newThing.safeParse(JSON.parse(bodyText(c))).success, c.why).toBe(false);
    }
  });

  it("marks what the document cannot forbid as not-5xx, and forbids what it does", () => {
    expect(find("GET /v1/things/{thingId}", "unknown query key unexpected_param").expect).toBe("not-5xx");
    expect(find("GET /v1/things/{thingId}", "path thingId a well-formed id of nothing").expect).toBe("not-5xx");
    expect(find("GET /v1/things/{thingId}", "query tags given twice").expect).toBe("not-5xx");
    expect(find("GET /v1/things/{thingId}", "query status given twice").expect).toBe("4xx");
    expect(find("GET /v1/things/{thingId}", "query from=a day that does not exist").expect).toBe("4xx");
    expect(find("GET /v1/things/{thingId}", "query limit=1e309").expect).toBe("4xx");
    expect(find("GET /v1/things/{thingId}", "query cursor forged: truncated").expect).toBe("4xx");
    // The patch body is not strict, so an unknown field may be accepted; the create body is.
    expect(find("PATCH /v1/things/{thingId}", "body root has an unknown field").expect).toBe("not-5xx");
    expect(find("createThing", "body root has an unknown field").expect).toBe("4xx");
    expect(find("createThing", "body owner has an unknown field").expect).toBe("4xx");
    expect(find("createThing", "body parts[0].qty is a fraction").expect).toBe("4xx");
    // null is no wrong type for a nullable field, so it is not offered as one.
    expect(of("createThing").some((c) => c.why.includes("body owner.note is null"))).toBe(false);
    expect(find("createThing", "body owner.note is a number").expect).toBe("4xx");
    expect(find("createThing", "body size is a string").expect).toBe("4xx");
    // Optional bodies may be read as absent when unreadable; required ones may not.
    expect(find("PATCH /v1/things/{thingId}", "JSON body sent as text/plain").expect).toBe("not-5xx");
    expect(find("createThing", "JSON body sent as text/plain").expect).toBe("4xx");
  });

  it("fills the parts that are not under test with valid values and the caller's examples", () => {
    for (const c of cases.filter((c) => c.operationId.includes("{thingId}") && c.family !== "path")) {
      expect(c.path.startsWith(`/v1/things/${thingId}`), c.why).toBe(true);
    }
    for (const c of of("createThing").filter((c) => c.family === "query")) {
      expect(c.headers["content-type"]).toBe("application/json");
      expect(newThing.safeParse(JSON.parse(bodyText(c))).success, c.why).toBe(true);
    }
    const patchQuery = of("PATCH /v1/things/{thingId}").filter((c) => c.family === "path");
    for (const c of patchQuery) expect(c.body, "an optional body is left out").toBeUndefined();
  });

  it("percent-encodes every path segment so the bad value arrives intact", () => {
    const template = (c: MalformedRequest) =>
      c.operationId === "createThing" ? "/v1/things" : c.operationId.split(" ")[1];
    for (const c of cases.filter((c) => c.family === "path")) {
      const segments = (c.path.split("?")[0] ?? "").split("/");
      expect(segments).toHaveLength(template(c)?.split("/").length ?? 0);
      for (const segment of segments) expect(segment, c.why).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
    }
    const segment = (why: string) => find("GET /v1/things/{thingId}", why).path.split("?")[0]?.split("/")[3] ?? "";
    expect(segment("path thingId NUL byte")).toBe("abc%00def");
    expect(segment("path thingId path traversal")).toBe("..%2F..%2Fetc%2Fpasswd");
    expect(segment("path thingId SQL-ish")).toBe("%27%20or%201%3D1--");
    expect(decodeURIComponent(segment("path thingId 10,000 characters"))).toHaveLength(10_000);
    expect(decodeURIComponent(segment("path thingId emoji"))).toBe("🙂👩‍👩‍👧");
    expect(find("GET /v1/things/{thingId}", "path thingId empty").path).toBe("/v1/things/");
    for (const c of cases.filter((c) => c.family === "query" && !c.why.includes("malformed percent-encoding"))) {
      for (const pair of (c.path.split("?")[1] ?? "").split("&"))
        expect(() => decodeURIComponent(pair), c.why).not.toThrow();
    }
  });

  it("sends bodies that are what their reason says", () => {
    const body = of("createThing").filter((c) => c.family === "body" || c.family === "encoding");
    for (const c of body) {
      if (c.why.includes("invalid JSON")) expect(() => JSON.parse(bodyText(c)), c.why).toThrow(SyntaxError);
      else if (c.family === "body") expect(() => JSON.parse(bodyText(c)), c.why).not.toThrow();
    }
    expect(bodyText(find("createThing", "body is 2 MB")).length).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    let node = JSON.parse(bodyText(find("createThing", "levels of nested junk"))).deep;
    let depth = 0;
    for (; typeof node === "object"; depth++) node = node.a;
    expect(depth).toBe(5_000);
    expect(find("createThing", "body parts[0].qty is 1e309").body).toMatch(/"qty":1e309/);
    expect(find("createThing", "body kind missing").body).not.toMatch(/"kind"/);
    const plain = find("createThing", "JSON body sent as text/plain");
    expect(plain.headers["content-type"]).toBe("text/plain");
    const bare = find("createThing", "sent as no content type");
    expect(bare.body).toBeInstanceOf(Uint8Array);
    expect(bare.headers["content-type"]).toBeUndefined();
    const badUtf8 = find("createThing", "invalid UTF-8");
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(badUtf8.body as Uint8Array)).toThrow();
    expect(find("createThing", "empty body labelled JSON").body).toBe("");
    expect(find("createThing", "required body missing").body).toBeUndefined();
    expect(find("createThing", "multipart/form-data").headers["content-type"]).toMatch(
      /^multipart\/form-data; boundary=/,
    );
  });

  it("is the same for the same seed, different for another, and samples every family when capped", () => {
    expect(malformedRequests(document, options)).toEqual(cases);
    expect(malformedRequests(document, { ...options, seed: 8 })).not.toEqual(cases);
    const capped = malformedRequests(document, { ...options, perOperation: 6 });
    for (const id of new Set(cases.map((c) => c.operationId))) {
      const kept = capped.filter((c) => c.operationId === id);
      expect(kept.length).toBeLessThanOrEqual(6);
      expect(new Set(kept.map((c) => c.family))).toEqual(new Set(of(id).map((c) => c.family)));
    }
    expect(malformedRequests(document, { ...options, perOperation: 6 })).toEqual(capped);
  });
});
