// Malformed JSON bodies (wrong shapes, missing and unknown fields, edges, huge and deep) and broken body encodings.
import { resolveSchema, type Schema, type SchemaObject, schemaTypes } from "../../src/docs/openapi";
import type { CaseDraft, Expectation, OperationPlan } from "./plan";
import { junkString } from "./random";
import { violates } from "./schemaCheck";
import { validValue } from "./validValues";

type Key = string | number;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

interface Field {
  /** From the body's root to the field: object keys and array indexes. */
  path: Key[];
  schema: Schema;
  required: boolean;
  /** The schema of each container on the way, to build one when the valid body leaves it out (optional fields). */
  containers: Schema[];
}

const twoMegabytes = 2 * 1024 * 1024;

const label = (path: Key[]) =>
  path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${key}` : key), "");

const objectSchema = (schema: Schema): SchemaObject | undefined =>
  typeof schema === "object" && (schema.properties || schemaTypes(schema).includes("object")) ? schema : undefined;

/** Every field reachable through object properties and array items, breadth first, a few levels deep. */
function fieldsOf(plan: OperationPlan, schema: Schema, path: Key[] = [], containers: Schema[] = []): Field[] {
  if (path.length > 8) return [];
  const resolved = resolveSchema(plan.document, schema);
  if (typeof resolved === "boolean") return [];
  const out: Field[] = [];
  const required = new Set(resolved.required ?? []);
  for (const [name, field] of Object.entries(resolved.properties ?? {})) {
    const here = [...path, name];
    out.push({ path: here, schema: field, required: required.has(name), containers: [...containers, resolved] });
    out.push(...fieldsOf(plan, field, here, [...containers, resolved]));
  }
  if (resolved.items !== undefined && schemaTypes(resolved).includes("array")) {
    out.push(...fieldsOf(plan, resolved.items, [...path, 0], [...containers, resolved]));
  }
  return out;
}

/** The valid body with one change at `path`; containers the valid body left out are filled in first. */
function edit(
  plan: OperationPlan,
  field: Pick<Field, "path" | "containers">,
  change: (parent: Record<Key, unknown>, key: Key) => void,
) {
  const root = structuredClone(plan.body?.value) as Record<Key, unknown>;
  let node = root;
  const last = field.path.length - 1;
  for (const [depth, key] of field.path.entries()) {
    if (depth === last) {
      change(node, key);
      break;
    }
    const childSchema = field.containers[depth + 1] ?? true;
    if (typeof node[key] !== "object" || node[key] === null) {
      node[key] = validValue(plan.document, childSchema, plan.random);
    }
    node = node[key] as Record<Key, unknown>;
  }
  return root;
}

// Numbers JavaScript cannot write as JSON literals are carried as marked strings and spliced into the text.
const rawMark = "\u0001raw:";
const toText = (value: unknown) =>
  JSON.stringify(value).replace(/"\\u0001raw:([^"]+)"/g, (_, literal: string) => literal);

function verdict(plan: OperationPlan, text: string, why: string): CaseDraft {
  const expect: Expectation = violates(plan.document, plan.body?.schema, JSON.parse(text)) ? "4xx" : "not-5xx";
  return {
    family: "body",
    expect,
    why: expect === "4xx" ? why : `${why} (the document allows it: may be accepted)`,
    body: text,
  };
}

function replacements(plan: OperationPlan, schema: Schema): Array<[string, unknown]> {
  const resolved = resolveSchema(plan.document, schema);
  const object = typeof resolved === "object" ? resolved : {};
  const types = schemaTypes(object);
  const out: Array<[string, unknown]> = [
    ["a string", "text"],
    ["a number", 12345],
    ["true", true],
    ["null", null],
    ["an object", {}],
    ["an array", []],
  ];
  const wrong = out.filter(([, value]) => violates(plan.document, schema, value));
  if (object.enum) wrong.push(["a value outside the enum", "__not_in_enum__"]);
  if (types.includes("number") || types.includes("integer")) {
    wrong.push(["-1", -1], ["1e309", `${rawMark}1e309`], ["2^63", `${rawMark}9223372036854775808`]);
    if (!types.includes("number")) wrong.push(["a fraction", 1.5]);
  }
  if (types.includes("string") || types.length === 0) {
    wrong.push(
      ["100,000 characters", "x".repeat(100_000)],
      ["a NUL byte", "a\u0000b"],
      ["hostile characters", junkString(plan.random)],
    );
    if (object.format === "uuid") wrong.push(["not a uuid", "not-a-uuid"]);
    if (object.format === "date") wrong.push(["a day that does not exist", "2026-02-30"]);
    if (object.format === "date-time") wrong.push(["a day that does not exist", "2026-02-30T00:00:00Z"]);
  }
  return wrong;
}

/** The body family: shapes the document forbids (or might accept), sent as valid JSON. */
export function bodyCases(plan: OperationPlan): CaseDraft[] {
  if (!plan.body) return [];
  const body = plan.body;
  const out: CaseDraft[] = [];
  for (const [name, value] of [
    ["an array", []],
    ["a string", "text"],
    ["a number", 42],
    ["null", null],
    ["true", true],
  ] as const) {
    out.push(verdict(plan, JSON.stringify(value), `body is ${name}`));
  }
  // Objects that could gain an unknown field: the root, then every nested object.
  const objects: Array<Pick<Field, "path" | "containers">> = [];
  if (objectSchema(resolveSchema(plan.document, body.schema))) objects.push({ path: [], containers: [] });
  for (const field of fieldsOf(plan, body.schema)) {
    const at = `body ${label(field.path)}`;
    for (const [name, value] of replacements(plan, field.schema)) {
      const changed = edit(plan, field, (parent, key) => {
        parent[key] = value;
      });
      out.push(verdict(plan, toText(changed), `${at} is ${name}`));
    }
    if (field.required) {
      const changed = edit(plan, field, (parent, key) => {
        delete parent[key];
      });
      out.push(verdict(plan, toText(changed), `${at} missing (required)`));
    }
    if (objectSchema(resolveSchema(plan.document, field.schema))) {
      objects.push({ path: field.path, containers: [...field.containers, field.schema] });
    }
  }
  for (const object of objects) {
    const unknown = { path: [...object.path, "unexpected_field"], containers: object.containers };
    const changed = edit(plan, unknown, (parent, key) => {
      parent[key] = 1;
    });
    out.push(verdict(plan, toText(changed), `body ${label(object.path) || "root"} has an unknown field`));
  }
  const baseline = JSON.stringify(body.value);
  if (baseline.startsWith("{")) {
    const rest = baseline === "{}" ? "}" : `,${baseline.slice(1)}`;
    out.push(verdict(plan, `{"__proto__":{"polluted":true}${rest}`, "body carries a __proto__ key"));
    const depth = 5_000;
    const deep = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    // Judged on a shallow stand-in: only the unknown key decides, and the checker would not walk 5,000 levels.
    const expect = violates(plan.document, body.schema, { ...(body.value as object), deep: {} }) ? "4xx" : "not-5xx";
    out.push({
      family: "body",
      expect,
      why: `body has ${depth} levels of nested junk`,
      body: `{"deep":${deep}${rest}`,
    });
    const isString = (schema: Schema) => {
      const resolved = resolveSchema(plan.document, schema);
      return typeof resolved === "object" && schemaTypes(resolved).includes("string");
    };
    const stringField = fieldsOf(plan, body.schema).find((f) => f.path.length === 1 && isString(f.schema));
    const target = stringField ?? { path: ["padding"], containers: [resolveSchema(plan.document, body.schema)] };
    const big = edit(plan, target, (parent, key) => {
      parent[key] = "x".repeat(twoMegabytes);
    });
    out.push(verdict(plan, JSON.stringify(big), `body is 2 MB (body.${label(target.path)})`));
  }
  const arrays = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
  const rejectsArrays = violates(plan.document, body.schema, []) && violates(plan.document, body.schema, [[]]);
  out.push({
    family: "body",
    expect: rejectsArrays ? "4xx" : "not-5xx",
    why: "body is 10,000 nested arrays",
    body: arrays,
  });
  return out;
}

const invalidJson = ['{"a":', "{'a': 1}", '{"a": 1,}', '{"a": NaN}', "[1, 2", '"unterminated', "{}}"];

/** The encoding family: bodies that are not JSON, or not labelled as the operation accepts. */
export function encodingCases(plan: OperationPlan): CaseDraft[] {
  if (!plan.body) return [];
  const body = plan.body;
  const requiredExpect: Expectation = body.required ? "4xx" : "not-5xx";
  const text = JSON.stringify(body.value);
  const out: CaseDraft[] = invalidJson.map((bad) => ({
    family: "encoding",
    expect: "4xx",
    why: `invalid JSON ${bad}`,
    body: bad,
  }));
  out.push({
    family: "encoding",
    expect: "4xx",
    why: "invalid JSON: valid body then trailing text",
    body: `${text} trailing`,
  });
  out.push({ family: "encoding", expect: requiredExpect, why: "empty body labelled JSON", body: "" });
  if (body.required) {
    out.push({ family: "encoding", expect: "4xx", why: "required body missing", body: null, contentType: null });
  }
  const fields: Array<[string, string]> = Object.entries(isRecord(body.value) ? body.value : {}).map(([k, v]) => [
    k,
    typeof v === "string" ? v : JSON.stringify(v),
  ]);
  const form = new URLSearchParams(fields).toString();
  const boundary = "malformed-boundary-7d1f";
  const part = ([k, v]: [string, string]) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  const multipart = `${fields.map(part).join("")}--${boundary}--\r\n`;
  const wrongTypes: Array<[string, string | Uint8Array, string | null]> = [
    ["text/plain", text, "text/plain"],
    ["application/x-www-form-urlencoded", form, "application/x-www-form-urlencoded"],
    ["multipart/form-data", multipart, `multipart/form-data; boundary=${boundary}`],
    ["application/xml", "<body/>", "application/xml"],
    // Bytes, so fetch does not add a text/plain content type of its own.
    ["no content type", new TextEncoder().encode(text), null],
  ];
  for (const [name, payload, contentType] of wrongTypes) {
    if (contentType && body.accepted.includes(contentType.split(";")[0] ?? "")) continue;
    // A server may treat an optional body it cannot read as absent; a required one it cannot read is refused.
    out.push({
      family: "encoding",
      expect: requiredExpect,
      why: `JSON body sent as ${name}`,
      body: payload,
      contentType,
    });
  }
  if (text.startsWith("{")) {
    // The valid body with one more string field whose bytes are not UTF-8 (0xff never is; 0xc3 0x28 is a broken pair).
    const head = new TextEncoder().encode(`${text.slice(0, -1)}${text === "{}" ? "" : ","}"x":"`);
    const badUtf8 = new Uint8Array([...head, 0xff, 0xfe, 0xc3, 0x28, ...new TextEncoder().encode('"}')]);
    out.push({
      family: "encoding",
      expect: "not-5xx",
      why: "JSON with invalid UTF-8 bytes in a string",
      body: badUtf8,
    });
  }
  out.push({ family: "encoding", expect: "not-5xx", why: "JSON after a byte-order mark", body: `\ufeff${text}` });
  return out;
}
