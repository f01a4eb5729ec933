// Malformed requests for every operation of an OpenAPI 3.1 document, each saying why it is bad and what must answer.
/*
 * For a test that drives every route with bad input: each case changes one thing in an otherwise plausible request
 * (valid path ids from `examples`, required query fields and body filled with valid values) so the refusal, or the
 * crash, is about that one thing.
 *
 * Families:
 * - path: bad ids (not a uuid, traversal, blank, empty, 10,000 characters, emoji, RTL, NUL, SQL-ish), bad numbers.
 * - query: wrong types, NaN/1e309/-1/2^63, out-of-enum, impossible dates, huge and hostile strings, repeated keys,
 *   forged cursors, unknown keys.
 * - body: wrong top-level type, each field with each wrong type, missing required fields, unknown fields,
 *   out-of-enum, numeric edges, huge strings, deep nesting, a 2 MB body.
 * - encoding: invalid JSON text, empty body, wrong content types, invalid UTF-8, malformed percent-encoding.
 *
 * `expect: "4xx"` means the document itself forbids the input (schemaCheck decides, conservatively), so a conforming
 * server must refuse it. `expect: "not-5xx"` means it may legitimately be accepted (an unknown query key when the
 * document cannot say whether the route is strict, a NUL inside a free-text field): it must still never crash, and
 * an accepted write may change rows, so a caller asserting "no row changed" should do so for "4xx" cases.
 * The same document, options and seed always give the same cases, in the same order.
 */
import { type OpenApiDocument, type Operation, operationsOf, resolveSchema } from "../../src/docs/openapi";
import { bodyCases, encodingCases } from "./bodyCases";
import { pathCases, queryCases } from "./paramCases";
import type { CaseDraft, Expectation, Family, OperationPlan } from "./plan";
import { seeded } from "./random";
import { validParameterText, validValue } from "./validValues";

export type { Expectation, Family };

export interface MalformedRequest {
  /** The document's operationId, or "METHOD /path" when it has none. */
  operationId: string;
  /** Upper case, as fetch wants it. */
  method: string;
  /** The concrete path with its query string, already percent-encoded: append it to the base URL as is. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** "query limit=abc: integer expected", for the failure message. */
  why: string;
  expect: Expectation;
  family: Family;
}

export interface MalformedOptions {
  /** Seeds every random choice (uuids, junk strings, forged cursors, sampling). Default 1. */
  seed?: number;
  /** At most this many cases per operation, spread across the families. Default: all of them. */
  perOperation?: number;
  /** Real values by parameter name (e.g. an existing accountId), used wherever a parameter is not the target. */
  examples?: Record<string, string>;
  /** Sent with every case, e.g. an Authorization header so the cases reach validation instead of stopping at 401. */
  headers?: Record<string, string>;
}

const jsonMediaType = (mediaType: string) =>
  /^application\/([\w.-]+\+)?json$/i.test(mediaType.split(";")[0]?.trim() ?? "");

function planFor(document: OpenApiDocument, op: Operation, options: MalformedOptions, seed: number): OperationPlan {
  const random = seeded(seed);
  const examples = options.examples ?? {};
  const textFor = (name: string, schema: Parameters<typeof validParameterText>[1]) =>
    examples[name] ?? validParameterText(document, schema, random);
  const pathValues: Record<string, string> = {};
  for (const match of op.path.matchAll(/\{([^}]+)\}/g)) pathValues[match[1] ?? ""] = examples[match[1] ?? ""] ?? "1";
  const query: Array<[string, string]> = [];
  const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
  for (const parameter of op.parameters) {
    if (parameter.in === "path") pathValues[parameter.name] = textFor(parameter.name, parameter.schema);
    else if (parameter.in === "query" && parameter.required)
      query.push([parameter.name, textFor(parameter.name, parameter.schema)]);
    else if (parameter.in === "header" && parameter.required)
      headers[parameter.name.toLowerCase()] = textFor(parameter.name, parameter.schema);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const content = Object.entries(op.requestBody?.content ?? {});
  const json = content.find(([mediaType]) => jsonMediaType(mediaType));
  const body = json
    ? {
        mediaType: json[0],
        schema: resolveSchema(document, json[1].schema),
        required: op.requestBody?.required === true,
        value: validValue(document, json[1].schema, random),
        accepted: content.map(([mediaType]) => mediaType.split(";")[0]?.trim().toLowerCase() ?? ""),
      }
    : undefined;
  return { document, op, random, examples, pathValues, query, headers, body };
}

/** Percent-encodes a path segment, including the characters encodeURIComponent leaves alone. */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function build(plan: OperationPlan, draft: CaseDraft): MalformedRequest {
  const pathValues = { ...plan.pathValues, ...draft.pathValues };
  const path = plan.op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(pathValues[name] ?? ""));
  const query =
    draft.rawQuery ??
    (draft.query ?? plan.query).map(([key, value]) => `${encodeSegment(key)}=${encodeSegment(value)}`).join("&");
  const headers = { ...plan.headers };
  let body: string | Uint8Array | undefined;
  if (draft.body !== undefined) {
    body = draft.body ?? undefined;
  } else if (plan.body?.required) {
    // Cases about the path or query still send the valid body a required one needs, so only their target is wrong.
    body = JSON.stringify(plan.body.value);
  }
  const contentType =
    draft.contentType !== undefined ? draft.contentType : body !== undefined ? plan.body?.mediaType : null;
  if (contentType) headers["content-type"] = contentType;
  return {
    operationId: plan.op.id,
    method: plan.op.method.toUpperCase(),
    path: query ? `${path}?${query}` : path,
    headers,
    ...(body !== undefined ? { body } : {}),
    why: `${plan.op.id}: ${draft.why}`,
    expect: draft.expect,
    family: draft.family,
  };
}

/** Keeps `limit` cases, taking families in turn so each one present keeps at least one case; original order kept. */
function sample(cases: MalformedRequest[], limit: number, seed: number): MalformedRequest[] {
  if (cases.length <= limit) return cases;
  const random = seeded(seed);
  const byFamily = new Map<Family, number[]>();
  for (const [index, c] of cases.entries()) byFamily.set(c.family, [...(byFamily.get(c.family) ?? []), index]);
  const queues = [...byFamily.values()].map((indexes) => random.shuffle(indexes));
  const kept: number[] = [];
  while (kept.length < limit) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next !== undefined && kept.length < limit) kept.push(next);
    }
  }
  return kept.sort((a, b) => a - b).map((index) => cases[index] as MalformedRequest);
}

/** Every malformed case for every operation in the document, in document order. */
export function malformedRequests(document: object, options: MalformedOptions = {}): MalformedRequest[] {
  const doc = document as OpenApiDocument;
  const seed = options.seed ?? 1;
  const out: MalformedRequest[] = [];
  for (const op of operationsOf(doc)) {
    // A seed per operation: adding a route to the document does not reshuffle the others' cases.
    const opSeed = (Math.imul(seed, 1_000_003) + hash(op.id)) >>> 0;
    const plan = planFor(doc, op, options, opSeed);
    const drafts = [...pathCases(plan), ...queryCases(plan), ...bodyCases(plan), ...encodingCases(plan)];
    const cases = drafts.map((draft) => build(plan, draft));
    out.push(...sample(cases, options.perOperation ?? Number.POSITIVE_INFINITY, opSeed));
  }
  return out;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
