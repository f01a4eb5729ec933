// Everything one Slack sandbox holds, and the pieces of Slack's answers its handlers share.
import type { ChatPostMessageResponse } from "@slack/web-api";
import { z } from "zod";
import { slackErrorMessages } from "./blockSchema.js";
import type { SlackFaultState } from "./faults.js";
import type { Interactions } from "./interactions.js";
import type { SlackMessage, SlackStore } from "./records.js";
import type { SlackChannel, SlackWorkspace } from "./workspace.js";

export interface SlackState {
  workspace: SlackWorkspace;
  store: SlackStore;
  interactions: Interactions;
  faults: SlackFaultState;
  now: () => Date;
  /** http://host:port, known once the server listens. */
  origin: () => string;
}

/** An expected Slack error answer: HTTP 200 with `{ ok: false, error }` (and Slack's extra fields, if any). */
export class SlackError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export type SlackMethod = (state: SlackState, args: Record<string, unknown>) => Record<string, unknown>;

/** Form bodies carry "true" / "1"; JSON bodies carry booleans. */
export const flag = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1"),
]);
/** Form bodies carry objects and arrays as JSON strings (as @slack/web-api sends `blocks`, `view`, `metadata`). */
export const jsonField = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }, schema);
/** A ts: strings as they are; a number (a bot that lost the string) as JavaScript prints it, as Slack would get it. */
export const tsField = z.union([z.string().min(1), z.number().transform(String)]);

/** Parses method arguments, answering invalid_arguments / invalid_blocks / invalid_blocks_format as Slack does. */
export function parseArgs<T extends z.ZodType>(schema: T, args: Record<string, unknown>): z.output<T> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  if (first.path.length === 1 && first.code === "invalid_type" && args[String(first.path[0])] === undefined) {
    throw new SlackError("invalid_arguments", {
      response_metadata: { messages: [`[ERROR] missing required field: ${String(first.path[0])}`] },
    });
  }
  const messages = slackErrorMessages(parsed.error, "");
  if (first.path[0] === "blocks") {
    const notArray = first.path.length === 1 && first.code === "invalid_type";
    throw new SlackError(notArray ? "invalid_blocks_format" : "invalid_blocks", { response_metadata: { messages } });
  }
  throw new SlackError("invalid_arguments", { response_metadata: { messages } });
}

/** A channel the bot can post to, by id, name, "#name", or a user id (the bot's direct message with them). */
export function postableChannel(state: SlackState, ref: string): SlackChannel {
  const { workspace } = state;
  const user = /^[UW]/.test(ref) ? workspace.user(ref) : undefined;
  const channel = user && user.id === ref && !user.isBot ? workspace.imWith(user.id) : workspace.channel(ref);
  // A private channel the bot is not in does not exist as far as the bot can tell.
  if (!channel || (channel.isPrivate && !channel.members.includes(workspace.bot.userId))) {
    throw new SlackError("channel_not_found");
  }
  if (channel.isArchived) throw new SlackError("is_archived");
  if (!channel.members.includes(workspace.bot.userId)) throw new SlackError("not_in_channel");
  return channel;
}

type MessageJson = NonNullable<ChatPostMessageResponse["message"]>;

/** A message as the Web API returns it (`message` in chat.postMessage / chat.update answers). */
export function messageJson(state: SlackState, message: SlackMessage): MessageJson {
  const { bot, team } = state.workspace;
  const fromBot = message.botId !== null;
  return {
    type: "message",
    ...(message.botId !== null ? { bot_id: message.botId, app_id: bot.appId } : {}),
    text: message.text,
    user: message.user,
    ts: message.ts,
    team: team.id,
    // What the bot sent, kept as sent: the generated response types describe blocks by example only.
    ...(message.blocks.length > 0 ? { blocks: message.blocks as MessageJson["blocks"] } : {}),
    ...(message.attachments.length > 0 ? { attachments: message.attachments as MessageJson["attachments"] } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: parentUser(state, message) } : {}),
    ...(message.metadata ? { metadata: message.metadata } : {}),
    ...(message.edited ? { edited: message.edited } : {}),
    ...(fromBot
      ? {
          bot_profile: {
            id: bot.botId,
            app_id: bot.appId,
            name: bot.name,
            deleted: false,
            team_id: team.id,
            updated: 1_700_000_000,
            icons: { image_36: "", image_48: "", image_72: "" },
          },
        }
      : {}),
  };
}

function parentUser(state: SlackState, message: SlackMessage): string | undefined {
  return message.threadTs ? state.store.records.message(message.channel, message.threadTs)?.user : undefined;
}
