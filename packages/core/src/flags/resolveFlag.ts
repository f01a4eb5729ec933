// Verb (finance, admin): resolve an open flag with a note; resolving twice answers the first resolution again.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { actingUserId, onVisibleAccount } from "../actions/actionRecord";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { type Flag, type FlagRow, flagQuery, toFlag } from "./flag";
import { flagIdInput } from "./getFlag";

export const resolveFlagBody = z.object({ resolution: z.string().trim().max(2000).optional() }).strict();
export const resolveFlagInput = resolveFlagBody.extend(flagIdInput.shape).strict();

export type ResolveFlagResult =
  /** `alreadyResolved`: someone resolved it before (a double click): the flag as they left it, nothing changed. */
  { ok: true; flag: Flag; alreadyResolved: boolean } | { ok: false; reason: "not_found" };

export async function resolveFlag({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof resolveFlagInput>;
}): Promise<ResolveFlagResult> {
  authorize(ctx.actor, "flags.resolve");
  const { flagId, resolution } = resolveFlagInput.parse(input);
  const mine = sql`${onVisibleAccount(ctx, "f")} and f.id = ${flagId}::uuid`;
  return inTransaction(ctx.tenant, async (tx) => {
    // The guard on status makes a concurrent second resolve a no-op that reads the first one's answer.
    const [resolved] = await queryRows<{ id: string }>(
      tx.db,
      sql`update flags f set status = 'resolved', resolved_at = now(), resolution = ${resolution || null},
                             resolved_by = ${actingUserId(ctx.actor)}::uuid
          where ${mine} and f.status = 'open'
          returning f.id`,
    );
    const [row] = await queryRows<FlagRow>(tx.db, flagQuery(mine));
    if (!row) return { ok: false, reason: "not_found" } as const;
    const flag = toFlag(row);
    if (resolved) {
      await recordAudit(
        { ...ctx, tenant: tx },
        {
          action: "flag.resolved",
          target: { type: "flag", id: flag.id },
          details: {
            accountId: flag.account.id,
            reason: flag.reason,
            ...(flag.resolution ? { resolution: flag.resolution } : {}),
          },
        },
      );
    }
    return { ok: true, flag, alreadyResolved: !resolved } as const;
  });
}
