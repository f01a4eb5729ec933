// Test databases: a migrated PGlite cloned per test file, and a fresh Postgres database cloned from a migrated template.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../src/client";
import { migrate, migrationsFolder } from "../src/migrate";

/** Services are required in CI: a missing one fails the run instead of skipping the suite. */
export const servicesRequired = process.env.RECKON_REQUIRE_SERVICES === "1";
export const postgresAdminUrl = process.env.RECKON_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const redisUrl = process.env.RECKON_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

let pgliteTemplate: Promise<Blob> | null = null;

/** A migrated, empty PGlite in memory; migrations run once per process, then the data dir is cloned (~0.6 s). */
export async function freshPglite(): Promise<DatabaseHandle> {
  pgliteTemplate ??= (async () => {
    const handle = await openDatabase({ kind: "pglite", dataDir: null });
    await migrate(handle);
    const dump = await (handle.pglite as PGlite).dumpDataDir("none");
    await handle.close();
    return dump;
  })();
  return openDatabase({ kind: "pglite", dataDir: null, loadDataDir: await pgliteTemplate });
}

async function postgresReachable(): Promise<boolean> {
  const admin = postgres(postgresAdminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await admin.end({ timeout: 1 });
  }
}

/** Whether Postgres tests run here: true when reachable; when not, a failure if services are required. */
export async function postgresAvailable(): Promise<boolean> {
  const reachable = await postgresReachable();
  if (!reachable && servicesRequired) {
    throw new Error(`PostgreSQL is required (RECKON_REQUIRE_SERVICES=1) but ${postgresAdminUrl} is not reachable`);
  }
  return reachable;
}

// One template per migration set, shared by parallel test workers (an advisory lock guards its creation).
const templateName = `reckon_template_${migrationsHash()}`;
let templateReady: Promise<void> | null = null;

function migrationsHash(): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(migrationsFolder).sort()) {
    if (file.endsWith(".sql")) hash.update(readFileSync(`${migrationsFolder}/${file}`));
  }
  return hash.digest("hex").slice(0, 12);
}

/** A new database cloned from a migrated template: each test file gets its own, dropped on close. */
export async function freshPostgres(): Promise<DatabaseHandle & { url: string }> {
  const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
  try {
    templateReady ??= (async () => {
      await admin`select pg_advisory_lock(4242)`;
      try {
        const [existing] = await admin`select 1 from pg_database where datname = ${templateName}`;
        if (existing) return;
        await admin.unsafe(`create database ${templateName}`);
        const handle = await openDatabase({ kind: "postgres", url: withDatabase(templateName), maxConnections: 1 });
        await migrate(handle);
        await handle.close();
      } finally {
        await admin`select pg_advisory_unlock(4242)`;
      }
    })();
    await templateReady;
    const name = `reckon_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await admin.unsafe(`create database ${name} template ${templateName}`);
    const url = withDatabase(name);
    const handle = await openDatabase({ kind: "postgres", url });
    return {
      ...handle,
      url,
      close: async () => {
        await handle.close();
        const cleanup = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      },
    };
  } finally {
    await admin.end();
  }
}

export function withDatabase(name: string): string {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
