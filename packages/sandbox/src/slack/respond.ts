// What a response_url post (or a slash command's acknowledgement body) does to the conversation: post in the
// channel or to the invoking user only, replace or delete the original message.
import { z } from "zod";
import { blocksSchema, slackErrorMessages } from "./blockSchema.js";
import { newBotMessage } from "./chatMethods.js";
import type { IssuedResponseUrl, ResponseUrlContext } from "./interactions.js";
import type { SlackResponsePost } from "./records.js";
import { flag, type SlackState } from "./state.js";

/** Slack's message payload for response URLs (docs.slack.dev, "Handling user interaction": message responses). */
export const responseBodySchema = z.looseObject({
  text: z.string().optional(),
  blocks: blocksSchema(50).optional(),
  attachments: z.array(z.looseObject({})).optional(),
  response_type: z.enum(["ephemeral", "in_channel"]).optional(),
  replace_original: flag.optional(),
  delete_original: flag.optional(),
  thread_ts: z.string().optional(),
  metadata: z.looseObject({}).optional(),
});

export type ResponseOutcome = Pick<SlackResponsePost, "status" | "outcome" | "error" | "channel" | "ts"> & {
  messages?: string[];
};

const rejected = (status: number, error: string, messages?: string[]): ResponseOutcome => ({
  status,
  outcome: "rejected",
  error,
  channel: null,
  ts: null,
  ...(messages ? { messages } : {}),
});

/**
 * Applies a response to the conversation it belongs to. `target` is where a replace or delete lands: the message an
 * action's button was on, or the last response a command's URL posted.
 */
export function applyResponse(
  state: SlackState,
  context: ResponseUrlContext & { lastPostedTs?: string | null },
  raw: unknown,
  via: "response_url" | "command_ack",
): ResponseOutcome {
  const parsed = responseBodySchema.safeParse(raw);
  if (!parsed.success) return rejected(400, "invalid_blocks", slackErrorMessages(parsed.error, ""));
  const body = parsed.data;
  const targetTs = context.kind === "action" ? context.originalTs : (context.lastPostedTs ?? null);
  const target = targetTs ? state.store.records.message(context.channel, targetTs) : undefined;
  if (body.delete_original) {
    if (!target || target.deleted) return rejected(404, "message_not_found");
    target.deleted = true;
    state.store.changed();
    return { status: 200, outcome: "deleted", error: null, channel: target.channel, ts: target.ts };
  }
  if (!body.text && !body.blocks?.length && !body.attachments?.length) return rejected(400, "no_text");
  if (body.replace_original && target && !target.deleted) {
    target.edits.push({
      text: target.text,
      blocks: target.blocks,
      attachments: target.attachments,
      replacedAt: state.now(),
      replacedVia: "response_url",
    });
    // A replacement is a whole new message body: what it leaves out is gone.
    target.text = body.text ?? "";
    target.blocks = body.blocks ?? [];
    target.attachments = body.attachments ?? [];
    target.edited = { user: state.workspace.bot.userId, ts: state.store.nextTs() };
    state.store.changed();
    return { status: 200, outcome: "replaced", error: null, channel: target.channel, ts: target.ts };
  }
  const inChannel = body.response_type === "in_channel";
  const parent = body.thread_ts ? state.store.records.message(context.channel, body.thread_ts) : undefined;
  const message = state.store.addMessage(
    newBotMessage(state, {
      channel: context.channel,
      text: body.text ?? "",
      blocks: body.blocks ?? [],
      attachments: body.attachments ?? [],
      metadata: body.metadata ?? null,
      ephemeralTo: inChannel ? null : context.user,
      threadTs: parent ? (parent.threadTs ?? parent.ts) : null,
      via,
    }),
  );
  return { status: 200, outcome: "posted", error: null, channel: message.channel, ts: message.ts };
}

/** A post to an issued response URL: counted against its 5 uses and 30 minutes, applied, recorded. */
export function postToResponseUrl(state: SlackState, issued: IssuedResponseUrl | undefined, url: string, raw: unknown) {
  const { interactions } = state;
  let outcome: ResponseOutcome;
  if (!issued) outcome = rejected(404, "no_service");
  else if (state.now().getTime() - issued.issuedAt.getTime() > interactions.responseUrlTtlMs) {
    outcome = rejected(404, "expired_url");
  } else if (issued.uses >= interactions.responseUrlMaxUses) outcome = rejected(404, "used_url");
  else if (raw === undefined) outcome = rejected(400, "invalid_payload");
  else {
    issued.uses++;
    outcome = applyResponse(state, issued, raw, "response_url");
    if (outcome.outcome === "posted") issued.lastPostedTs = outcome.ts;
  }
  state.store.addResponse({
    url,
    kind: issued?.kind ?? (url.includes("/actions/") ? "action" : "command"),
    at: state.now(),
    body: raw ?? null,
    status: outcome.status,
    outcome: outcome.outcome,
    error: outcome.error,
    channel: outcome.channel,
    ts: outcome.ts,
  });
  return outcome;
}

/** A slash command's acknowledgement body, shown by Slack as the first response (not one of the URL's 5 uses). */
export function recordCommandAck(state: SlackState, responseUrl: string, body: unknown): ResponseOutcome | null {
  const issued = state.interactions.responseUrl(new URL(responseUrl).pathname);
  if (!issued || body === null || typeof body !== "object") return null;
  const outcome = applyResponse(state, issued, body, "command_ack");
  if (outcome.outcome === "posted") issued.lastPostedTs = outcome.ts;
  return outcome;
}
