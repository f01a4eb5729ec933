// Verbs: Slack and CRM users mapped to Reckon users (admin), and acting as the mapped user for their requests.
import { identityProviders, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/recordAudit";
import type { ServiceContext, TenantContext } from "../context";
import { authorize } from "./actor";
import { type UserRow, userContext } from "./authenticate";

export const identityInput = z
  .object({
    provider: z.enum(identityProviders),
    /** Slack: "<team id>:<user id>"; HubSpot: "<portal id>:<user id>"; Salesforce: "<org id>:<user id>". */
    externalId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9_.@-]{1,128}$/, "<workspace or org id>:<user id>"),
  })
  .strict();
export type IdentityInput = z.input<typeof identityInput>;

export type IdentityChange = { ok: true } | { ok: false; reason: "not_found" | "taken" };

/** Maps an outside identity to a user of this tenant; one identity acts for one user only. */
export async function mapIdentity({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: IdentityInput & { userId: string };
}): Promise<IdentityChange> {
  authorize(ctx.actor, "settings.manage");
  const userId = z.string().uuid().parse(input.userId);
  const { provider, externalId } = identityInput.parse({ provider: input.provider, externalId: input.externalId });
  const [user] = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`select id from users where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${userId}::uuid`,
  );
  if (!user) return { ok: false, reason: "not_found" };
  const rows = await queryRows<{ user_id: string }>(
    ctx.tenant.db,
    sql`insert into user_identities (tenant_id, provider, external_id, user_id)
        values (${ctx.tenant.tenantId}::uuid, ${provider}, ${externalId}, ${userId}::uuid)
        on conflict (provider, external_id) do update set user_id = excluded.user_id
          where user_identities.tenant_id = excluded.tenant_id
        returning user_id`,
  );
  if (rows.length === 0) return { ok: false, reason: "taken" };
  await recordAudit(ctx, {
    action: "identity.mapped",
    target: { type: "user", id: userId },
    details: { provider, externalId },
  });
  return { ok: true };
}

export async function unmapIdentity({ ctx, input }: { ctx: TenantContext; input: IdentityInput }): Promise<boolean> {
  authorize(ctx.actor, "settings.manage");
  const { provider, externalId } = identityInput.parse(input);
  const rows = await queryRows<{ user_id: string }>(
    ctx.tenant.db,
    sql`delete from user_identities where tenant_id = ${ctx.tenant.tenantId}::uuid and provider = ${provider}
          and external_id = ${externalId} returning user_id`,
  );
  if (rows.length === 0) return false;
  await recordAudit(ctx, {
    action: "identity.unmapped",
    target: { type: "user", id: rows[0]!.user_id },
    details: { provider, externalId },
  });
  return true;
}

/** The context a Slack or CRM request acts in: its mapped user's, or null when nobody mapped that identity. */
export async function actAsIdentity(
  base: ServiceContext,
  identity: IdentityInput,
  requestId?: string,
): Promise<TenantContext | null> {
  const parsed = identityInput.safeParse(identity);
  if (!parsed.success) return null;
  const [row] = await queryRows<UserRow>(
    base.db,
    sql`select u.tenant_id, u.id as user_id, u.role, u.name, u.email
        from user_identities i join users u on u.id = i.user_id and u.tenant_id = i.tenant_id
        where i.provider = ${parsed.data.provider} and i.external_id = ${parsed.data.externalId} and u.disabled_at is null`,
  );
  return row
    ? userContext(base, row, parsed.data.provider, `${parsed.data.provider}:${parsed.data.externalId}`, requestId)
    : null;
}
