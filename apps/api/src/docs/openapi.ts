// The slice of an OpenAPI 3.1 document the reference page and the bad-input generator read, and how to walk it.

/** A JSON Schema as zod 4 emits it for OpenAPI 3.1 (`true`/`false` are schemas too, e.g. `additionalProperties`). */
export type Schema = SchemaObject | boolean;

export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  format?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  /** OpenAPI 3.0 spelling; 3.1 puts "null" in `type`. Read both. */
  nullable?: boolean;
  deprecated?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  /** A number in 3.1, a boolean modifier of minimum/maximum in 3.0. */
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  items?: Schema;
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  minProperties?: number;
  maxProperties?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  not?: Schema;
}

export interface ParameterObject {
  $ref?: string;
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required?: boolean;
  description?: string;
  deprecated?: boolean;
  schema?: Schema;
  example?: unknown;
}

export interface MediaTypeObject {
  schema?: Schema;
  example?: unknown;
}

export interface RequestBodyObject {
  $ref?: string;
  description?: string;
  required?: boolean;
  content?: Record<string, MediaTypeObject>;
}

export interface ResponseObject {
  $ref?: string;
  description?: string;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses?: Record<string, ResponseObject>;
  /** The permission the caller's role must grant; each route declares it (access-and-trust issue). */
  "x-reckon-permission"?: unknown;
}

export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  servers?: Array<{ url: string; description?: string }>;
  tags?: Array<{ name: string; description?: string }>;
  paths?: Record<string, Record<string, unknown> & { parameters?: ParameterObject[] }>;
  components?: Record<string, Record<string, unknown> | undefined>;
}

export const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation with its path-level parameters merged in and every `$ref` on the way resolved. */
export interface Operation {
  /** The document's operationId, or "METHOD /path" when it has none (zod-openapi routes usually have none). */
  id: string;
  method: (typeof httpMethods)[number];
  path: string;
  operation: OperationObject;
  parameters: ParameterObject[];
  requestBody: RequestBodyObject | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The name a `#/components/<kind>/<name>` reference points at, for labels. */
export function refName(ref: string): string {
  return decodePointer(ref.split("/").pop() ?? ref);
}

function decodePointer(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}

/**
 * Follows local `$ref`s to the object they name; undefined when one dangles. Siblings of a `$ref` (3.1 allows a
 * description beside it) override the target's. Hops are capped so a cycle of bare references cannot spin.
 */
export function resolve<T extends object>(document: OpenApiDocument, value: T | undefined): T | undefined {
  let current: unknown = value;
  const siblings: Record<string, unknown> = {};
  for (let hop = 0; hop < 32; hop++) {
    if (!isRecord(current) || typeof current.$ref !== "string") {
      if (!isRecord(current)) return current as T | undefined;
      return (Object.keys(siblings).length ? { ...current, ...siblings } : current) as T;
    }
    const { $ref, ...rest } = current;
    for (const [key, sibling] of Object.entries(rest)) if (!(key in siblings)) siblings[key] = sibling;
    current = pointer(document, $ref);
  }
  return undefined;
}

function pointer(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = document;
  for (const token of ref.slice(2).split("/")) {
    if (!isRecord(node)) return undefined;
    node = node[decodePointer(token)];
  }
  return node;
}

/** Resolves a schema, keeping `true`/`false` and treating a dangling reference as "anything". */
export function resolveSchema(document: OpenApiDocument, schema: Schema | undefined): Schema {
  if (schema === undefined) return true;
  if (typeof schema === "boolean") return schema;
  return resolve(document, schema) ?? true;
}

/** The JSON types a schema names, "null" included when it is nullable in either the 3.0 or the 3.1 way. */
export function schemaTypes(schema: SchemaObject): string[] {
  const types = Array.isArray(schema.type) ? [...schema.type] : schema.type ? [schema.type] : [];
  if (schema.nullable && !types.includes("null")) types.push("null");
  return types;
}

/** Every operation in document order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const item = resolve(document, rawItem);
    if (!item) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of httpMethods) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const op = operation as OperationObject;
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      // An operation's parameter overrides a path-level one with the same name and location.
      const byKey = new Map<string, ParameterObject>();
      for (const raw of [...shared, ...own]) {
        const parameter = resolve(document, raw);
        if (parameter && typeof parameter.name === "string") byKey.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      operations.push({
        id: op.operationId ?? `${method.toUpperCase()} ${path}`,
        method,
        path,
        operation: op,
        parameters: [...byKey.values()],
        requestBody: resolve(document, op.requestBody),
      });
    }
  }
  return operations;
}
