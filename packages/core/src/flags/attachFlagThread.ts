// Verb (the Slack bot, acting as the person who raised the flag): record the finance-channel thread it posted in.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { onVisibleAccount, slackChannelId, slackTs } from "../actions/actionRecord";
import type { TenantContext } from "../context";
import { type Flag, type FlagRow, flagQuery, toFlag } from "./flag";

export const attachFlagThreadInput = z
  .object({ flagId: z.string().uuid("a flag id (uuid)"), channelId: slackChannelId, threadTs: slackTs })
  .strict();

/** The first thread recorded stays (a retried Slack post does not move it); null when there is no such flag. */
export async function attachFlagThread({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof attachFlagThreadInput>;
}): Promise<Flag | null> {
  authorize(ctx.actor, "flags.create");
  const { flagId, channelId, threadTs } = attachFlagThreadInput.parse(input);
  const mine = sql`${onVisibleAccount(ctx, "f")} and f.id = ${flagId}::uuid`;
  return inTransaction(ctx.tenant, async (tx) => {
    await queryRows(
      tx.db,
      sql`update flags f set slack_channel_id = ${channelId}, slack_thread_ts = ${threadTs}
          where ${mine} and f.slack_thread_ts is null`,
    );
    const [row] = await queryRows<FlagRow>(tx.db, flagQuery(mine));
    return row ? toFlag(row) : null;
  });
}
