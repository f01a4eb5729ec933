// Verb (finance, admin): resolve an open flag with a note; resolving twice answers the first resolution again.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { visibleAccounts } from "../access/visibility";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { type Flag, type FlagRow, flagQuery, toFlag } from "./flag";

export const flagIdInput = z.object({ flagId: z.string().uuid("a flag id (uuid)") });
export const resolveFlagBody = z.object({ resolution: z.string().trim().max(2000).optional() }).strict();
export const resolveFlagInput = resolveFlagBody.extend(flagIdInput.shape).strict();

export type ResolveFlagResult = { ok: true; flag: Flag; alreadyResolved: boolean } | { ok: false; reason: "not_found" };

export async function resolveFlag({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof resolveFlagInput>;
}): Promise<ResolveFlagResult> {
  authorize(ctx.actor, "flags.resolve");
  const { flagId, resolution } = resolveFlagInput.parse(input);
  const t = ctx.tenant.tenantId;
  const visible = sql`exists (select 1 from accounts a where a.tenant_id = f.tenant_id and a.id = f.account_id
                              and ${visibleAccounts(ctx.actor, sql`a.owner_id`)})`;
  return inTransaction(ctx.tenant, async (tx) => {
    // The guard on status makes a concurrent second resolve a no-op that reads the first one's answer.
    const [resolved] = await queryRows<{ id: string }>(
      tx.db,
      sql`update flags f set status = 'resolved', resolved_at = now(), resolution = ${resolution || null},
                             resolved_by = ${ctx.actor.kind === "user" ? ctx.actor.userId : null}::uuid
          where f.tenant_id = ${t}::uuid and f.id = ${flagId}::uuid and f.status = 'open' and ${visible}
          returning f.id`,
    );
    const [row] = await queryRows<FlagRow>(
      tx.db,
      flagQuery(sql`f.tenant_id = ${t}::uuid and f.id = ${flagId}::uuid and ${visible}`),
    );
    if (!row) return { ok: false, reason: "not_found" } as const;
    const flag = toFlag(row);
    if (resolved) {
      await recordAudit(
        { ...ctx, tenant: tx },
        {
          action: "flag.resolved",
          target: { type: "flag", id: flag.id },
          details: { accountId: flag.account.id, reason: flag.reason },
        },
      );
    }
    return { ok: true, flag, alreadyResolved: !resolved } as const;
  });
}
