// Verb (the Slack bot): record the messages it posted for a retry request, so it can update both on the decision.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { AccessDenied, can } from "../access/actor";
import type { TenantContext } from "../context";
import { slackChannelId, slackTs } from "../flags/attachFlagThread";
import { getPaymentRetry } from "./listPaymentRetries";
import type { PaymentRetry } from "./paymentRetry";

export const attachPaymentRetryMessageInput = z
  .object({
    retryId: z.string().uuid("a payment retry id (uuid)"),
    /** "request": the message to the requester; "approval": the one with Approve / Reject in the finance channel. */
    message: z.enum(["request", "approval"]),
    channelId: slackChannelId,
    ts: slackTs,
  })
  .strict();

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
  const retry = await getPaymentRetry({ ctx, input: { retryId } });
  if (!retry) return null;
  const [channel, stamp] =
    message === "request"
      ? [sql.raw("request_channel_id"), sql.raw("request_message_ts")]
      : [sql.raw("approval_channel_id"), sql.raw("approval_message_ts")];
  await queryRows(
    ctx.tenant.db,
    sql`update payment_retry_requests set ${channel} = ${channelId}, ${stamp} = ${ts}, updated_at = now()
        where tenant_id = ${ctx.tenant.tenantId}::uuid and id = ${retryId}::uuid and ${stamp} is null`,
  );
  return getPaymentRetry({ ctx, input: { retryId } });
}
