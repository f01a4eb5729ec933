// The short-lived handles Slack gives an app with each interaction: trigger ids (views.open within 3 s, once) and
// response URLs (up to 5 posts within 30 minutes).
import { randomBytes } from "node:crypto";
import type { SlackWorkspace } from "./workspace.js";

/** Where a response URL's posts land. */
export interface ResponseUrlContext {
  kind: "command" | "action";
  /** Channel id the interaction happened in. */
  channel: string;
  /** The user who invoked it: ephemeral responses are for them. */
  user: string;
  /** For an action: the message the button was on, which replace_original / delete_original act on. */
  originalTs: string | null;
}

export interface IssuedResponseUrl extends ResponseUrlContext {
  url: string;
  issuedAt: Date;
  uses: number;
  /** The last message posted through this URL (a command's response, which replace_original replaces). */
  lastPostedTs: string | null;
}

export type TriggerCheck = "ok" | "invalid_trigger_id" | "expired_trigger_id" | "exchanged_trigger_id";

export interface InteractionOptions {
  /** How long a trigger id works: 3 s, as at Slack. */
  triggerTtlMs?: number;
  /** How long a response URL works: 30 minutes, as at Slack. */
  responseUrlTtlMs?: number;
  /** Posts one response URL takes: 5, as at Slack. */
  responseUrlMaxUses?: number;
}

export interface Interactions {
  issueTriggerId(user: string): string;
  /** Uses a trigger id up (views.open / views.push), or says why it cannot be used. */
  exchangeTrigger(triggerId: string): TriggerCheck;
  /** The user a trigger id was issued for. */
  triggerUser(triggerId: string): string | undefined;
  issueResponseUrl(origin: string, context: ResponseUrlContext): string;
  responseUrl(path: string): IssuedResponseUrl | undefined;
  readonly responseUrlTtlMs: number;
  readonly responseUrlMaxUses: number;
}

export function createInteractions(
  workspace: SlackWorkspace,
  now: () => Date,
  options: InteractionOptions = {},
): Interactions {
  const triggerTtlMs = options.triggerTtlMs ?? 3_000;
  const triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  const responseUrls = new Map<string, IssuedResponseUrl>();
  let counter = 0;
  return {
    responseUrlTtlMs: options.responseUrlTtlMs ?? 30 * 60_000,
    responseUrlMaxUses: options.responseUrlMaxUses ?? 5,
    issueTriggerId: (user) => {
      counter++;
      // Slack's look like "13345224609.738474920.8088930838d88f008e0".
      const id = `${now().getTime()}${counter}.${738474920 + counter}.${randomBytes(10).toString("hex")}`;
      triggers.set(id, { user, issuedAt: now().getTime(), used: false });
      return id;
    },
    exchangeTrigger: (triggerId) => {
      const trigger = triggers.get(triggerId);
      if (!trigger) return "invalid_trigger_id";
      if (trigger.used) return "exchanged_trigger_id";
      if (now().getTime() - trigger.issuedAt > triggerTtlMs) return "expired_trigger_id";
      trigger.used = true;
      return "ok";
    },
    triggerUser: (triggerId) => triggers.get(triggerId)?.user,
    issueResponseUrl: (origin, context) => {
      counter++;
      const path = `/${context.kind === "command" ? "commands" : "actions"}/${workspace.team.id}/${
        7_000_000_000 + counter
      }/${randomBytes(12).toString("base64url")}`;
      const url = `${origin}${path}`;
      responseUrls.set(path, { ...context, url, issuedAt: now(), uses: 0, lastPostedTs: null });
      return url;
    },
    responseUrl: (path) => responseUrls.get(path),
  };
}
