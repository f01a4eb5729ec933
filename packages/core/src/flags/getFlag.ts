// Verb: one flag by id, or null when it is not in this tenant or its account is not the actor's to see.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { onVisibleAccount } from "../actions/actionRecord";
import type { TenantContext } from "../context";
import { type Flag, type FlagRow, flagQuery, toFlag } from "./flag";

export const flagIdInput = z.object({ flagId: z.string().uuid("a flag id (uuid)") });

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
    flagQuery(sql`${onVisibleAccount(ctx, "f")} and f.id = ${flagId}::uuid`),
  );
  return row ? toFlag(row) : null;
}
