// Verbs: API tokens for machines. A token acts as the user who made it; it is shown once and stored hashed.
import { queryRows } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { UserActor } from "./actor";
import { newSecret, secretHash } from "./credentials";

export const createApiTokenInput = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const tokenIdInput = z.object({ tokenId: z.string().uuid("a token id") });

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  user: { id: string; name: string };
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function signedInUser(ctx: TenantContext): UserActor {
  if (ctx.actor.kind !== "user") throw new Error("API tokens belong to users; the system cannot hold one");
  return ctx.actor;
}

/** A token for the caller. The secret is in this answer only. */
export async function createApiToken({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof createApiTokenInput>;
}) {
  const actor = signedInUser(ctx);
  const { name } = createApiTokenInput.parse(input);
  const token = newSecret("rk_");
  const prefix = token.slice(0, 10);
  const [row] = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`insert into api_tokens (tenant_id, user_id, name, prefix, secret_hash, created_at)
        values (${ctx.tenant.tenantId}::uuid, ${actor.userId}::uuid, ${name}, ${prefix}, ${secretHash(token)},
                ${ctx.clock().toISOString()}::timestamptz)
        returning id`,
  );
  await recordAudit(ctx, { action: "token.created", target: { type: "api_token", id: row!.id }, details: { name } });
  return { id: row!.id, name, prefix, token };
}

/** Admins see every token of the tenant; everyone else their own. */
function visibleTo(actor: UserActor): SQL {
  return actor.role === "admin" ? sql`true` : sql`t.user_id = ${actor.userId}::uuid`;
}

export async function listApiTokens({ ctx }: { ctx: TenantContext }): Promise<ApiTokenInfo[]> {
  const actor = signedInUser(ctx);
  const rows = await queryRows<{
    id: string;
    name: string;
    prefix: string;
    user_id: string;
    user_name: string;
    created_at: Date | string;
    last_used_at: Date | string | null;
    revoked_at: Date | string | null;
  }>(
    ctx.tenant.db,
    sql`select t.id, t.name, t.prefix, t.user_id, u.name as user_name, t.created_at, t.last_used_at, t.revoked_at
        from api_tokens t join users u on u.id = t.user_id
        where t.tenant_id = ${ctx.tenant.tenantId}::uuid and ${visibleTo(actor)}
        order by t.created_at desc, t.id`,
  );
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    user: { id: r.user_id, name: r.user_name },
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }));
}

/** Revokes a token the caller may see; false when there is none (another user's or another tenant's answer the same). */
export async function revokeApiToken({ ctx, input }: { ctx: TenantContext; input: z.input<typeof tokenIdInput> }) {
  const actor = signedInUser(ctx);
  const { tokenId } = tokenIdInput.parse(input);
  const rows = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`update api_tokens t set revoked_at = coalesce(t.revoked_at, ${ctx.clock().toISOString()}::timestamptz)
        where t.tenant_id = ${ctx.tenant.tenantId}::uuid and t.id = ${tokenId}::uuid and ${visibleTo(actor)}
        returning t.id`,
  );
  if (rows.length === 0) return false;
  await recordAudit(ctx, { action: "token.revoked", target: { type: "api_token", id: tokenId } });
  return true;
}
