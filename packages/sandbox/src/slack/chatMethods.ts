// chat.postMessage, chat.update and chat.postEphemeral: what they accept, what they record, how they answer.
import type { ChatPostEphemeralResponse, ChatPostMessageResponse, ChatUpdateResponse } from "@slack/web-api";
import { z } from "zod";
import { blocksSchema } from "./blockSchema.js";
import type { SlackMessage } from "./records.js";
import {
  flag,
  jsonField,
  messageJson,
  parseArgs,
  postableChannel,
  SlackError,
  type SlackMethod,
  type SlackState,
  tsField,
} from "./state.js";

const content = {
  text: z.string().optional(),
  blocks: jsonField(blocksSchema(50)).optional(),
  attachments: jsonField(z.array(z.looseObject({})).max(100)).optional(),
};
const postMessageArgs = z.looseObject({
  channel: z.string().min(1),
  ...content,
  thread_ts: tsField.optional(),
  reply_broadcast: flag.optional(),
  metadata: jsonField(z.looseObject({ event_type: z.string(), event_payload: z.looseObject({}) })).optional(),
});
const updateArgs = z.looseObject({
  channel: z.string().min(1),
  ts: tsField,
  ...content,
  metadata: postMessageArgs.shape.metadata,
});
const ephemeralArgs = z.looseObject({
  channel: z.string().min(1),
  user: z.string().min(1),
  ...content,
  thread_ts: tsField.optional(),
});

/** Slack's longest message text. */
const maxTextLength = 40_000;

function checkContent(args: { text?: string | undefined; blocks?: unknown[] | undefined; attachments?: unknown[] }) {
  if (!args.text && !args.blocks?.length && !args.attachments?.length) throw new SlackError("no_text");
  if ((args.text?.length ?? 0) > maxTextLength) throw new SlackError("msg_too_long");
}

/** The thread a reply belongs to: a reply's ts resolves to its parent, as at Slack; no match means no thread. */
function threadOf(state: SlackState, channel: string, threadTs: string | undefined) {
  if (threadTs === undefined) return { threadTs: null, unmatchedThreadTs: null };
  const parent = state.store.records.message(channel, threadTs);
  if (!parent || parent.deleted || parent.ephemeralTo !== null) return { threadTs: null, unmatchedThreadTs: threadTs };
  return { threadTs: parent.threadTs ?? parent.ts, unmatchedThreadTs: null };
}

export function newBotMessage(
  state: SlackState,
  fields: Pick<SlackMessage, "channel" | "text" | "blocks" | "attachments" | "via"> & Partial<SlackMessage>,
): SlackMessage {
  const { bot } = state.workspace;
  return {
    threadTs: null,
    metadata: null,
    ephemeralTo: null,
    replyBroadcast: false,
    edits: [],
    edited: null,
    deleted: false,
    unmatchedThreadTs: null,
    ...fields,
    ts: fields.ts ?? state.store.nextTs(),
    user: bot.userId,
    botId: bot.botId,
    postedAt: state.now(),
  };
}

const postMessage: SlackMethod = (state, raw) => {
  const args = parseArgs(postMessageArgs, raw);
  checkContent(args);
  const channel = postableChannel(state, args.channel);
  const message = state.store.addMessage(
    newBotMessage(state, {
      channel: channel.id,
      text: args.text ?? "",
      blocks: args.blocks ?? [],
      attachments: args.attachments ?? [],
      metadata: args.metadata ?? null,
      replyBroadcast: args.reply_broadcast ?? false,
      via: "chat.postMessage",
      ...threadOf(state, channel.id, args.thread_ts),
    }),
  );
  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    message: messageJson(state, message),
  } satisfies ChatPostMessageResponse;
};

const update: SlackMethod = (state, raw) => {
  const args = parseArgs(updateArgs, raw);
  const channel = postableChannel(state, args.channel);
  const message = state.store.records.message(channel.id, args.ts);
  if (!message || message.deleted || message.ephemeralTo !== null) throw new SlackError("message_not_found");
  if (message.user !== state.workspace.bot.userId) throw new SlackError("cant_update_message");
  checkContent({
    text: args.text ?? message.text,
    blocks: args.blocks ?? message.blocks,
    attachments: args.attachments ?? message.attachments,
  });
  message.edits.push({
    text: message.text,
    blocks: message.blocks,
    attachments: message.attachments,
    replacedAt: state.now(),
    replacedVia: "chat.update",
  });
  // Left-out blocks and attachments are kept (docs: "include an empty array to remove them"); so is left-out text.
  if (args.text !== undefined) message.text = args.text;
  if (args.blocks !== undefined) message.blocks = args.blocks;
  if (args.attachments !== undefined) message.attachments = args.attachments;
  if (args.metadata !== undefined) message.metadata = args.metadata;
  message.edited = { user: state.workspace.bot.userId, ts: state.store.nextTs() };
  state.store.changed();
  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    text: message.text,
    // The same message shape: the two generated response types differ only in their enums' names.
    message: messageJson(state, message) as ChatUpdateResponse["message"],
  } satisfies ChatUpdateResponse;
};

const postEphemeral: SlackMethod = (state, raw) => {
  const args = parseArgs(ephemeralArgs, raw);
  checkContent(args);
  const channel = postableChannel(state, args.channel);
  const user = state.workspace.user(args.user);
  if (!user || user.id !== args.user || user.isBot) throw new SlackError("user_not_found");
  if (!channel.members.includes(user.id)) throw new SlackError("user_not_in_channel");
  const message = state.store.addMessage(
    newBotMessage(state, {
      channel: channel.id,
      text: args.text ?? "",
      blocks: args.blocks ?? [],
      attachments: args.attachments ?? [],
      ephemeralTo: user.id,
      via: "chat.postEphemeral",
      ...threadOf(state, channel.id, args.thread_ts),
    }),
  );
  return { ok: true, message_ts: message.ts } satisfies ChatPostEphemeralResponse;
};

export const chatMethods: Record<string, SlackMethod> = {
  "chat.postMessage": postMessage,
  "chat.update": update,
  "chat.postEphemeral": postEphemeral,
};
