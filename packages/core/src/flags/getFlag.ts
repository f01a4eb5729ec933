// Verb: one flag by id, or null when it is not in this tenant or its account is not the actor's to see.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";
import { type Flag, type FlagRow, flagQuery, toFlag } from "./flag";
import { flagIdInput } from "./resolveFlag";

export async function getFlag({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof flagIdInput>;
}): Promise<Flag | null> {
  const { flagId } = flagIdInput.parse(input);
  const [row] = await queryRows<FlagRow>(
    ctx.tenant.db,
    flagQuery(
      sql`f.tenant_id = ${ctx.tenant.tenantId}::uuid and f.id = ${flagId}::uuid
          and exists (select 1 from accounts a where a.tenant_id = f.tenant_id and a.id = f.account_id
                      and ${visibleAccounts(ctx.actor, sql`a.owner_id`)})`,
    ),
  );
  return row ? toFlag(row) : null;
}
