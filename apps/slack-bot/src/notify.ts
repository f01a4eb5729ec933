// The Slack notifier the `slack.notify` job calls: it makes the finance channel's messages (and the requester's
// direct message) match a payment retry request or a flag as it stands now. Posts once, then updates in place.

import { createSlackPoster, type SlackBlocks, type SlackPoster } from "@reckon/connectors";
import {
  attachFlagThread,
  attachPaymentRetryMessage,
  getFlag,
  getPaymentRetry,
  listPaymentRetries,
  loadSlackSettings,
  type SlackNotifier,
  type SlackSubject,
  slackUsersOf,
  type TenantContext,
} from "@reckon/core";
import { approvalMessage, requesterMessage, type SlackMessageContent } from "./blocks/approval";
import { digestMessage } from "./blocks/digest";
import { flagMessage, resolutionText } from "./blocks/flag";

type Client = Pick<SlackPoster, "postMessage" | "update">;
/** Our Block Kit builders are typed by @slack/types; the Web API takes the same blocks under its own type. */
const blocksOf = (content: SlackMessageContent) => content.blocks as unknown as SlackBlocks;

/** A message that exists already is edited; a new one is posted and its ts handed to `remember`. */
async function upsertMessage(
  client: Client,
  existing: { channelId: string; ts: string } | null,
  channel: string,
  content: SlackMessageContent,
  remember: (posted: { channelId: string; ts: string }) => Promise<unknown>,
): Promise<"posted" | "updated"> {
  if (existing) {
    await client.update({
      channel: existing.channelId,
      ts: existing.ts,
      text: content.text,
      blocks: blocksOf(content),
    });
    return "updated";
  }
  const posted = await client.postMessage({ channel, text: content.text, blocks: blocksOf(content) });
  await remember({ channelId: posted.channel, ts: posted.ts });
  return "posted";
}

async function paymentRetryMessages(
  ctx: TenantContext,
  client: Client,
  team: string,
  financeChannel: string,
  id: string,
) {
  const retry = await getPaymentRetry({ ctx, input: { retryId: id } });
  if (!retry) return;
  const history = await listPaymentRetries({ ctx, input: { accountId: retry.account.id, limit: 4 } });
  const earlier = history.retries.filter((r) => r.id !== retry.id && r.requestedAt <= retry.requestedAt);
  await upsertMessage(client, retry.slack.approval, financeChannel, approvalMessage(retry, earlier), (posted) =>
    attachPaymentRetryMessage({ ctx, input: { retryId: id, message: "approval", ...posted } }),
  );
  // The requester's copy goes to their direct messages when they are mapped to this workspace.
  const [requester] = retry.requestedBy ? await slackUsersOf(ctx, retry.requestedBy.id, team) : [];
  if (!retry.slack.request && !requester) return;
  await upsertMessage(client, retry.slack.request, requester ?? "", requesterMessage(retry), (posted) =>
    attachPaymentRetryMessage({ ctx, input: { retryId: id, message: "request", ...posted } }),
  );
}

async function flagMessages(ctx: TenantContext, client: Client, financeChannel: string, id: string) {
  const flag = await getFlag({ ctx, input: { flagId: id } });
  if (!flag) return;
  const done = await upsertMessage(client, flag.slackThread, financeChannel, flagMessage(flag), (posted) =>
    attachFlagThread({ ctx, input: { flagId: id, channelId: posted.channelId, threadTs: posted.ts } }),
  );
  // Resolved after it was posted: say so in its thread too, where the discussion happened.
  if (done === "updated" && flag.status === "resolved" && flag.slackThread) {
    await client.postMessage({
      channel: flag.slackThread.channelId,
      threadTs: flag.slackThread.ts,
      text: resolutionText(flag),
    });
  }
}

export function createSlackNotifier({ client }: { client: Client }): SlackNotifier {
  return {
    async postDigest(channel, content) {
      const message = digestMessage(content);
      return client.postMessage({ channel, text: message.text, blocks: blocksOf(message) });
    },
    async notify(ctx: TenantContext, subject: SlackSubject, id: string) {
      const settings = await loadSlackSettings(ctx, ctx.tenant.tenantId);
      if (!settings?.financeChannelId) {
        ctx.log.warn(
          { subject, id },
          "no finance channel set for this tenant: nothing posted (an admin sets it: PUT /v1/settings/slack)",
        );
        return;
      }
      if (subject === "payment_retry") {
        await paymentRetryMessages(ctx, client, settings.teamId, settings.financeChannelId, id);
      } else {
        await flagMessages(ctx, client, settings.financeChannelId, id);
      }
    },
  };
}

/**
 * The Web API client the notifier posts through: Slack itself, or a sandbox when `slackApiUrl` points at one. It
 * never retries on its own (the job does, with backoff) and turns 429s and refusals into typed errors.
 */
export function slackWebClient(token: string, slackApiUrl?: string): Client {
  return createSlackPoster({ token, ...(slackApiUrl ? { slackApiUrl } : {}) });
}
