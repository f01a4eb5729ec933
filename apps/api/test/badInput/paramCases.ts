// Malformed path and query parameters: hostile ids, wrong types and numeric edges, impossible dates, forged cursors.
import { type ParameterObject, resolveSchema, type SchemaObject, schemaTypes } from "../../src/docs/openapi";
import type { CaseDraft, Expectation, OperationPlan } from "./plan";
import { junkString, type Random, randomUuid } from "./random";
import { parameterViolates } from "./schemaCheck";
import { validParameterText } from "./validValues";

interface Candidate {
  value: string;
  label: string;
}

/** Strings that break naive handling of any text: each is sent as one properly percent-encoded value. */
function hostileStrings(random: Random): Candidate[] {
  return [
    { value: "not-a-uuid", label: "not an id" },
    { value: "../../etc/passwd", label: "path traversal" },
    { value: " ", label: "blank (one space)" },
    { value: "a".repeat(10_000), label: "10,000 characters" },
    { value: "🙂👩‍👩‍👧", label: "emoji" },
    { value: "\u202eevil", label: "right-to-left override" },
    { value: "abc\u0000def", label: "NUL byte (%00)" },
    { value: "' or 1=1--", label: "SQL-ish" },
    { value: "%2e%2e%2f", label: "percent-encoded twice" },
    { value: junkString(random), label: "random hostile characters" },
  ];
}

const allows = (schema: SchemaObject, ...types: string[]) => {
  const own = schemaTypes(schema);
  const variants = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  return (
    own.some((t) => types.includes(t)) ||
    variants.some((v) => typeof v === "object" && schemaTypes(v).some((t) => types.includes(t)))
  );
};

function numericEdges(schema: SchemaObject): Candidate[] {
  if (!allows(schema, "number", "integer")) return [];
  const edges: Candidate[] = [
    { value: "abc", label: "text where a number goes" },
    { value: "NaN", label: "NaN" },
    { value: "Infinity", label: "Infinity" },
    { value: "1e309", label: "1e309 (overflows a double)" },
    { value: "-1", label: "negative" },
    { value: "9223372036854775808", label: "2^63 (overflows a bigint column)" },
    { value: "99999999999999999999999999", label: "far beyond any integer column" },
  ];
  if (allows(schema, "integer") && !allows(schema, "number")) edges.push({ value: "1.5", label: "a fraction" });
  return edges;
}

const dateLike = (parameter: ParameterObject, schema: SchemaObject) =>
  schema.format === "date" ||
  schema.format === "date-time" ||
  /\\d\{4\}/.test(schema.pattern ?? "") ||
  /(date|^from$|^to$|since|until|before|after|_at$|At$)/.test(parameter.name);

function typedCandidates(parameter: ParameterObject, schema: SchemaObject, random: Random): Candidate[] {
  const out = numericEdges(schema);
  if (allows(schema, "boolean"))
    out.push({ value: "maybe", label: "not a boolean" }, { value: "2", label: "2 for a boolean" });
  const options = [...(schema.enum ?? []), ...enumOf(schema.items)];
  if (options.length) {
    out.push({ value: "__not_in_enum__", label: `not one of ${options.map(String).join(", ")}` });
    const first = options.find((o): o is string => typeof o === "string");
    if (first && first.toUpperCase() !== first)
      out.push({ value: first.toUpperCase(), label: "an enum value in the wrong case" });
    if (first) out.push({ value: `${first} `, label: "an enum value with a trailing space" });
  }
  if (dateLike(parameter, schema)) {
    out.push(
      { value: "2026-02-30", label: "a day that does not exist" },
      { value: "2026-13-01", label: "a month that does not exist" },
      { value: "not-a-date", label: "not a date" },
      { value: "2026-1-5", label: "an unpadded date" },
    );
  }
  if (schema.format === "uuid")
    out.push({ value: `${randomUuid(random)}x`, label: "a uuid with a trailing character" });
  return out;
}

function enumOf(items: unknown): unknown[] {
  return typeof items === "object" && items !== null && Array.isArray((items as SchemaObject).enum)
    ? ((items as SchemaObject).enum ?? [])
    : [];
}

function verdict(violated: boolean, why: string): { expect: Expectation; why: string } {
  return violated
    ? { expect: "4xx", why }
    : { expect: "not-5xx", why: `${why} (the document allows it: may be accepted)` };
}

