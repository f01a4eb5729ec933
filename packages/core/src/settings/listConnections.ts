// Verb (admin): each source's connection: status and non-secret settings. Sealed credentials never leave the database.
import { queryRows, type SyncSource, syncSourceList } from "@reckon/db";
import { sql } from "drizzle-orm";
import { authorize } from "../access/actor";
import type { TenantContext } from "../context";

export interface ConnectionInfo {
  source: SyncSource;
  status: "connected" | "needs_reconnect" | "not_connected";
  /** Base URLs, realm id and the like; null when the source is not connected. */
  settings: Record<string, string> | null;
  updatedAt: string | null;
}

export async function listConnections({ ctx }: { ctx: TenantContext }): Promise<ConnectionInfo[]> {
  authorize(ctx.actor, "settings.manage");
  // Selects the public columns by name: sealed_secrets is not read at all.
  const rows = await queryRows<{
    source: SyncSource;
    status: "connected" | "needs_reconnect";
    settings: Record<string, string>;
    updated_at: Date | string;
  }>(
    ctx.tenant.db,
    sql`select source, status, settings, updated_at from source_connections
        where tenant_id = ${ctx.tenant.tenantId}::uuid`,
  );
  const bySource = new Map(rows.map((r) => [r.source, r]));
  return [...syncSourceList].sort().map((source) => {
    const row = bySource.get(source);
    return row
      ? {
          source,
          status: row.status,
          settings: row.settings,
          updatedAt: new Date(row.updated_at).toISOString(),
        }
      : { source, status: "not_connected", settings: null, updatedAt: null };
  });
}
