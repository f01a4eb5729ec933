// Turns a credential (session cookie, API token) into the tenant context a request acts in, or null.
import { queryRows, tenantScope, type UserRole } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { ServiceContext, TenantContext } from "../context";
import type { Via } from "./actor";
import { secretHash } from "./credentials";

export interface UserRow {
  tenant_id: string;
  user_id: string;
  role: UserRole;
  name: string;
  email: string;
}

/** The context a user acts in, whichever surface they came through. */
export function userContext(
  base: ServiceContext,
  user: UserRow,
  via: Via,
  credentialId: string,
  requestId?: string,
): TenantContext {
  return {
    db: base.db,
    log: base.log,
    secrets: base.secrets,
    clock: base.clock,
    ...(base.accountCache ? { accountCache: base.accountCache } : {}),
    tenant: tenantScope(base.db, user.tenant_id),
    actor: {
      kind: "user",
      userId: user.user_id,
      role: user.role,
      name: user.name,
      email: user.email,
      via,
      credentialId,
    },
    ...(requestId ? { requestId } : {}),
  };
}

/** A signed-in browser's context from its cookie secret; null when unknown, expired, revoked or the user is disabled. */
export async function authenticateSession(
  base: ServiceContext,
  secret: string,
  requestId?: string,
): Promise<TenantContext | null> {
  if (!secret.startsWith("rks_") || secret.length > 200) return null;
  const [row] = await queryRows<UserRow & { session_id: string }>(
    base.db,
    sql`select s.id as session_id, u.tenant_id, u.id as user_id, u.role, u.name, u.email
        from sessions s join users u on u.id = s.user_id and u.tenant_id = s.tenant_id
        where s.secret_hash = ${secretHash(secret)} and s.revoked_at is null
          and s.expires_at > ${base.clock().toISOString()}::timestamptz and u.disabled_at is null`,
  );
  return row ? userContext(base, row, "session", row.session_id, requestId) : null;
}

/**
 * A machine's context from its bearer token; null when unknown, revoked or the user is disabled. Every use is
 * audited and stamps the token's last use.
 */
export async function authenticateApiToken(
  base: ServiceContext,
  token: string,
  requestId?: string,
): Promise<TenantContext | null> {
  if (!token.startsWith("rk_") || token.length > 200) return null;
  const now = base.clock().toISOString();
  // One statement, one commit: stamp the token's last use and audit the use (the hot path of every API call).
  const [row] = await queryRows<UserRow & { token_id: string }>(
    base.db,
    sql`with used as (
          update api_tokens t set last_used_at = ${now}::timestamptz
          from users u
          where t.secret_hash = ${secretHash(token)} and t.revoked_at is null
            and u.id = t.user_id and u.tenant_id = t.tenant_id and u.disabled_at is null
          returning t.id as token_id, u.tenant_id, u.id as user_id, u.role, u.name, u.email),
        audited as (
          insert into audit_log (tenant_id, actor_kind, actor_user_id, via, action, target_type, target_id, request_id, at)
          select tenant_id, 'user', user_id, 'token', 'token.used', 'api_token', token_id::text, ${requestId ?? null}, ${now}::timestamptz
          from used)
        select * from used`,
  );
  return row ? userContext(base, row, "token", row.token_id, requestId) : null;
}
