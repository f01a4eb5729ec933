// The bulk write path: many rows in one statement, through json_to_recordset, on PGlite and Postgres alike.
// One JSON parameter per batch keeps the statement small whatever the row count (REFERENCE.md: the query builder
// costs ~29 ms of JS per 1,000 rows; this path builds one string). A backfill, whose rows are new, can COPY them
// instead (Postgres only): INSERT's per-row path costs ~2x COPY's multi-row one even without ON CONFLICT.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { type Database, isUniqueViolation, queryRows } from "../client";
import type { TenantScope } from "../scope";

export interface BulkTable {
  name: string;
  /** Column name -> Postgres type, in insert order. tenant_id is added by the scope. */
  columns: Record<string, string>;
  /** The conflict target (tenant_id first). */
  key: string[];
  /** Columns stamped with now() whenever the row is written or changed. */
  touch?: string[];
}

export type BulkRow = Record<string, string | number | boolean | bigint | null | object>;

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

function toJson(value: BulkRow[] | object): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
}

/**
 * Inserts or updates rows keyed by `table.key`. A row whose values are unchanged is left alone (no write, no
 * new synced_at), so re-running a sync changes nothing. Returns how many rows were inserted or changed.
 */
export async function upsertRows(scope: TenantScope, table: BulkTable, rows: BulkRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const names = Object.keys(table.columns);
  const all = ["tenant_id", ...names];
  const recordType = names.map((name) => `${quote(name)} ${table.columns[name]}`).join(", ");
  const dataColumns = names.filter((name) => !table.key.includes(name));
  const touch = table.touch ?? [];
  const setList = [
    ...dataColumns.map((name) => `${quote(name)} = excluded.${quote(name)}`),
    ...touch.map((name) => `${quote(name)} = now()`),
  ].join(", ");
  const changed = dataColumns.length
    ? ` where (${dataColumns.map((n) => `t.${quote(n)}`).join(", ")}) is distinct from (${dataColumns
        .map((n) => `excluded.${quote(n)}`)
        .join(", ")})`
    : "";
  const conflict = setList ? `do update set ${setList}${changed}` : "do nothing";
  const statement = sql.join([
    sql.raw(`with written as (insert into ${quote(table.name)} as t (${all.map(quote).join(", ")}) select `),
    sql`${scope.tenantId}::uuid`,
    sql.raw(`, ${names.map((n) => `r.${quote(n)}`).join(", ")} from json_to_recordset(`),
    sql`${toJson(rows)}::json`,
    sql.raw(
      `) as r(${recordType}) on conflict (${table.key.map(quote).join(", ")}) ${conflict} returning 1) select count(*)::int as written from written`,
    ),
  ]);
  // Only the count comes back: returning every row costs a round of decoding per row.
  const [result] = await queryRows<{ written: number }>(scope.db, statement);
  return result?.written ?? 0;
}

/** A value as COPY text format writes it: `\N` for null, the four escapes, JSON for objects. */
function copyField(value: BulkRow[string] | Date): string {
  if (value === null) return "\\N";
  if (typeof value === "string") return escapeCopyText(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number" || typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  return escapeCopyText(toJson(value));
}

const copyEscapes: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const escapeCopyText = (text: string) => text.replace(/[\\\n\r\t]/g, (c) => copyEscapes[c]!);

/** The postgres.js transaction behind a drizzle transaction, or null (PGlite, or not in a transaction). */
function copyClient(db: Database): postgres.TransactionSql | null {
  // drizzle's PostgresJsTransaction keeps the postgres.js TransactionSql as session.client (drizzle-orm 0.45);
  // only a TransactionSql has savepoint().
  const client = (db as unknown as { session?: { client?: Partial<postgres.TransactionSql> } }).session?.client;
  return typeof client?.savepoint === "function" && typeof client.unsafe === "function"
    ? (client as postgres.TransactionSql)
    : null;
}

/**
 * The backfill path: COPYs rows expected to be new, in a savepoint of the caller's transaction. Returns false, having
 * written nothing, when the driver has no COPY (PGlite) or a row is already there; the caller then upserts.
 */
export async function copyNewRows(scope: TenantScope, table: BulkTable, rows: BulkRow[]): Promise<boolean> {
  const client = copyClient(scope.db);
  if (client === null) return false;
  if (rows.length === 0) return true;
  const names = Object.keys(table.columns);
  const columns = ["tenant_id", ...names].map(quote).join(", ");
  try {
    await client.savepoint(async (savepoint) => {
      const writable = await savepoint.unsafe(`copy ${quote(table.name)} (${columns}) from stdin`).writable();
      const values = rows.map((row) => names.map((name) => row[name] ?? null));
      await pipeline(Readable.from(copyChunks(scope.tenantId, values)), writable);
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Rows as COPY text lines, tenant_id first, in chunks of about `chunkChars`: the server parses one while the next is
 * built (two cores at work, not one after the other).
 */
export function* copyChunks(
  tenantId: string,
  rows: Iterable<Array<BulkRow[string] | Date>>,
  chunkChars = 65_536,
): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    chunk += `${tenantId}\t${row.map(copyField).join("\t")}\n`;
    if (chunk.length > chunkChars) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}
