// JSON Schemas as a reader sees them: a short type label, the constraints in words, nested fields as a list.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */

import type { Child } from "hono/jsx";
import { type OpenApiDocument, refName, resolveSchema, type Schema, type SchemaObject, schemaTypes } from "./openapi";

// Deep enough for any real request body; past it the list stops instead of filling the page.
const maxDepth = 8;

interface Walk {
  document: OpenApiDocument;
  /** Component names being expanded above this point: a schema that refers to itself is named, not expanded. */
  seen: string[];
  depth: number;
}

const json = (value: unknown) => JSON.stringify(value) ?? String(value);

const variantsOf = (schema: SchemaObject) => schema.oneOf ?? schema.anyOf;

/** "string (uuid) | null", "array of Item", "integer": what a value is, in one line. */
export function typeLabel(document: OpenApiDocument, schema: Schema | undefined, depth = 0): string {
  if (schema === undefined || schema === true) return "any";
  if (schema === false) return "nothing (never valid)";
  if (schema.$ref) return refName(schema.$ref);
  if (depth > maxDepth) return "…";
  if ("const" in schema) return json(schema.const);
  // zod writes a literal as a one-value enum: it reads better as the value itself.
  if (schema.enum?.length === 1) return json(schema.enum[0]);
  const variants = variantsOf(schema);
  if (variants) return variants.map((variant) => typeLabel(document, variant, depth + 1)).join(" | ");
  if (schema.allOf) return schema.allOf.map((part) => typeLabel(document, part, depth + 1)).join(" & ");
  let types = schemaTypes(schema);
  if (types.length === 0) {
    if (schema.properties) types = ["object"];
    else if (schema.items) types = ["array"];
    else if (schema.enum) return "enum";
    else return "any";
  }
  return types
    .map((type) => {
      if (type === "array") return `array of ${typeLabel(document, schema.items, depth + 1)}`;
      if (type === "object" && !schema.properties && isSchema(schema.additionalProperties)) {
        return `map of string → ${typeLabel(document, schema.additionalProperties, depth + 1)}`;
      }
      if ((type === "string" || type === "integer" || type === "number") && schema.format) {
        return `${type} (${schema.format})`;
      }
      return type;
    })
    .join(" | ");
}

const isSchema = (value: Schema | undefined): value is SchemaObject => typeof value === "object";

function range(low: number | undefined, high: number | undefined, unit: string): string | undefined {
  const units = (n: number) => (n === 1 ? unit : `${unit}s`);
  if (low !== undefined && high !== undefined)
    return low === high ? `exactly ${low} ${units(low)}` : `${low}–${high} ${unit}s`;
  if (low !== undefined) return `at least ${low} ${units(low)}`;
  if (high !== undefined) return `at most ${high} ${units(high)}`;
  return undefined;
}

function bounds(schema: SchemaObject): string[] {
  const out: string[] = [];
  const exclusive = (value: number | boolean | undefined, base: number | undefined) =>
    typeof value === "number" ? value : value === true ? base : undefined;
  const lowEx = exclusive(schema.exclusiveMinimum, schema.minimum);
  const highEx = exclusive(schema.exclusiveMaximum, schema.maximum);
  if (lowEx !== undefined) out.push(`> ${lowEx}`);
  else if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (highEx !== undefined) out.push(`< ${highEx}`);
  else if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.multipleOf !== undefined) out.push(`multiple of ${schema.multipleOf}`);
  const length = range(schema.minLength, schema.maxLength, "character");
  if (length) out.push(length);
  const items = range(schema.minItems, schema.maxItems, "item");
  if (items) out.push(items);
  if (schema.uniqueItems) out.push("items unique");
  const fields = range(schema.minProperties, schema.maxProperties, "field");
  if (fields) out.push(fields);
  return out;
}

/** Enum values, bounds, pattern, default and example, each as a small chip; nothing when there are none. */
export function Constraints(props: { document: OpenApiDocument; schema: Schema | undefined }) {
  const schema = resolveSchema(props.document, props.schema);
  if (typeof schema === "boolean") return null;
  const chips: Child[] = [];
  if (schema.enum && schema.enum.length > 1) {
    chips.push(
      <span class="constraint">
        one of:{" "}
        {schema.enum.map((value, index) => (
          <>
            {index > 0 ? ", " : ""}
            <code>{typeof value === "string" ? value : json(value)}</code>
          </>
        ))}
      </span>,
    );
  }
  for (const text of bounds(schema)) chips.push(<span class="constraint">{text}</span>);
  if (schema.pattern) {
    chips.push(
      <span class="constraint">
        pattern <code>{schema.pattern}</code>
      </span>,
    );
  }
  if (schema.default !== undefined) {
    chips.push(
      <span class="constraint">
        default <code>{json(schema.default)}</code>
      </span>,
    );
  }
  const example = schema.example ?? schema.examples?.[0];
  if (example !== undefined) {
    chips.push(
      <span class="constraint">
        example <code>{json(example)}</code>
      </span>,
    );
  }
  if (schema.deprecated) chips.push(<span class="constraint warn">deprecated</span>);
  if (schema.readOnly) chips.push(<span class="constraint">read-only</span>);
  if (schema.writeOnly) chips.push(<span class="constraint">write-only</span>);
  return chips.length ? <span class="constraints">{chips}</span> : null;
}

