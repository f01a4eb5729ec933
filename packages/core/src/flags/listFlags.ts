// Verb: flags newest first, by account and status, paged by cursor; account managers see their own accounts' only.
import { flagStatuses, queryRows } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { visibleAccounts } from "../access/visibility";
import { newestFirst, pageQuery, visibleAccount } from "../actions/actionRecord";
import type { TenantContext } from "../context";
import { type Flag, type FlagRow, flagQuery, toFlag } from "./flag";

export const listFlagsQuery = z.object({ status: z.enum(flagStatuses).optional(), ...pageQuery }).strict();
export const listFlagsInput = listFlagsQuery.extend({ accountId: z.string().uuid("an account id (uuid)").optional() });

export interface FlagPage {
  flags: Flag[];
  nextCursor: string | null;
}

/** A page of flags; null when `accountId` names no account the actor may see (the caller answers 404). */
export async function listFlags({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof listFlagsInput>;
}): Promise<FlagPage | null> {
  const filters = listFlagsInput.parse(input);
  const db = ctx.tenant.db;
  if (filters.accountId && !(await visibleAccount(ctx, db, filters.accountId))) return null;
  const paging = newestFirst("f", filters);
  // The query joins the account as `a`, so visibility narrows on its owner directly.
  const conditions: SQL[] = [
    sql`f.tenant_id = ${ctx.tenant.tenantId}::uuid`,
    visibleAccounts(ctx.actor, sql`a.owner_id`),
  ];
  if (filters.accountId) conditions.push(sql`f.account_id = ${filters.accountId}::uuid`);
  if (filters.status) conditions.push(sql`f.status = ${filters.status}`);
  if (paging.after) conditions.push(paging.after);
  const rows = await queryRows<FlagRow>(db, flagQuery(sql.join(conditions, sql` and `), paging.tail));
  const page = paging.page(rows);
  return { flags: page.rows.map(toFlag), nextCursor: page.nextCursor };
}

/** An account's open flags (newest first, at most `limit`) and how many there are: the account page's part. */
export async function loadOpenFlags(
  ctx: TenantContext,
  accountId: string,
  limit = 20,
): Promise<{ flags: Flag[]; openCount: number }> {
  const rows = await queryRows<FlagRow & { open_count: number }>(
    ctx.tenant.db,
    sql`select page.*, (select count(*)::int from flags c where c.tenant_id = ${ctx.tenant.tenantId}::uuid
                          and c.account_id = ${accountId}::uuid and c.status = 'open') as open_count
        from (${flagQuery(
          sql`f.tenant_id = ${ctx.tenant.tenantId}::uuid and f.account_id = ${accountId}::uuid and f.status = 'open'`,
          sql`order by f.created_at desc, f.id desc limit ${limit}`,
        )}) page order by page.created_at desc, page.id desc`,
  );
  return { flags: rows.map(toFlag), openCount: rows[0]?.open_count ?? 0 };
}
