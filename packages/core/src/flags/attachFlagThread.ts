// Verb (the Slack bot, acting as the person who raised the flag): record the finance-channel thread it posted in.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";
import { type Flag, type FlagRow, flagQuery, toFlag } from "./flag";

/** Slack's ids: a channel (C..., G... or D...) and a message timestamp ("1712345678.123456"). */
export const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,30}$/, "a Slack channel id such as C0123ABC");
export const slackTs = z.string().regex(/^\d{1,12}\.\d{1,8}$/, "a Slack message ts such as 1712345678.123456");

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
  const t = ctx.tenant.tenantId;
  const visible = sql`exists (select 1 from accounts a where a.tenant_id = f.tenant_id and a.id = f.account_id
                              and ${visibleAccounts(ctx.actor, sql`a.owner_id`)})`;
  return inTransaction(ctx.tenant, async (tx) => {
    await queryRows(
      tx.db,
      sql`update flags f set slack_channel_id = ${channelId}, slack_thread_ts = ${threadTs}
          where f.tenant_id = ${t}::uuid and f.id = ${flagId}::uuid and f.slack_thread_ts is null and ${visible}`,
    );
    const [row] = await queryRows<FlagRow>(
      tx.db,
      flagQuery(sql`f.tenant_id = ${t}::uuid and f.id = ${flagId}::uuid and ${visible}`),
    );
    return row ? toFlag(row) : null;
  });
}