/** The fields inside a value, if it has any: object properties, array items, union variants, intersections. */
function Nested(props: { schema: Schema | undefined; walk: Walk }): Child {
  const { walk } = props;
  if (!isSchema(props.schema) || walk.depth > maxDepth) return null;
  const name = props.schema.$ref ? refName(props.schema.$ref) : undefined;
  if (name && walk.seen.includes(name)) return <p class="muted">Same shape as {name} above (recursive).</p>;
  const schema = resolveSchema(walk.document, props.schema);
  if (!isSchema(schema)) return null;
  const inner: Walk = { ...walk, depth: walk.depth + 1, seen: name ? [...walk.seen, name] : walk.seen };
  const variants = variantsOf(schema);
  if (variants) {
    return (
      <div class="variants">
        <p class="muted">{schema.oneOf ? "Exactly one of:" : "Any of:"}</p>
        <ol>
          {variants.map((variant) => (
            <li>
              <span class="type">{typeLabel(walk.document, variant)}</span>{" "}
              <Constraints document={walk.document} schema={variant} />
              <Nested schema={variant} walk={inner} />
            </li>
          ))}
        </ol>
      </div>
    );
  }
  if (schema.allOf)
    return (
      <>
        {schema.allOf.map((part) => (
          <Nested schema={part} walk={inner} />
        ))}
      </>
    );
  if (schema.properties) return <FieldList schema={schema} walk={inner} />;
  if (schema.items) {
    const items = resolveSchema(walk.document, schema.items);
    if (!isSchema(items) || !(items.properties || variantsOf(items) || items.items)) return null;
    return (
      <div class="items">
        <p class="muted">Each item:</p>
        <Nested schema={schema.items} walk={inner} />
      </div>
    );
  }
  if (isSchema(schema.additionalProperties)) return <Nested schema={schema.additionalProperties} walk={inner} />;
  return null;
}

function FieldList(props: { schema: SchemaObject; walk: Walk }) {
  const { schema, walk } = props;
  const required = new Set(schema.required ?? []);
  return (
    <ul class="fields">
      {Object.entries(schema.properties ?? {}).map(([name, field]) => {
        const resolved = isSchema(field) ? resolveSchema(walk.document, field) : field;
        return (
          <li>
            <code class="name">{name}</code> <span class="type">{typeLabel(walk.document, field)}</span>{" "}
            {required.has(name) ? <span class="req">required</span> : <span class="opt">optional</span>}
            {isSchema(resolved) && resolved.description ? <span class="desc"> — {resolved.description}</span> : null}{" "}
            <Constraints document={walk.document} schema={field} />
            <Nested schema={field} walk={walk} />
          </li>
        );
      })}
      {schema.additionalProperties === false ? <li class="muted">No other fields are accepted.</li> : null}
    </ul>
  );
}

/** A whole schema: its type line, then its fields (a top-level object goes straight to its field list). */
export function SchemaView(props: { document: OpenApiDocument; schema: Schema | undefined }) {
  const walk: Walk = { document: props.document, seen: [], depth: 0 };
  const resolved = resolveSchema(props.document, props.schema);
  const isPlainObject = isSchema(resolved) && resolved.properties && !variantsOf(resolved) && !resolved.allOf;
  // Listing a referenced object's fields directly is expanding it, so a field that refers back to it stops there.
  if (isPlainObject && isSchema(props.schema) && props.schema.$ref) walk.seen = [refName(props.schema.$ref)];
  return (
    <div class="schema">
      <p>
        <span class="type">{typeLabel(props.document, props.schema)}</span>{" "}
        <Constraints document={props.document} schema={props.schema} />
      </p>
      {isPlainObject ? <FieldList schema={resolved} walk={walk} /> : <Nested schema={props.schema} walk={walk} />}
    </div>
  );
}
