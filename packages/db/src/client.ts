// Opens the database: embedded PGlite (a folder on disk, or memory) or PostgreSQL over postgres.js.
import net from "node:net";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Either driver behind one type: everything above packages/db sees only this. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  | { kind: "pglite"; dataDir: string | null /* null: in memory */; loadDataDir?: Blob }
  | { kind: "postgres"; url: string; maxConnections?: number };

export interface DatabaseHandle {
  readonly kind: DatabaseTarget["kind"];
  readonly db: Database;
  /** The PGlite instance (embedded only): tests dump and clone its data directory. */
  readonly pglite: PGlite | null;
  /** The postgres.js client (Postgres only): tests and the bench reach the server through it. */
  readonly postgres: postgres.Sql | null;
  close(): Promise<void>;
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === "pglite") {
    const pglite = await PGlite.create({
      ...(target.dataDir ? { dataDir: target.dataDir } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    });
    const db = drizzlePglite(pglite, { schema }) as unknown as Database;
    return { kind: "pglite", db, pglite, postgres: null, close: () => pglite.close() };
  }
  const client = postgres(target.url, {
    max: target.maxConnections ?? 10,
    onnotice: () => {},
    // bigint columns come back as strings; drizzle maps them to bigint.
    // A documented option (postgres.js README, "Custom socket") its types leave out.
    ...({ socket: noDelaySocket } as object),
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return { kind: "postgres", db, pglite: null, postgres: client, close: () => client.end({ timeout: 5 }) };
}

/**
 * postgres.js's own socket keeps Nagle's algorithm on, so a COPY's last small write (CopyDone) waits for the
 * server's delayed ACK: ~40 ms a COPY. This one is the same TCP (or Unix) socket with it off.
 */
function noDelaySocket(options: { host: string[]; port: number[]; path?: string | false }): net.Socket {
  const socket = new net.Socket();
  socket.setNoDelay(true);
  if (options.path) return socket.connect(options.path);
  // The first host: Reckon's database URLs name one.
  const [host, port] = [options.host[0]!, options.port[0]!];
  // postgres.js reads these back for TLS's server name, as it does on its own sockets.
  return Object.assign(socket.connect(port, host), { host, port });
}

/** Runs raw SQL and returns its rows, whichever driver answers (postgres.js gives an array, PGlite `{ rows }`). */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** A unique index refused the write (Postgres 23505), however deep the driver wrapped the error. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; typeof e === "object" && e !== null; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
