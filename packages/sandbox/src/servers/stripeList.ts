// Stripe's list semantics: bracketed form-encoded query parameters, created filters, newest-first cursor pagination.

/** A parsed query: `created[gte]=1` becomes { created: { gte: "1" } }, `types[]=a` and `types[0]=a` become arrays. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeQuery(search: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, value] of new URLSearchParams(search)) {
    const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!match) {
      root[rawKey] = value;
      continue;
    }
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)];
    type Container = Record<string, FormValue> | FormValue[];
    let node: Container = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const slot: string | number = Array.isArray(node) ? (key === "" ? node.length : Number(key)) : key;
      const container = node as Record<string | number, FormValue>;
      if (i === path.length - 1) {
        container[slot] = value;
        break;
      }
      const nextIsArray = path[i + 1] === "" || /^\d+$/.test(path[i + 1]!);
      const existing = container[slot];
      if (typeof existing !== "object") container[slot] = nextIsArray ? [] : {};
      node = container[slot] as Container;
    }
  }
  return root;
}

export interface StripeErrorBody {
  error: { type: string; message: string; code?: string; param?: string; doc_url?: string };
}

export class StripeRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.error.message);
  }
}

export function invalidRequest(message: string, param?: string, code?: string, status = 400): StripeRequestError {
  const error: StripeErrorBody["error"] = { type: "invalid_request_error", message };
  if (code) {
    error.code = code;
    error.doc_url = `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;
  }
  if (param) error.param = param;
  return new StripeRequestError(status, { error });
}

function integer(value: FormValue | undefined, param: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^-?\d+$/.test(value))
    throw invalidRequest(`Invalid integer: ${String(value)}`, param);
  return Number(value);
}

/** `created=123` or `created[gte|gt|lte|lt]=...`, as a predicate on an object's `created`. */
export function createdFilter(value: FormValue | undefined): (created: number) => boolean {
  if (value === undefined) return () => true;
  if (typeof value === "string") {
    const exact = integer(value, "created")!;
    return (created) => created === exact;
  }
  if (Array.isArray(value)) throw invalidRequest("Invalid created: must be an integer or a hash", "created");
  const bounds: Array<(created: number) => boolean> = [];
  for (const [op, raw] of Object.entries(value)) {
    const limit = integer(raw, `created[${op}]`)!;
    if (op === "gte") bounds.push((created) => created >= limit);
    else if (op === "gt") bounds.push((created) => created > limit);
    else if (op === "lte") bounds.push((created) => created <= limit);
    else if (op === "lt") bounds.push((created) => created < limit);
    else throw invalidRequest(`Received unknown parameter: created[${op}]`, `created[${op}]`);
  }
  return (created) => bounds.every((bound) => bound(created));
}

export interface Listable {
  id: string;
  created: number;
}

export interface StripeList<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

/** One page of `items` (already filtered), newest first, as Stripe pages with limit/starting_after/ending_before. */
export function page<T extends Listable>(
  items: readonly T[],
  query: Record<string, FormValue>,
  url: string,
  noun: string,
): StripeList<T> {
  const limitParam = integer(query.limit, "limit") ?? 10;
  if (limitParam < 1 || limitParam > 100) {
    throw invalidRequest(`Invalid limit: must be between 1 and 100`, "limit");
  }
  const after = query.starting_after;
  const before = query.ending_before;
  if (after !== undefined && before !== undefined) {
    throw invalidRequest(
      "You may only specify one of these parameters: ending_before, starting_after.",
      "ending_before",
    );
  }
  const sorted = [...items].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const cursor = (param: "starting_after" | "ending_before", value: FormValue) => {
    const index = typeof value === "string" ? sorted.findIndex((item) => item.id === value) : -1;
    if (index < 0) throw invalidRequest(`No such ${noun}: '${String(value)}'`, param, "resource_missing");
    return index;
  };
  if (before !== undefined) {
    const end = cursor("ending_before", before);
    const start = Math.max(0, end - limitParam);
    return { object: "list", data: sorted.slice(start, end), has_more: start > 0, url };
  }
  const start = after !== undefined ? cursor("starting_after", after) + 1 : 0;
  const data = sorted.slice(start, start + limitParam);
  return { object: "list", data, has_more: start + limitParam < sorted.length, url };
}
