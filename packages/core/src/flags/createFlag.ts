// Verb: flag an account's issue to finance (any role that works accounts; account managers on their own portfolio).
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize, surfaceOf } from "../access/actor";
import { actingUserId, visibleAccount } from "../actions/actionRecord";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { type Flag, type FlagRow, flagQuery, flagReasons, moneyInput, toFlag } from "./flag";

const flagFields = z.object({
  reason: z.enum(flagReasons),
  note: z.string().trim().max(2000).optional(),
  /** The money at stake, when the person knows it. */
  amount: moneyInput.optional(),
});
const otherNeedsNote: [(flag: { reason: string; note?: string }) => boolean, { message: string; path: string[] }] = [
  (flag) => flag.reason !== "other" || (flag.note ?? "") !== "",
  { message: 'say what is wrong in a note when the reason is "other"', path: ["note"] },
];

/** What a person says about the issue: the route's body (the account comes from the path). */
export const createFlagBody = flagFields.strict().refine(...otherNeedsNote);
export const createFlagInput = flagFields
  .extend({ accountId: z.string().uuid("an account id (uuid)") })
  .strict()
  .refine(...otherNeedsNote);

export type CreateFlagResult = { ok: true; flag: Flag } | { ok: false; reason: "not_found" };

export async function createFlag({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof createFlagInput>;
}): Promise<CreateFlagResult> {
  authorize(ctx.actor, "flags.create");
  const { accountId, reason, note, amount } = createFlagInput.parse(input);
  const t = ctx.tenant.tenantId;
  return inTransaction(ctx.tenant, async (tx) => {
    if (!(await visibleAccount(ctx, tx.db, accountId))) return { ok: false, reason: "not_found" } as const;
    const [created] = await queryRows<{ id: string }>(
      tx.db,
      sql`insert into flags (tenant_id, account_id, reason, note, amount_minor, currency, raised_by, raised_via)
          values (${t}::uuid, ${accountId}::uuid, ${reason}, ${note || null}, ${amount?.minor ?? null}::bigint,
                  ${amount?.currency ?? null}, ${actingUserId(ctx.actor)}::uuid,
                  ${surfaceOf(ctx.actor)})
          returning id`,
    );
    const [row] = await queryRows<FlagRow>(
      tx.db,
      flagQuery(sql`f.tenant_id = ${t}::uuid and f.id = ${created!.id}::uuid`),
    );
    const flag = toFlag(row!);
    await recordAudit(
      { ...ctx, tenant: tx },
      {
        action: "flag.created",
        target: { type: "flag", id: flag.id },
        details: { accountId, reason, amount: flag.amount, via: flag.raisedVia },
      },
    );
    return { ok: true, flag } as const;
  });
}
