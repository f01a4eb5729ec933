// Decides whether a value is certainly invalid for a JSON Schema, so a malformed case is only promised a 4xx when it is.
import {
  type OpenApiDocument,
  resolveSchema,
  type Schema,
  type SchemaObject,
  schemaTypes,
} from "../../src/docs/openapi";

/*
 * Conservative on purpose: "true" means every conforming validator must refuse the value; anything this checker does
 * not understand (multipleOf on fractions, unknown formats, `not`, patternProperties) counts as possibly valid, which
 * only weakens a case's promise from "4xx" to "not 5xx", never makes it wrong.
 */

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    // 1e309 is an integer in JSON's grammar even though JavaScript reads it as Infinity.
    case "integer":
      return typeof value === "number" && (Number.isInteger(value) || !Number.isFinite(value));
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    default:
      return true;
  }
}

export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const dateTimeShape = /^(\d{4}-\d{2}-\d{2})[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** Formats whose violations are unambiguous; others are not checked. */
function violatesFormat(format: string, text: string): boolean {
  switch (format) {
    case "uuid":
      return !uuidShape.test(text);
    case "date":
      return !isCalendarDate(text);
    case "date-time": {
      const match = dateTimeShape.exec(text);
      return !match || !isCalendarDate(match[1] ?? "");
    }
    case "email":
      return !text.includes("@");
    default:
      return false;
  }
}

const compiled = new Map<string, RegExp[]>();

/** A pattern compiled both with and without the `u` flag (zod uses neither consistently); bad patterns check nothing. */
function patterns(source: string): RegExp[] {
  let found = compiled.get(source);
  if (!found) {
    found = [];
    for (const flags of ["u", ""]) {
      try {
        found.push(new RegExp(source, flags));
      } catch {
        // Not an ECMAScript pattern under these flags: leave it out.
      }
    }
    compiled.set(source, found);
  }
  return found;
}

function violatesString(schema: SchemaObject, text: string): boolean {
  // Code units (what zod counts) are never fewer than code points (what JSON Schema counts): test each bound on the
  // measure that makes the verdict hold under both.
  if (schema.minLength !== undefined && text.length < schema.minLength) return true;
  if (schema.maxLength !== undefined && [...text].length > schema.maxLength) return true;
  if (schema.pattern) {
    const regexes = patterns(schema.pattern);
    if (regexes.length > 0 && regexes.every((regex) => !regex.test(text))) return true;
  }
  return schema.format !== undefined && violatesFormat(schema.format, text);
}

function violatesNumber(schema: SchemaObject, n: number): boolean {
  if (schema.minimum !== undefined && n < schema.minimum) return true;
  if (schema.maximum !== undefined && n > schema.maximum) return true;
  const low = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : undefined;
  const high = typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum : undefined;
  if (low !== undefined && n <= low) return true;
  if (high !== undefined && n >= high) return true;
  if (schema.exclusiveMinimum === true && schema.minimum !== undefined && n <= schema.minimum) return true;
  if (schema.exclusiveMaximum === true && schema.maximum !== undefined && n >= schema.maximum) return true;
  // Only whole-number steps are checked: fractional ones run into floating-point error.
  if (schema.multipleOf && Number.isInteger(schema.multipleOf) && Number.isSafeInteger(n)) {
    return n % schema.multipleOf !== 0;
  }
  return false;
}

function violatesArray(document: OpenApiDocument, schema: SchemaObject, items: unknown[], depth: number): boolean {
  if (schema.minItems !== undefined && items.length < schema.minItems) return true;
  if (schema.maxItems !== undefined && items.length > schema.maxItems) return true;
  const prefix = schema.prefixItems ?? [];
  return items.some((item, index) =>
    index < prefix.length
      ? violates(document, prefix[index], item, depth + 1)
      : schema.items !== undefined && violates(document, schema.items, item, depth + 1),
  );
}

function violatesObject(
  document: OpenApiDocument,
  schema: SchemaObject & { patternProperties?: unknown },
  value: Record<string, unknown>,
  depth: number,
): boolean {
  const keys = Object.keys(value);
  if (schema.required?.some((name) => !Object.hasOwn(value, name))) return true;
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) return true;
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) return true;
  const properties = schema.properties ?? {};
  for (const key of keys) {
    if (Object.hasOwn(properties, key)) {
      if (violates(document, properties[key], value[key], depth + 1)) return true;
    } else if (schema.additionalProperties !== undefined && !schema.patternProperties) {
      if (violates(document, schema.additionalProperties, value[key], depth + 1)) return true;
    }
  }
  return false;
}

/** True only when the value certainly fails the schema. */
export function violates(document: OpenApiDocument, schema: Schema | undefined, value: unknown, depth = 0): boolean {
  // Past this depth we stop looking rather than overflow the stack on deliberately deep junk.
  if (depth > 64) return false;
  const resolved = resolveSchema(document, schema);
  if (typeof resolved === "boolean") return !resolved;
  if (resolved.allOf?.some((part) => violates(document, part, value, depth + 1))) return true;
  if (resolved.anyOf?.every((variant) => violates(document, variant, value, depth + 1))) return true;
  // oneOf also fails when two variants match; that cannot be decided conservatively, so only "none match" counts.
  if (resolved.oneOf?.every((variant) => violates(document, variant, value, depth + 1))) return true;
  if ("const" in resolved && !deepEqual(resolved.const, value)) return true;
  if (resolved.enum && !resolved.enum.some((option) => deepEqual(option, value))) return true;
  const types = schemaTypes(resolved);
  if (types.length > 0 && !types.some((type) => hasType(value, type))) return true;
  if (typeof value === "string") return violatesString(resolved, value);
  if (typeof value === "number") return violatesNumber(resolved, value);
  if (Array.isArray(value)) return violatesArray(document, resolved, value, depth);
  if (isPlainObject(value)) return violatesObject(document, resolved, value, depth);
  return false;
}

const jsonNumber = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const none = Symbol("no such reading");

/** The ways a server may read parameter text: as the string itself, a number, a boolean or null. */
const readings: Array<(raw: string) => unknown> = [
  (raw) => raw,
  (raw) => (jsonNumber.test(raw) ? Number(raw) : none),
  (raw) => (raw === "true" ? true : raw === "false" ? false : none),
  (raw) => (raw === "null" ? null : none),
];

/**
 * Whether a parameter's raw value(s) certainly fail its schema. A parameter arrives as text, so it fails only if every
 * reading of that text fails (`"12"` may be the string or the number). Several values are the exploded array form;
 * one value may also be an array of one.
 */
export function parameterViolates(document: OpenApiDocument, schema: Schema | undefined, raw: string | string[]) {
  const values = Array.isArray(raw) ? raw : [raw];
  const candidates: unknown[] = [];
  for (const read of readings) {
    const typed = values.map(read);
    if (typed.some((value) => value === none)) continue;
    candidates.push(typed);
    if (!Array.isArray(raw)) candidates.push(typed[0]);
  }
  return candidates.every((candidate) => violates(document, schema, candidate));
}
