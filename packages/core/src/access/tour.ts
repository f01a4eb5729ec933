// Verbs: what a signed-in person's web pages remember and show them: the first-login tour (dismissed per user, on
// every device) and the tenant's time zone instants are shown in.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";

/** Whether the signed-in user still gets the tour; never for the system actor. */
export async function tourPending(ctx: TenantContext): Promise<boolean> {
  if (ctx.actor.kind !== "user") return false;
  const [row] = await queryRows<{ pending: boolean }>(
    ctx.tenant.db,
    sql`select tour_dismissed_at is null as pending from users
        where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${ctx.actor.userId}::uuid`,
  );
  return row?.pending ?? false;
}

/** Dismisses the tour for the signed-in user (again is a no-op); `restart` brings it back. */
export async function setTourDismissed(ctx: TenantContext, dismissed: boolean): Promise<void> {
  if (ctx.actor.kind !== "user") return;
  await queryRows(
    ctx.tenant.db,
    sql`update users set tour_dismissed_at = ${dismissed ? sql`coalesce(tour_dismissed_at, now())` : sql`null`}
        where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${ctx.actor.userId}::uuid`,
  );
}

/** The tenant's time zone (IANA name), for pages that show instants in it; UTC for a tenant that has none. */
export async function tenantTimeZone(ctx: TenantContext): Promise<string> {
  const [row] = await queryRows<{ time_zone: string }>(
    ctx.tenant.db,
    sql`select time_zone from tenants where id = ${ctx.tenant.tenantId}::uuid`,
  );
  return row?.time_zone ?? "UTC";
}
