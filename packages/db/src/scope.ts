// Tenant scoping by construction: every query function takes a TenantScope, and only this module makes one.
import { and, eq, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database } from "./client";

declare const scoped: unique symbol;

/** A database handle bound to one tenant. Query functions accept nothing else. */
export interface TenantScope {
  readonly db: Database;
  readonly tenantId: string;
  readonly [scoped]: true;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function tenantScope(db: Database, tenantId: string): TenantScope {
  if (!uuidPattern.test(tenantId)) throw new Error(`tenantScope: "${tenantId}" is not a tenant id`);
  return { db, tenantId } as TenantScope;
}

/** Runs `work` in one transaction, still bound to the same tenant. */
export async function inTransaction<T>(scope: TenantScope, work: (tx: TenantScope) => Promise<T>): Promise<T> {
  return scope.db.transaction(async (tx) => work(tenantScope(tx as unknown as Database, scope.tenantId)));
}

/** `table.tenant_id = <scope>` AND any further conditions: the only way queries here build a WHERE. */
export function whereTenant(scope: TenantScope, column: PgColumn, ...conditions: Array<SQL | undefined>): SQL {
  return and(eq(column, scope.tenantId), ...conditions) as SQL;
}
