// The Slack side of a conversation with a Bolt app: sends its request URL what Slack sends (signed v0 requests for
// slash commands, button clicks, modal submissions and events) and treats the answers as Slack does.
import { createHmac } from "node:crypto";
import {
  blockActionsPayload,
  commandPayload,
  elementAction,
  eventEnvelope,
  findElement,
  viewState,
  viewSubmissionPayload,
} from "./payloads.js";
import { recordCommandAck } from "./respond.js";
import { type RunningSlackSandbox, slackStateOf } from "./start.js";
import type { SlackState } from "./state.js";
import { applyViewAck } from "./viewMethods.js";

/** Slack's v0 signature: "v0=" + hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" with the signing secret. */
export function signSlackRequest(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SlackDeliveryOptions {
  /** "bad" signs with the wrong secret, "missing" sends no X-Slack-Signature; "valid" by default. */
  signature?: "valid" | "bad" | "missing";
  /** X-Slack-Request-Timestamp in seconds; now by default. */
  timestamp?: number;
  /** Moves the timestamp this far into the past (Bolt refuses requests over 5 minutes old). */
  staleBySeconds?: number;
  /** Sends X-Slack-Retry-Num / X-Slack-Retry-Reason, as Slack does when it redelivers an event. */
  retry?: { num: number; reason?: string };
}

export interface SlackDelivery {
  status: number;
  /** The answer parsed as JSON when it is JSON, else its text, null when empty. */
  body: unknown;
  text: string;
  headers: Headers;
  /** Milliseconds from sending to the whole answer: what Slack's 3-second limit measures. */
  ackMs: number;
  /** What the request carried, for checking the app's later responses. */
  responseUrl: string | null;
  triggerId: string | null;
  eventId: string | null;
  request: { contentType: string; body: string };
}

export interface SlackDriverOptions {
  /** The app's request URL, e.g. http://127.0.0.1:3000/slack/events. */
  url: string;
  /** The sandbox the app's Web API client points at: it issues the trigger ids and response URLs. */
  slack: RunningSlackSandbox;
  /** Defaults to the sandbox's signing secret. */
  signingSecret?: string;
}

/** A user: id, email or handle. A channel: id, name or "#name"; a user's direct message with the bot by default. */
export interface SlackDriver {
  command(
    input: { command: string; text?: string; user: string; channel?: string },
    options?: SlackDeliveryOptions,
  ): Promise<SlackDelivery>;
  /** Clicks a button (or picks `value` in a select or overflow) by action id, in a recorded message or view. */
  click(
    input: { user: string; actionId: string; blockId?: string; value?: string } & (
      | { channel: string; messageTs: string }
      | { viewId: string }
    ),
    options?: SlackDeliveryOptions,
  ): Promise<SlackDelivery>;
  /** Submits a recorded modal with `values` (by block id or action id) typed into its inputs, then applies the
   * acknowledgement's response_action (none closes it; errors, update, push, clear) to the recorded view. */
  submitView(
    input: { viewId: string; user?: string; values?: Record<string, string | string[] | null> },
    options?: SlackDeliveryOptions,
  ): Promise<SlackDelivery>;
  /** The user opens the app's Home tab (an app_home_opened event carrying their current home view). */
  appHomeOpened(input: { user: string }, options?: SlackDeliveryOptions): Promise<SlackDelivery>;
  /** Any Events API event, wrapped in Slack's event_callback envelope. */
  event(event: Record<string, unknown>, options?: SlackDeliveryOptions): Promise<SlackDelivery>;
  urlVerification(challenge?: string, options?: SlackDeliveryOptions): Promise<SlackDelivery>;
  /** Sends an earlier request again, freshly signed, as Slack retries (retry 1 with "http_timeout" by default). */
  redeliver(previous: SlackDelivery, options?: SlackDeliveryOptions): Promise<SlackDelivery>;
  /** Sends any body, signed. */
  send(body: string, contentType: string, options?: SlackDeliveryOptions): Promise<SlackDelivery>;
}

const form = "application/x-www-form-urlencoded";
const json = "application/json";

export function createSlackDriver(options: SlackDriverOptions): SlackDriver {
  const state: SlackState | undefined = slackStateOf.get(options.slack);
  if (!state) throw new Error("Slack driver: `slack` must come from startSlackSandbox");
  const { workspace, store } = state;
  const secret = options.signingSecret ?? workspace.signingSecret;
  const person = (ref: string) => {
    const user = workspace.user(ref);
    if (!user || user.isBot) throw new Error(`Slack driver: no user ${ref} in the sandbox workspace`);
    return user;
  };
  const place = (ref: string) => {
    const channel = workspace.channel(ref);
    if (!channel) throw new Error(`Slack driver: no channel ${ref} in the sandbox workspace`);
    return channel;
  };

  const send = async (
    body: string,
    contentType: string,
    delivery: SlackDeliveryOptions = {},
    handles: Partial<Pick<SlackDelivery, "responseUrl" | "triggerId" | "eventId">> = {},
  ): Promise<SlackDelivery> => {
    const timestamp = (delivery.timestamp ?? Math.floor(state.now().getTime() / 1000)) - (delivery.staleBySeconds ?? 0);
    const headers: Record<string, string> = {
      "Content-Type": contentType,
      "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
      "X-Slack-Request-Timestamp": String(timestamp),
    };
    const signature = delivery.signature ?? "valid";
    if (signature !== "missing") {
      headers["X-Slack-Signature"] = signSlackRequest(
        signature === "bad" ? `${secret}-wrong` : secret,
        timestamp,
        body,
      );
    }
    if (delivery.retry) {
      headers["X-Slack-Retry-Num"] = String(delivery.retry.num);
      headers["X-Slack-Retry-Reason"] = delivery.retry.reason ?? "http_timeout";
    }
    const started = performance.now();
    const response = await fetch(options.url, { method: "POST", headers, body });
    const text = await response.text();
    const ackMs = performance.now() - started;
    let parsed: unknown = text === "" ? null : text;
    if (response.headers.get("Content-Type")?.includes("json") && text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return {
      status: response.status,
      body: parsed,
      text,
      headers: response.headers,
      ackMs,
      responseUrl: handles.responseUrl ?? null,
      triggerId: handles.triggerId ?? null,
      eventId: handles.eventId ?? null,
      request: { contentType, body },
    };
  };
  const sendPayload = (payload: unknown, delivery: SlackDeliveryOptions | undefined, handles: Partial<SlackDelivery>) =>
    send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), form, delivery, handles);
  const sendEvent = (event: Record<string, unknown>, delivery?: SlackDeliveryOptions) => {
    const envelope = eventEnvelope(state, event, store.nextTs());
    return send(JSON.stringify(envelope), json, delivery, { eventId: envelope.event_id });
  };

  return {
    command: async (input, delivery) => {
      const user = person(input.user);
      const channel = input.channel ? place(input.channel) : workspace.imWith(user.id);
      const responseUrl = options.slack.issueResponseUrl({
        kind: "command",
        channel: channel.id,
        user: user.id,
        originalTs: null,
      });
      const triggerId = state.interactions.issueTriggerId(user.id);
      const payload = commandPayload(
        state,
        { command: input.command, text: input.text ?? "", user, channel },
        {
          responseUrl,
          triggerId,
        },
      );
      const answer = await send(new URLSearchParams(payload as Record<string, string>).toString(), form, delivery, {
        responseUrl,
        triggerId,
      });
      // Slack shows a 200's JSON body as the command's first response.
      if (answer.status === 200) recordCommandAck(state, responseUrl, answer.body);
      return answer;
    },
    click: async (input, delivery) => {
      const user = person(input.user);
      const triggerId = state.interactions.issueTriggerId(user.id);
      const actionTs = store.nextTs();
      if ("viewId" in input) {
        const recorded = store.records.view(input.viewId);
        if (!recorded) throw new Error(`Slack driver: no view ${input.viewId}`);
        const found = findElement(recorded.view.blocks, input.actionId, input.blockId);
        if (!found) throw new Error(`Slack driver: view ${input.viewId} has no element ${input.actionId}`);
        const action = elementAction(found, input.value, actionTs);
        const payload = blockActionsPayload(state, { user, action, triggerId }, { kind: "view", view: recorded.view });
        return sendPayload(payload, delivery, { triggerId });
      }
      const channel = place(input.channel);
      const message = store.records.message(channel.id, input.messageTs);
      if (!message || message.deleted) throw new Error(`Slack driver: no message ${input.messageTs} in ${channel.id}`);
      if (message.ephemeralTo !== null && message.ephemeralTo !== user.id) {
        throw new Error(`Slack driver: ${user.id} cannot see ephemeral message ${message.ts}`);
      }
      const found = findElement(message.blocks, input.actionId, input.blockId);
      if (!found) throw new Error(`Slack driver: message ${message.ts} has no element ${input.actionId}`);
      const responseUrl = options.slack.issueResponseUrl({
        kind: "action",
        channel: channel.id,
        user: user.id,
        originalTs: message.ts,
      });
      const action = elementAction(found, input.value, actionTs);
      const where = { kind: "message" as const, message, channel, responseUrl };
      return sendPayload(blockActionsPayload(state, { user, action, triggerId }, where), delivery, {
        responseUrl,
        triggerId,
      });
    },
    submitView: async (input, delivery) => {
      const recorded = store.records.view(input.viewId);
      if (recorded?.type !== "modal") throw new Error(`Slack driver: no modal ${input.viewId}`);
      if (recorded.closed) throw new Error(`Slack driver: modal ${input.viewId} is closed`);
      const user = person(input.user ?? recorded.user);
      const view = { ...recorded.view, state: { values: viewState(recorded.view, input.values ?? {}) } };
      recorded.view = view;
      const triggerId = state.interactions.issueTriggerId(user.id);
      const answer = await sendPayload(viewSubmissionPayload(state, { user, view, triggerId }), delivery, {
        triggerId,
      });
      if (answer.status === 200) applyViewAck(state, recorded.id, answer.body);
      return answer;
    },
    appHomeOpened: (input, delivery) => {
      const user = person(input.user);
      const home = store.records.homeView(user.id);
      return sendEvent(
        {
          type: "app_home_opened",
          user: user.id,
          channel: workspace.imWith(user.id).id,
          tab: "home",
          ...(home ? { view: home.view } : {}),
        },
        delivery,
      );
    },
    event: sendEvent,
    urlVerification: (challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", delivery) =>
      send(JSON.stringify({ token: workspace.verificationToken, challenge, type: "url_verification" }), json, delivery),
    redeliver: (previous, delivery = { retry: { num: 1, reason: "http_timeout" } }) =>
      send(previous.request.body, previous.request.contentType, delivery, previous),
    send: (body, contentType, delivery) => send(body, contentType, delivery),
  };
}
