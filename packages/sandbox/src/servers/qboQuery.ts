// The subset of QuickBooks' query language node-quickbooks emits: select * | count(*) from Entity [where a op v and ...]
// [orderby f [asc|desc], ...] [startposition n] [maxresults m], keywords case-insensitive.

export class QueryError extends Error {}

export type Operator = "=" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "like";
export type Literal = string | number | boolean;
export interface Condition {
  field: string;
  operator: Operator;
  value: Literal | Literal[];
}
export interface ParsedQuery {
  count: boolean;
  entity: string;
  where: Condition[];
  orderBy: Array<{ field: string; descending: boolean }>;
  startPosition: number;
  maxResults: number;
}

const tokenPattern = /\s*(?:('(?:\\.|[^'\\])*')|(<=|>=|!=|<>|[=<>(),*])|([A-Za-z_][\w.]*)|(-?\d+(?:\.\d+)?))/y;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  let position = 0;
  while (position < query.length) {
    if (/^\s*$/.test(query.slice(position))) break;
    tokenPattern.lastIndex = position;
    const match = tokenPattern.exec(query);
    if (!match)
      throw new QueryError(
        `Encountered unexpected text at column ${position + 1}: "${query.slice(position, position + 20)}"`,
      );
    tokens.push(match[0].trim());
    position = tokenPattern.lastIndex;
  }
  return tokens;
}

function literal(token: string | undefined): Literal {
  if (token === undefined) throw new QueryError("Unexpected end of query, expected a value");
  if (token.startsWith("'")) return token.slice(1, -1).replace(/\\(.)/g, "$1");
  if (/^-?\d/.test(token)) return Number(token);
  if (/^(true|false)$/i.test(token)) return token.toLowerCase() === "true";
  throw new QueryError(`Expected a value but found "${token}"`);
}

export function parseQuery(query: string): ParsedQuery {
  const tokens = tokenize(query.trim());
  let i = 0;
  const peek = () => tokens[i]?.toLowerCase();
  const expect = (word: string) => {
    if (peek() !== word) throw new QueryError(`Expected "${word}" but found "${tokens[i] ?? "end of query"}"`);
    i++;
  };
  expect("select");
  let count = false;
  if (peek() === "count") {
    i++;
    expect("(");
    expect("*");
    expect(")");
    count = true;
  } else if (peek() === "*") {
    i++;
  } else {
    // A field list: QuickBooks returns the named fields; the sandbox returns whole entities.
    while (tokens[i] && peek() !== "from") i++;
  }
  expect("from");
  const entity = tokens[i++];
  if (!entity || !/^[A-Za-z]+$/.test(entity)) throw new QueryError("Expected an entity name after FROM");
  const parsed: ParsedQuery = { count, entity, where: [], orderBy: [], startPosition: 1, maxResults: 100 };
  if (peek() === "where") {
    i++;
    for (;;) {
      const field = tokens[i++];
      if (!field || !/^[A-Za-z_]/.test(field)) throw new QueryError("Expected a field name in WHERE");
      let op = peek();
      if (op === "<>") op = "!=";
      if (!op || !["=", "!=", "<", ">", "<=", ">=", "in", "like"].includes(op)) {
        throw new QueryError(`Expected an operator after ${field} but found "${tokens[i] ?? "end of query"}"`);
      }
      i++;
      let value: Literal | Literal[];
      if (op === "in") {
        expect("(");
        value = [];
        while (peek() !== ")") {
          value.push(literal(tokens[i++]));
          if (peek() === ",") i++;
          else if (peek() !== ")") throw new QueryError("Expected , or ) in IN list");
        }
        i++;
      } else {
        value = literal(tokens[i++]);
      }
      parsed.where.push({ field, operator: op as Operator, value });
      if (peek() !== "and") break;
      i++;
    }
  }
  if (peek() === "orderby" || peek() === "order") {
    if (peek() === "order") {
      i++;
      expect("by");
    } else i++;
    for (;;) {
      const field = tokens[i++];
      if (!field) throw new QueryError("Expected a field after ORDERBY");
      let descending = false;
      if (peek() === "desc" || peek() === "asc") descending = tokens[i++]!.toLowerCase() === "desc";
      parsed.orderBy.push({ field, descending });
      if (peek() !== ",") break;
      i++;
    }
  }
  while (peek() === "startposition" || peek() === "maxresults") {
    const keyword = peek();
    i++;
    const value = literal(tokens[i++]);
    if (typeof value !== "number" || !Number.isInteger(value)) throw new QueryError(`${keyword} needs a whole number`);
    if (keyword === "startposition") parsed.startPosition = Math.max(1, value);
    else {
      if (value > 1000)
        throw new QueryError(`QueryValidationError: value ${value} is too large. Max allowed value is 1000`);
      parsed.maxResults = Math.max(1, value);
    }
  }
  if (i < tokens.length) throw new QueryError(`Encountered unexpected "${tokens[i]}" at the end of the query`);
  return parsed;
}

/** Reads a dotted field case-insensitively ("Metadata.LastUpdatedTime"); a reference ({ value }) reads as its value. */
export function readField(entity: unknown, path: string): unknown {
  let node: unknown = entity;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    const key = Object.keys(node).find((k) => k.toLowerCase() === part.toLowerCase());
    node = key === undefined ? undefined : (node as Record<string, unknown>)[key];
  }
  if (node && typeof node === "object" && "value" in node) return (node as { value: unknown }).value;
  return node;
}

const datePattern = /^\d{4}-\d{2}-\d{2}/;

function compare(a: unknown, b: Literal): number {
  if (typeof a === "string" && typeof b === "string" && datePattern.test(a) && datePattern.test(b)) {
    return Date.parse(a) - Date.parse(b);
  }
  if (typeof a === "number" || typeof b === "number") return Number(a) - Number(b);
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function matches(entity: unknown, condition: Condition): boolean {
  const actual = readField(entity, condition.field);
  if (actual === undefined) return false;
  const { operator, value } = condition;
  if (operator === "in") return (value as Literal[]).some((v) => compare(actual, v) === 0);
  if (operator === "like") {
    const pattern = String(value)
      .replace(/[.+?^${}()|[\]\\*]/g, "\\$&")
      .replace(/%/g, ".*");
    return new RegExp(`^${pattern}$`, "i").test(String(actual));
  }
  const order = compare(actual, value as Literal);
  if (operator === "=") return order === 0;
  if (operator === "!=") return order !== 0;
  if (operator === "<") return order < 0;
  if (operator === ">") return order > 0;
  if (operator === "<=") return order <= 0;
  return order >= 0;
}

export function sortEntities<T>(entities: T[], orderBy: ParsedQuery["orderBy"]): T[] {
  const keys = orderBy.length > 0 ? orderBy : [{ field: "Id", descending: false }];
  return [...entities].sort((a, b) => {
    for (const key of keys) {
      const left = readField(a, key.field);
      const right = readField(b, key.field);
      const numeric = key.field.toLowerCase() === "id" ? Number(left) - Number(right) : compare(left, right as Literal);
      if (numeric !== 0) return key.descending ? -numeric : numeric;
    }
    return 0;
  });
}
