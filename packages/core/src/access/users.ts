// Verbs (admin): the tenant's users, their roles and passwords. Ownership of accounts follows the user id.
import { inTransaction, queryRows, userRoles } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { authorize } from "./actor";
import { hashPassword } from "./credentials";

const password = z.string().min(12, "at least 12 characters").max(200);

export const createUserInput = z
  .object({
    email: z.string().trim().toLowerCase().email().max(320),
    name: z.string().trim().min(1).max(200),
    role: z.enum(userRoles),
    password: password.optional(),
  })
  .strict();

export const updateUserInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(userRoles).optional(),
    password: password.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, "name at least one of name, role, password, disabled");
export const userIdInput = z.object({ userId: z.string().uuid("a user id") });

export interface UserInfo {
  id: string;
  email: string;
  name: string;
  role: (typeof userRoles)[number];
  canSignIn: boolean;
  disabled: boolean;
  accountsOwned: number;
  identities: Array<{ provider: string; externalId: string }>;
}

export async function listUsers({ ctx }: { ctx: TenantContext }): Promise<UserInfo[]> {
  authorize(ctx.actor, "settings.manage");
  const rows = await queryRows<{
    id: string;
    email: string;
    name: string;
    role: UserInfo["role"];
    can_sign_in: boolean;
    disabled: boolean;
    accounts_owned: number;
    identities: UserInfo["identities"];
  }>(
    ctx.tenant.db,
    sql`select u.id, u.email, u.name, u.role, u.password_hash is not null as can_sign_in, u.disabled_at is not null as disabled,
          (select count(*)::int from accounts a where a.tenant_id = u.tenant_id and a.owner_id = u.id) as accounts_owned,
          coalesce((select json_agg(json_build_object('provider', i.provider, 'externalId', i.external_id) order by i.provider, i.external_id)
                    from user_identities i where i.tenant_id = u.tenant_id and i.user_id = u.id), '[]'::json) as identities
        from users u where u.tenant_id = ${ctx.tenant.tenantId}::uuid order by lower(u.name), u.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    canSignIn: r.can_sign_in,
    disabled: r.disabled,
    accountsOwned: r.accounts_owned,
    identities: r.identities,
  }));
}

export type UserChange =
  | { ok: true; user: UserInfo }
  | { ok: false; reason: "not_found" | "email_taken" | "last_admin" };

async function userById(ctx: TenantContext, userId: string): Promise<UserInfo | undefined> {
  return (await listUsers({ ctx })).find((u) => u.id === userId);
}

export async function createUser({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof createUserInput>;
}): Promise<UserChange> {
  authorize(ctx.actor, "settings.manage");
  const user = createUserInput.parse(input);
  const hash = user.password ? await hashPassword(user.password) : null;
  const [row] = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`insert into users (tenant_id, email, name, role, password_hash)
        values (${ctx.tenant.tenantId}::uuid, ${user.email}, ${user.name}, ${user.role}, ${hash})
        on conflict (tenant_id, email) do nothing returning id`,
  );
  if (!row) return { ok: false, reason: "email_taken" };
  await recordAudit(ctx, {
    action: "user.created",
    target: { type: "user", id: row.id },
    details: { email: user.email, role: user.role },
  });
  return { ok: true, user: (await userById(ctx, row.id))! };
}

export async function updateUser({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof updateUserInput> & z.input<typeof userIdInput>;
}): Promise<UserChange> {
  authorize(ctx.actor, "settings.manage");
  const { userId: rawUserId, ...fields } = input;
  const { userId } = userIdInput.parse({ userId: rawUserId });
  const change = updateUserInput.parse(fields);
  const hash = change.password ? await hashPassword(change.password) : null;
  const now = ctx.clock().toISOString();
  const outcome = await inTransaction(ctx.tenant, async (tx) => {
    const [row] = await queryRows<{ id: string }>(
      tx.db,
      sql`update users set
            name = coalesce(${change.name ?? null}, name),
            role = coalesce(${change.role ?? null}, role),
            password_hash = coalesce(${hash}, password_hash),
            disabled_at = case when ${change.disabled ?? null}::boolean is null then disabled_at
                               when ${change.disabled ?? null}::boolean then coalesce(disabled_at, ${now}::timestamptz)
                               else null end
          where tenant_id = ${tx.tenantId}::uuid and id = ${userId}::uuid returning id`,
    );
    if (!row) return "not_found" as const;
    // A workspace always keeps one admin who can sign in, or nobody could fix its settings.
    const [admins] = await queryRows<{ n: number }>(
      tx.db,
      sql`select count(*)::int as n from users where tenant_id = ${tx.tenantId}::uuid and role = 'admin' and disabled_at is null`,
    );
    if ((admins?.n ?? 0) === 0) throw new LastAdmin();
    await recordAudit(
      { ...ctx, tenant: tx },
      {
        action: "user.updated",
        target: { type: "user", id: userId },
        details: {
          ...(change.name ? { name: change.name } : {}),
          ...(change.role ? { role: change.role } : {}),
          ...(change.password ? { password: "changed" } : {}),
          ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
        },
      },
    );
    return "updated" as const;
  }).catch((error: unknown) => {
    if (error instanceof LastAdmin) return "last_admin" as const;
    throw error;
  });
  if (outcome !== "updated") return { ok: false, reason: outcome };
  return { ok: true, user: (await userById(ctx, userId))! };
}

/** Rolls the change back when it would leave the workspace without an admin. */
class LastAdmin extends Error {}
