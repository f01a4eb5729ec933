// The SOQL subset the Salesforce fake answers: SELECT <fields> FROM Account [WHERE <condition> [AND ...]]
// [ORDER BY <field> [ASC|DESC]] [LIMIT n], where a condition is `<field> != null`, `<field> = null`,
// `<field> = '<value>'`, `<field> != '<value>'` or `<field> IN ('a', 'b')`.
import { salesforceFieldName } from "./fields.js";

export type SoqlCondition =
  | { field: string; op: "=" | "!="; value: string | null }
  | { field: string; op: "IN"; values: string[] };

export interface SoqlQuery {
  fields: string[];
  object: string;
  where: SoqlCondition[];
  orderBy: { field: string; descending: boolean } | null;
  limit: number | null;
}

/** A query Salesforce refuses, with its error code (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE). */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: "MALFORMED_QUERY" | "INVALID_FIELD" | "INVALID_TYPE",
    message: string,
  ) {
    super(message);
  }
}

const literal = String.raw`'(?:[^'\\]|\\.)*'`;
const unquote = (text: string) => text.slice(1, -1).replace(/\\(.)/g, "$1");

function field(name: string, soql: string): string {
  const canonical = salesforceFieldName(name);
  if (!canonical) {
    throw new SoqlError(
      "INVALID_FIELD",
      `\n${soql}\n^\nERROR at Row:1:Column:1\nNo such column '${name}' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return canonical;
}

function condition(text: string, soql: string): SoqlCondition {
  const nullTest = /^(\w+)\s*(=|!=)\s*null$/i.exec(text);
  if (nullTest) return { field: field(nullTest[1]!, soql), op: nullTest[2] as "=" | "!=", value: null };
  const compare = new RegExp(String.raw`^(\w+)\s*(=|!=)\s*(${literal})$`).exec(text);
  if (compare) return { field: field(compare[1]!, soql), op: compare[2] as "=" | "!=", value: unquote(compare[3]!) };
  const within = new RegExp(String.raw`^(\w+)\s+IN\s*\(\s*(${literal}(?:\s*,\s*${literal})*)\s*\)$`, "i").exec(text);
  if (within) {
    const values = [...within[2]!.matchAll(new RegExp(literal, "g"))].map((m) => unquote(m[0]));
    return { field: field(within[1]!, soql), op: "IN", values };
  }
  throw new SoqlError("MALFORMED_QUERY", `unexpected token: '${text.split(/\s+/)[0] ?? text}'`);
}

export function parseSoql(soql: string): SoqlQuery {
  const text = soql.trim().replace(/\s+/g, " ");
  const match = /^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (\w+)(?: (ASC|DESC))?)?(?: LIMIT (\d+))?$/i.exec(
    text,
  );
  if (!match) throw new SoqlError("MALFORMED_QUERY", `unexpected token: '${text.split(" ").slice(-1)[0] ?? ""}'`);
  const [, fieldList, object, where, orderField, direction, limit] = match;
  if (object!.toLowerCase() !== "account") {
    throw new SoqlError(
      "INVALID_TYPE",
      `\n${soql}\n^\nERROR at Row:1:Column:1\nsObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const fields = fieldList!.split(",").map((f) => field(f.trim(), soql));
  const conditions = where ? where.split(/ AND /i).map((part) => condition(part.trim(), soql)) : [];
  return {
    fields: [...new Set(fields)],
    object: "Account",
    where: conditions,
    orderBy: orderField ? { field: field(orderField, soql), descending: direction?.toUpperCase() === "DESC" } : null,
    limit: limit === undefined ? null : Number(limit),
  };
}

/** Whether a record passes every condition (text compares are case-insensitive, as SOQL's are). */
export function matchesAll(record: Record<string, unknown>, conditions: readonly SoqlCondition[]): boolean {
  return conditions.every((c) => {
    const raw = record[c.field];
    const value = raw === null || raw === undefined ? null : String(raw).toLowerCase();
    if (c.op === "IN") return value !== null && c.values.some((v) => v.toLowerCase() === value);
    const wanted = c.value === null ? null : c.value.toLowerCase();
    const equal = value === wanted;
    return c.op === "=" ? equal : !equal;
  });
}