/** Bad values for each path parameter; the other path parameters keep their valid values. */
export function pathCases(plan: OperationPlan): CaseDraft[] {
  const out: CaseDraft[] = [];
  for (const parameter of plan.op.parameters.filter((p) => p.in === "path")) {
    const schema = resolveSchema(plan.document, parameter.schema);
    const object = typeof schema === "object" ? schema : {};
    const at = `path ${parameter.name}`;
    // An empty segment leaves a path that no route template matches: a 404 at worst, never a crash.
    out.push({ family: "path", expect: "4xx", why: `${at} empty`, pathValues: { [parameter.name]: "" } });
    const candidates = [...hostileStrings(plan.random), ...typedCandidates(parameter, object, plan.random)];
    if (object.format === "uuid")
      candidates.push({ value: randomUuid(plan.random), label: "a well-formed id of nothing" });
    for (const { value, label } of candidates) {
      const { expect, why } = verdict(parameterViolates(plan.document, parameter.schema, value), `${at} ${label}`);
      out.push({ family: "path", expect, why, pathValues: { [parameter.name]: value } });
    }
  }
  return out;
}

function forgedCursors(plan: OperationPlan, name: string): Array<Candidate & { expect: Expectation }> {
  const example = plan.examples[name];
  const issued =
    example ?? base64url(new TextEncoder().encode(JSON.stringify({ v: "example", id: randomUuid(plan.random) })));
  const out: Array<Candidate & { expect: Expectation }> = [
    { value: base64url(plan.random.bytes(24)), label: "random base64", expect: "4xx" },
    { value: issued.slice(0, Math.floor(issued.length / 2)), label: "truncated", expect: "4xx" },
    { value: `${issued.slice(0, -3)}!!!`, label: "not base64", expect: "4xx" },
    // The first character carries the top bits of the opening byte: a JSON payload no longer starts with "{".
    { value: `${issued.startsWith("A") ? "B" : "A"}${issued.slice(1)}`, label: "tampered first byte", expect: "4xx" },
  ];
  const decoded = example === undefined ? undefined : parseJson(Buffer.from(example, "base64url").toString("utf8"));
  if (decoded && typeof decoded === "object") {
    // Well-formed but rewritten: an unsigned cursor cannot be told from an issued one, so only "no crash" is owed.
    const rewritten = JSON.stringify(decoded, (_, v) =>
      typeof v === "string" ? "' or 1=1--" : typeof v === "number" ? -1 : v,
    );
    out.push({ value: base64url(new TextEncoder().encode(rewritten)), label: "fields rewritten", expect: "not-5xx" });
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

const cursorName = /cursor|page_?token|continuation/i;

/** Bad values for each query parameter, the rest of the query valid; then repeats, unknown keys, broken encoding. */
export function queryCases(plan: OperationPlan): CaseDraft[] {
  const out: CaseDraft[] = [];
  const withValue = (name: string, ...values: string[]): Array<[string, string]> => [
    ...plan.query.filter(([key]) => key !== name),
    ...values.map((value): [string, string] => [name, value]),
  ];
  for (const parameter of plan.op.parameters.filter((p) => p.in === "query")) {
    const schema = resolveSchema(plan.document, parameter.schema);
    const object = typeof schema === "object" ? schema : {};
    const at = `query ${parameter.name}`;
    const candidates = [...typedCandidates(parameter, object, plan.random), ...hostileStrings(plan.random)];
    for (const { value, label } of candidates) {
      const { expect, why } = verdict(parameterViolates(plan.document, parameter.schema, value), `${at}=${label}`);
      out.push({ family: "query", expect, why, query: withValue(parameter.name, value) });
    }
    // An empty value may be read as "absent", which is fine when the parameter is optional.
    out.push({ family: "query", expect: "not-5xx", why: `${at} empty`, query: withValue(parameter.name, "") });
    const valid =
      plan.query.find(([key]) => key === parameter.name)?.[1] ??
      plan.examples[parameter.name] ??
      validParameterText(plan.document, parameter.schema, plan.random);
    const repeated = verdict(parameterViolates(plan.document, parameter.schema, [valid, valid]), `${at} given twice`);
    out.push({ family: "query", ...repeated, query: withValue(parameter.name, valid, valid) });
    if (cursorName.test(parameter.name) && allows(object, "string")) {
      // A cursor is an opaque token the API issued; one it did not issue must be refused, whatever the schema says.
      for (const { value, label, expect } of forgedCursors(plan, parameter.name)) {
        out.push({ family: "query", expect, why: `${at} forged: ${label}`, query: withValue(parameter.name, value) });
      }
    }
  }
  // The document cannot say whether unknown keys are refused (zod's .strict() is not visible in it).
  for (const key of ["unexpected_param", "__proto__", "constructor"]) {
    out.push({
      family: "query",
      expect: "not-5xx",
      why: `unknown query key ${key}`,
      query: [...plan.query, [key, "1"]],
    });
  }
  const encoded = plan.query.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  const first = plan.op.parameters.find((p) => p.in === "query")?.name ?? "q";
  for (const broken of ["%E0%A4%A", "%ZZ", "%"]) {
    out.push({
      family: "query",
      expect: "not-5xx",
      why: `query ${first} malformed percent-encoding ${broken}`,
      rawQuery: [...encoded, `${encodeURIComponent(first)}=${broken}`].join("&"),
    });
  }
  return out;
}
