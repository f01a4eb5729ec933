// Verbs: sign in to the web view with workspace, email and password (a session), and sign out.
import { queryRows, tenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/recordAudit";
import { type ServiceContext, systemContext, type TenantContext } from "../context";
import { type UserRow, userContext } from "./authenticate";
import { newSecret, secretHash, spendPasswordCheck, verifyPassword } from "./credentials";

/** How long a web session lasts: a working day and a bit; signing in again is cheap. */
export const sessionHours = 12;

export const signInInput = z.object({
  workspace: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{2,40}$/, "your workspace's short name, such as acme"),
  email: z.string().trim().toLowerCase().email("an email address").max(320),
  password: z.string().min(1, "your password").max(1000),
});
export type SignInInput = z.input<typeof signInInput>;

export type SignInResult =
  | { ok: true; sessionSecret: string; expiresAt: Date; ctx: TenantContext }
  | { ok: false; reason: "invalid_credentials" };

export async function signIn({
  ctx,
  input,
  requestId,
}: {
  ctx: ServiceContext;
  input: SignInInput;
  requestId?: string;
}): Promise<SignInResult> {
  const { workspace, email, password } = signInInput.parse(input);
  const [user] = await queryRows<UserRow & { password_hash: string | null; disabled: boolean }>(
    ctx.db,
    sql`select u.tenant_id, u.id as user_id, u.role, u.name, u.email, u.password_hash, u.disabled_at is not null as disabled
        from tenants t join users u on u.tenant_id = t.id
        where t.slug = ${workspace} and lower(u.email) = ${email}`,
  );
  const passwordOk = user?.password_hash ? await verifyPassword(password, user.password_hash) : false;
  if (!user?.password_hash) await spendPasswordCheck(password);
  if (!user || !passwordOk || user.disabled) {
    if (user) {
      const tenantCtx = {
        ...systemContext(ctx, tenantScope(ctx.db, user.tenant_id)),
        ...(requestId ? { requestId } : {}),
      };
      // Who tried is in the details, never what they typed as a password.
      await recordAudit(tenantCtx, {
        action: "session.sign_in_failed",
        target: { type: "user", id: user.user_id },
        details: { email, reason: user.disabled ? "disabled" : "wrong_password" },
      });
    }
    return { ok: false, reason: "invalid_credentials" };
  }
  const sessionSecret = newSecret("rks_");
  const expiresAt = new Date(ctx.clock().getTime() + sessionHours * 3_600_000);
  const [session] = await queryRows<{ id: string }>(
    ctx.db,
    sql`insert into sessions (tenant_id, user_id, secret_hash, created_at, expires_at)
        values (${user.tenant_id}::uuid, ${user.user_id}::uuid, ${secretHash(sessionSecret)},
                ${ctx.clock().toISOString()}::timestamptz, ${expiresAt.toISOString()}::timestamptz)
        returning id`,
  );
  const sessionCtx = userContext(ctx, user, "session", session!.id, requestId);
  await recordAudit(sessionCtx, { action: "session.signed_in", target: { type: "session", id: session!.id } });
  return { ok: true, sessionSecret, expiresAt, ctx: sessionCtx };
}

/** Ends the session the context came with (a no-op for other credentials). */
export async function signOut({ ctx }: { ctx: TenantContext }): Promise<void> {
  if (ctx.actor.kind !== "user" || ctx.actor.via !== "session") return;
  await queryRows(
    ctx.tenant.db,
    sql`update sessions set revoked_at = ${ctx.clock().toISOString()}::timestamptz
        where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${ctx.actor.credentialId}::uuid and revoked_at is null`,
  );
  await recordAudit(ctx, { action: "session.signed_out", target: { type: "session", id: ctx.actor.credentialId } });
}
