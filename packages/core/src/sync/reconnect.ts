// A source whose grant the provider revoked: marked needs_reconnect, and left alone until an admin reconnects it.
import { queryRows, type SyncSource } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";

export type ConnectionStatus = "connected" | "needs_reconnect";

/** The stored connection's status, or null when the source is not connected. */
export async function connectionStatus(ctx: TenantContext, source: SyncSource): Promise<ConnectionStatus | null> {
  const [row] = await queryRows<{ status: ConnectionStatus }>(
    ctx.tenant.db,
    sql`select status from source_connections where tenant_id = ${ctx.tenant.tenantId}::uuid and source = ${source}`,
  );
  return row?.status ?? null;
}

/**
 * Marks the source as needing reconnection. Syncs skip it from then on (asking the token endpoint again with a refused
 * grant only gets the app throttled); saving new credentials (`saveConnection`) sets it connected again.
 */
export async function markNeedsReconnect(ctx: TenantContext, source: SyncSource): Promise<void> {
  await queryRows(
    ctx.tenant.db,
    sql`update source_connections set status = 'needs_reconnect', updated_at = now()
        where tenant_id = ${ctx.tenant.tenantId}::uuid and source = ${source} and status <> 'needs_reconnect'`,
  );
}
