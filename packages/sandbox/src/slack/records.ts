// What the bot did in the sandbox workspace: messages (with threads and edit history), ephemeral messages, views
// and response_url posts, kept for tests to inspect and wait on.
import type { ViewOutput } from "@slack/bolt";
import type { AnyBlock } from "@slack/types";
import type { SlackWorkspace } from "./workspace.js";

export type SlackPostedVia = "chat.postMessage" | "chat.postEphemeral" | "response_url" | "command_ack";

/** What a message looked like before an edit replaced it. */
export interface SlackMessageVersion {
  text: string;
  blocks: AnyBlock[];
  attachments: unknown[];
  /** When the next version replaced this one, and through what. */
  replacedAt: Date;
  replacedVia: "chat.update" | "response_url";
}

export interface SlackMessage {
  /** Channel id (a D... id for direct messages). */
  channel: string;
  ts: string;
  /** The parent's ts when this is a thread reply. */
  threadTs: string | null;
  text: string;
  blocks: AnyBlock[];
  attachments: unknown[];
  metadata: unknown;
  /** The poster: the bot's user id for API posts. */
  user: string;
  botId: string | null;
  /** Set for an ephemeral message: the only user who sees it. */
  ephemeralTo: string | null;
  via: SlackPostedVia;
  replyBroadcast: boolean;
  postedAt: Date;
  /** Earlier versions, oldest first. */
  edits: SlackMessageVersion[];
  edited: { user: string; ts: string } | null;
  deleted: boolean;
  /** A thread_ts that matched no message: Slack then posts to the channel, not a thread (a classic bot bug). */
  unmatchedThreadTs: string | null;
}

/** A view as Slack holds it: what views.* answer and what payloads carry back (Bolt's ViewOutput, app id set). */
export type SlackView = ViewOutput & { app_id: string };

export interface SlackRecordedView {
  id: string;
  type: "modal" | "home";
  user: string;
  /** The view as Slack holds it now (what views.* answered), state included. */
  view: SlackView;
  via: "views.open" | "views.publish" | "views.push" | "response_action";
  openedAt: Date;
  /** Earlier versions, oldest first. */
  versions: SlackView[];
  /** A modal the user submitted (and the app let close) or closed. */
  closed: boolean;
  /** The field errors of the last `response_action: "errors"` acknowledgement. */
  errors: Record<string, string> | null;
}

export interface SlackResponsePost {
  url: string;
  kind: "command" | "action";
  at: Date;
  body: unknown;
  status: number;
  outcome: "posted" | "replaced" | "deleted" | "rejected";
  /** The error answered for a rejected post (used_url, expired_url, no_text, invalid_payload). */
  error: string | null;
  /** The message the post created, replaced or deleted. */
  channel: string | null;
  ts: string | null;
}

export interface SlackRecords {
  /** Messages everyone in the channel sees (id, name or "#name"; all channels when absent), oldest first, without
   * ephemeral or deleted ones. Thread replies included: see `threadTs`. */
  messages(channel?: string): SlackMessage[];
  /** Any message by channel and ts, ephemeral and deleted ones too. */
  message(channel: string, ts: string): SlackMessage | undefined;
  /** Replies in a thread, oldest first (not the parent). */
  thread(channel: string, threadTs: string): SlackMessage[];
  /** Ephemeral messages, optionally for one user (id or email). */
  ephemerals(user?: string): SlackMessage[];
  /** Views opened or published, optionally for one user, oldest first. */
  views(user?: string): SlackRecordedView[];
  view(id: string): SlackRecordedView | undefined;
  /** The user's current App Home view. */
  homeView(user: string): SlackRecordedView | undefined;
  responses(): SlackResponsePost[];
  /** Resolves with the first truthy value of `find`, checked now, after every recorded change and after every
   * request the sandbox answers (so `faults.requests()` can be waited on too); rejects after 5 s by default. */
  waitFor<T>(find: () => T | null | undefined | false, options?: { timeoutMs?: number }): Promise<T>;
  /** Forgets every message, view and response post. */
  clear(): void;
}

/** The store behind SlackRecords, with the writes the Web API and response_url handlers make. */
export interface SlackStore {
  readonly records: SlackRecords;
  nextTs(): string;
  addMessage(message: SlackMessage): SlackMessage;
  addView(view: SlackRecordedView): SlackRecordedView;
  addResponse(post: SlackResponsePost): void;
  /** Call after changing a stored message or view in place. */
  changed(): void;
}

export function createStore(workspace: SlackWorkspace, now: () => Date): SlackStore {
  let messages: SlackMessage[] = [];
  let views: SlackRecordedView[] = [];
  let responses: SlackResponsePost[] = [];
  const watchers = new Set<() => void>();
  let lastMicros = 0;
  const changed = () => {
    for (const watcher of [...watchers]) watcher();
  };
  const channelId = (ref: string) => workspace.channel(ref)?.id ?? ref;
  const userId = (ref: string) => workspace.user(ref)?.id ?? ref;

  const records: SlackRecords = {
    messages: (channel) => {
      const id = channel === undefined ? null : channelId(channel);
      return messages.filter((m) => !m.deleted && m.ephemeralTo === null && (id === null || m.channel === id));
    },
    message: (channel, ts) => messages.find((m) => m.channel === channelId(channel) && m.ts === ts),
    thread: (channel, threadTs) =>
      messages.filter((m) => m.channel === channelId(channel) && m.threadTs === threadTs && !m.deleted),
    ephemerals: (user) => {
      const id = user === undefined ? null : userId(user);
      return messages.filter((m) => m.ephemeralTo !== null && (id === null || m.ephemeralTo === id));
    },
    views: (user) => {
      const id = user === undefined ? null : userId(user);
      return views.filter((v) => id === null || v.user === id);
    },
    view: (id) => views.find((v) => v.id === id),
    homeView: (user) => views.find((v) => v.type === "home" && v.user === userId(user)),
    responses: () => [...responses],
    waitFor: (find, options = {}) => {
      const timeoutMs = options.timeoutMs ?? 5_000;
      return new Promise((resolve, reject) => {
        const check = () => {
          let found: ReturnType<typeof find>;
          try {
            found = find();
          } catch (error) {
            done();
            reject(error);
            return;
          }
          if (found) {
            done();
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`Slack sandbox: nothing matched within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      });
    },
    clear: () => {
      messages = [];
      views = [];
      responses = [];
    },
  };

  return {
    records,
    // Unique and increasing across the workspace: microseconds from the clock, bumped when two posts share one.
    nextTs: () => {
      lastMicros = Math.max(now().getTime() * 1000, lastMicros + 1);
      return `${Math.floor(lastMicros / 1_000_000)}.${String(lastMicros % 1_000_000).padStart(6, "0")}`;
    },
    addMessage: (message) => {
      messages.push(message);
      changed();
      return message;
    },
    addView: (view) => {
      views.push(view);
      changed();
      return view;
    },
    addResponse: (post) => {
      responses.push(post);
      changed();
    },
    changed,
  };
}
