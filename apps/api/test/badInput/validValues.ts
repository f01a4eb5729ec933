// Plausibly valid values for a schema: the well-formed rest of a request whose one malformed part is under test.
import {
  type OpenApiDocument,
  resolveSchema,
  type Schema,
  type SchemaObject,
  schemaTypes,
} from "../../src/docs/openapi";
import { type Random, randomUuid } from "./random";
import { violates } from "./schemaCheck";

function validString(document: OpenApiDocument, schema: SchemaObject, random: Random): string {
  switch (schema.format) {
    case "uuid":
      return randomUuid(random);
    case "date":
      return "2026-01-15";
    case "date-time":
      return "2026-01-15T12:00:00Z";
    case "email":
      return "someone@example.com";
    case "uri":
    case "url":
      return "https://example.com/";
  }
  const fits = (text: string) => !violates(document, schema, text);
  const length = Math.max(schema.minLength ?? 0, 1);
  const plain = "example".padEnd(length, "x").slice(0, schema.maxLength ?? Number.POSITIVE_INFINITY);
  if (fits(plain)) return plain;
  // A pattern: try common shapes, then the words inside the pattern itself (`^-?(name|status)$` yields "name").
  const words = schema.pattern?.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const candidates = ["2026-01-15", "2026-01-15T12:00:00Z", randomUuid(random), "a", "A", "1", "USD", "abc-123"];
  return [...candidates, ...words].find(fits) ?? plain;
}

function validNumber(schema: SchemaObject, integer: boolean): number {
  const low =
    typeof schema.exclusiveMinimum === "number"
      ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
      : schema.minimum !== undefined
        ? schema.minimum + (schema.exclusiveMinimum === true ? 1 : 0)
        : undefined;
  const high =
    typeof schema.exclusiveMaximum === "number"
      ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
      : schema.maximum !== undefined
        ? schema.maximum - (schema.exclusiveMaximum === true ? 1 : 0)
        : undefined;
  let value = low ?? (high !== undefined && high < 1 ? high : 1);
  if (schema.multipleOf && Number.isInteger(schema.multipleOf))
    value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return integer ? Math.ceil(value) : value;
}

/** A value the schema accepts as far as this can tell; objects carry only their required fields. */
export function validValue(document: OpenApiDocument, schema: Schema | undefined, random: Random, depth = 0): unknown {
  const resolved = resolveSchema(document, schema);
  if (resolved === true) return "example";
  if (resolved === false || depth > 12) return null;
  const accepts = (value: unknown) => value !== undefined && !violates(document, resolved, value);
  if ("const" in resolved) return resolved.const;
  if (resolved.enum?.length) return resolved.enum[0];
  for (const given of [resolved.default, resolved.example, ...(resolved.examples ?? [])]) {
    if (accepts(given)) return given;
  }
  const variants = resolved.anyOf ?? resolved.oneOf;
  if (variants?.length) {
    const options = variants.map((variant) => validValue(document, variant, random, depth + 1));
    return options.find(accepts) ?? options[0];
  }
  if (resolved.allOf?.length) {
    const parts = resolved.allOf.map((part) => validValue(document, part, random, depth + 1));
    const objects = parts.filter((part): part is Record<string, unknown> => typeof part === "object" && part !== null);
    return objects.length === parts.length ? Object.assign({}, ...objects) : parts[0];
  }
  const types = schemaTypes(resolved);
  const type =
    types.find((t) => t !== "null") ??
    (types.includes("null") ? "null" : resolved.properties ? "object" : resolved.items ? "array" : "string");
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return true;
    case "integer":
    case "number":
      return validNumber(resolved, type === "integer");
    case "array": {
      const prefix = (resolved.prefixItems ?? []).map((item) => validValue(document, item, random, depth + 1));
      // One item even when none are required, so the items' own fields have something to be malformed in.
      const count = Math.max(resolved.minItems ?? 0, resolved.maxItems === 0 ? 0 : 1) - prefix.length;
      const rest = Array.from({ length: Math.max(count, 0) }, () =>
        validValue(document, resolved.items, random, depth + 1),
      );
      return [...prefix, ...rest];
    }
    case "object": {
      const value: Record<string, unknown> = {};
      for (const name of resolved.required ?? []) {
        value[name] = validValue(document, resolved.properties?.[name], random, depth + 1);
      }
      return value;
    }
    default:
      return validString(document, resolved, random);
  }
}

/** A valid value written as a parameter's text (arrays as their first item: the exploded form repeats the key). */
export function validParameterText(document: OpenApiDocument, schema: Schema | undefined, random: Random): string {
  const value = validValue(document, schema, random);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : JSON.stringify(first ?? "example");
}
