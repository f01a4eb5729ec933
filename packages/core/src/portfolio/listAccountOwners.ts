// Verb: the people who own accounts, for the grid's owner filter (every owner, not only those on the page shown).
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";

export interface AccountOwner {
  id: string;
  name: string;
}

/** Owners of at least one account the actor may see, by name (an account manager sees only themself). */
export async function listAccountOwners({ ctx }: { ctx: TenantContext }): Promise<AccountOwner[]> {
  return queryRows<AccountOwner>(
    ctx.tenant.db,
    sql`select u.id, u.name from users u
        where u.tenant_id = ${ctx.tenant.tenantId}::uuid
          and exists (select 1 from accounts a where a.tenant_id = u.tenant_id and a.owner_id = u.id
                        and ${visibleAccounts(ctx.actor, sql`a.owner_id`)})
        order by lower(u.name), u.id`,
  );
}
