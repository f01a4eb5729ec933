// SlackPoster: the messages Reckon posts, edits and shows to one person in Slack (digests, approvals, flags), over
// @slack/web-api's WebClient; its base URL is configurable so tests and the embedded default use the Slack sandbox.
import { type ChatUpdateArguments, LogLevel, WebClient } from "@slack/web-api";
import { openGate, type RequestGate } from "../gate";
import { SlackCallError, toSlackError } from "./errors";

/** Block Kit blocks as the Web API takes them (`KnownBlock | Block` from @slack/types). */
export type SlackBlocks = Extract<ChatUpdateArguments, { blocks: unknown }>["blocks"];

/** What a message says: `text` is the notification and screen-reader text, and the whole message without blocks. */
export interface SlackMessageContent {
  text: string;
  blocks?: SlackBlocks;
}

/** Where a posted message is: the channel it landed in (a D... id for a direct message) and its ts. */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/** Every method throws SlackCallError (a SourceError: `retryable`, `retryAfterMs`; `answered` says if Slack replied). */
export interface SlackPoster {
  /**
   * chat.postMessage. `channel`: a channel id (C... or G...), or a user id (U...) for the bot's direct message with
   * that person; `threadTs` posts the message as a reply in that thread. Answers where it landed, for `update`.
   */
  postMessage(message: SlackMessageContent & { channel: string; threadTs?: string }): Promise<PostedMessage>;
  /**
   * chat.update: replaces the text (and blocks, when given) of a message the bot posted, found by the `channel` and
   * `ts` postMessage answered. Blocks left out are kept, as Slack does; pass `[]` to remove them.
   */
  update(message: SlackMessageContent & PostedMessage): Promise<PostedMessage>;
  /**
   * chat.postEphemeral: a message only `user` sees, in a channel they are a member of. Slack keeps no copy, so it
   * cannot be updated later. Answers its ts.
   */
  postEphemeral(
    message: SlackMessageContent & { channel: string; user: string; threadTs?: string },
  ): Promise<{ ts: string }>;
}

export interface SlackPosterConfig {
  /** The bot token (xoxb-...). */
  token: string;
  /** Slack's Web API when absent; a local Slack sandbox's `/api/` URL in tests and the embedded default. */
  slackApiUrl?: string;
  /** How long one call may take before it counts as unanswered (default 10 s). */
  timeoutMs?: number;
  /** Admission before each call (a shared rate limit); absent: calls go at once. */
  gate?: RequestGate;
}

export const defaultSlackTimeoutMs = 10_000;

/**
 * A poster on one workspace's bot token. The SDK's own retries are off and 429s are thrown, not waited out: retries
 * belong to the job layer alone, which honours the error's `retryAfterMs`.
 */
export function createSlackPoster(config: SlackPosterConfig): SlackPoster {
  const client = new WebClient(config.token, {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: config.timeoutMs ?? defaultSlackTimeoutMs,
    logLevel: LogLevel.ERROR,
  });
  const gate = config.gate ?? openGate;
  const call = async <T>(method: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await gate.run(request);
    } catch (error) {
      throw toSlackError(method, error);
    }
  };
  const landed = (method: string, answer: { channel?: string; ts?: string }): PostedMessage => {
    if (!answer.channel || !answer.ts) {
      throw new SlackCallError(
        "invalid",
        `slack ${method}: answered without a channel and ts`,
        method,
        null,
        null,
        200,
      );
    }
    return { channel: answer.channel, ts: answer.ts };
  };
  const blocksOf = (content: SlackMessageContent) => (content.blocks ? { blocks: content.blocks } : {});

  return {
    async postMessage(message) {
      const answer = await call("chat.postMessage", () =>
        client.chat.postMessage({
          channel: message.channel,
          text: message.text,
          ...blocksOf(message),
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        }),
      );
      return landed("chat.postMessage", answer);
    },
    async update(message) {
      const answer = await call("chat.update", () =>
        client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, ...blocksOf(message) }),
      );
      return landed("chat.update", answer);
    },
    async postEphemeral(message) {
      const answer = await call("chat.postEphemeral", () =>
        client.chat.postEphemeral({
          channel: message.channel,
          user: message.user,
          text: message.text,
          ...blocksOf(message),
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        }),
      );
      if (!answer.message_ts) {
        throw new SlackCallError(
          "invalid",
          "slack chat.postEphemeral: answered without a ts",
          "chat.postEphemeral",
          null,
          null,
          200,
        );
      }
      return { ts: answer.message_ts };
    },
  };
}
