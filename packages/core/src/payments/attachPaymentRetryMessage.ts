// Verb (the Slack bot): record the messages it posted for a retry request, so it can update both on the decision.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { AccessDenied, can } from "../access/actor";
import { onVisibleAccount, slackChannelId, slackTs } from "../actions/actionRecord";
import type { TenantContext } from "../context";
import { getPaymentRetry } from "./listPaymentRetries";
import { type PaymentRetry, paymentRetryIdInput } from "./paymentRetry";

export const attachPaymentRetryMessageInput = paymentRetryIdInput
  .extend({
    /** "request": the message to the requester; "approval": the one with Approve / Reject in the finance channel. */
    message: z.enum(["request", "approval"]),
    channelId: slackChannelId,
    ts: slackTs,
  })
  .strict();

const columns = {
  request: { channel: sql.raw("request_channel_id"), ts: sql.raw("request_message_ts") },
  approval: { channel: sql.raw("approval_channel_id"), ts: sql.raw("approval_message_ts") },
} as const;

/** The first message recorded stays (a retried Slack post does not move it); null when there is no such request. */
export async function attachPaymentRetryMessage({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof attachPaymentRetryMessageInput>;
}): Promise<PaymentRetry | null> {
  // Whoever may ask for or decide a retry may have the bot post about it.
  if (!can(ctx.actor, "payments.retry.request") && !can(ctx.actor, "payments.retry.approve")) {
    throw new AccessDenied("payments.retry.request");
  }
  const { retryId, message, channelId, ts } = attachPaymentRetryMessageInput.parse(input);
  const column = columns[message];
  await queryRows(
    ctx.tenant.db,
    sql`update payment_retry_requests r set ${column.channel} = ${channelId}, ${column.ts} = ${ts}, updated_at = now()
        where ${onVisibleAccount(ctx, "r")} and r.id = ${retryId}::uuid and r.${column.ts} is null`,
  );
  return getPaymentRetry({ ctx, input: { retryId } });
}
