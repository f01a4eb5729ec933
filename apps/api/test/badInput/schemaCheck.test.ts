// The checker behind every "4xx" promise: it says "invalid" only when every conforming validator would agree.
import { describe, expect, it } from "vitest";
import type { OpenApiDocument, Schema } from "../../src/docs/openapi";
import { parameterViolates, violates } from "./schemaCheck";

const document: OpenApiDocument = {
  components: { schemas: { Id: { type: "string", format: "uuid" } } },
};
const bad = (schema: Schema, value: unknown) => violates(document, schema, value);

describe("violates", () => {
  it("follows $ref, type arrays and unions", () => {
    expect(bad({ $ref: "#/components/schemas/Id" }, "6b84b10f-677d-4a23-b0f1-8feb9cef90d4")).toBe(false);
    expect(bad({ $ref: "#/components/schemas/Id" }, "6b84b10f")).toBe(true);
    expect(bad({ type: ["string", "null"] }, null)).toBe(false);
    expect(bad({ type: ["string", "null"] }, 1)).toBe(true);
    expect(bad({ anyOf: [{ type: "number" }, { type: "string", enum: ["auto"] }] }, "auto")).toBe(false);
    expect(bad({ anyOf: [{ type: "number" }, { type: "string", enum: ["auto"] }] }, "manual")).toBe(true);
    // A dangling reference could be anything: never a reason to promise a refusal.
    expect(bad({ $ref: "#/components/schemas/Missing" }, 42)).toBe(false);
  });

  it("counts length both ways so emoji never make a verdict wrong", () => {
    // Two code points, four UTF-16 code units: too long for neither reading of maxLength 2, too short for neither of 3.
    expect(bad({ type: "string", maxLength: 2 }, "🙂🙂")).toBe(false);
    expect(bad({ type: "string", minLength: 3 }, "🙂🙂")).toBe(false);
    expect(bad({ type: "string", maxLength: 1 }, "🙂🙂")).toBe(true);
  });

  it("reads formats and numbers strictly only where the answer is certain", () => {
    expect(bad({ type: "string", format: "date" }, "2026-02-30")).toBe(true);
    expect(bad({ type: "string", format: "date" }, "2024-02-29")).toBe(false);
    expect(bad({ type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, "2026-02-30")).toBe(false);
    expect(bad({ type: "string", format: "hostname" }, "???")).toBe(false);
    expect(bad({ type: "integer" }, Number.POSITIVE_INFINITY)).toBe(false);
    expect(bad({ type: "integer", maximum: 100 }, Number.POSITIVE_INFINITY)).toBe(true);
    expect(bad({ type: "integer" }, 1.5)).toBe(true);
    expect(bad({ type: "number", exclusiveMinimum: 0 }, 0)).toBe(true);
  });

  it("checks objects: required, strictness and nested fields", () => {
    const strict: Schema = {
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
    };
    expect(bad(strict, { a: "x" })).toBe(false);
    expect(bad(strict, {})).toBe(true);
    expect(bad(strict, { a: "x", b: 1 })).toBe(true);
    expect(bad(strict, JSON.parse('{"a":"x","__proto__":{}}'))).toBe(true);
    expect(bad({ ...(strict as object), additionalProperties: undefined }, { a: "x", b: 1 })).toBe(false);
  });
});

describe("parameterViolates", () => {
  it("refuses only text no reading of which fits", () => {
    const limit: Schema = { type: "integer", minimum: 1, maximum: 100 };
    expect(parameterViolates(document, limit, "20")).toBe(false);
    expect(parameterViolates(document, limit, "abc")).toBe(true);
    expect(parameterViolates(document, limit, "1e309")).toBe(true);
    expect(parameterViolates(document, { type: "string" }, "12")).toBe(false);
    expect(parameterViolates(document, { type: "string" }, ["a", "b"])).toBe(true);
    expect(parameterViolates(document, { type: "array", items: { type: "string" } }, ["a", "b"])).toBe(false);
    expect(parameterViolates(document, { type: "array", items: { type: "integer" } }, "7")).toBe(false);
    expect(parameterViolates(document, { type: "boolean" }, "maybe")).toBe(true);
  });
});
