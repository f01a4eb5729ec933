// views.open, views.push, views.update and views.publish: modals need a fresh trigger id, updates honour `hash`.
import { randomBytes } from "node:crypto";
import type { ViewOutput } from "@slack/bolt";
import { z } from "zod";
import { homeSchema, modalSchema, type ParsedView, viewSchema } from "./blockSchema.js";
import type { SlackRecordedView, SlackView } from "./records.js";
import { jsonField, parseArgs, SlackError, type SlackMethod, type SlackState } from "./state.js";
import { slackId } from "./workspace.js";

const openArgs = z.looseObject({ trigger_id: z.string().min(1), view: jsonField(modalSchema) });
const updateArgs = z.looseObject({
  view_id: z.string().optional(),
  external_id: z.string().optional(),
  hash: z.string().optional(),
  view: jsonField(viewSchema),
});
const publishArgs = z.looseObject({
  user_id: z.string().min(1),
  hash: z.string().optional(),
  view: jsonField(homeSchema),
});

/** The view as Slack answers it: ids, hash, empty state, app and bot ids filled in. Typed as Bolt's ViewOutput (what
 * payloads carry back); @slack/web-api's generated View types blocks with enums that no Block Kit literal fits. */
export function viewOutput(
  state: SlackState,
  view: ParsedView,
  id: string,
  links: { rootViewId?: string | null; previousViewId?: string | null; values?: ViewOutput["state"]["values"] } = {},
): SlackView {
  const { team, bot } = state.workspace;
  const modal = view.type === "modal" ? view : null;
  return {
    ...view,
    id,
    team_id: team.id,
    app_id: bot.appId,
    bot_id: bot.botId,
    app_installed_team_id: team.id,
    type: view.type,
    blocks: view.blocks,
    callback_id: view.callback_id ?? "",
    private_metadata: view.private_metadata ?? "",
    external_id: view.external_id ?? "",
    // Slack gives a home view the title "View Title".
    title: { emoji: true, ...(modal?.title ?? { type: "plain_text", text: "View Title" }) },
    close: modal?.close ? { emoji: true, ...modal.close } : null,
    submit: modal?.submit ? { emoji: true, ...modal.submit } : null,
    clear_on_close: modal?.clear_on_close ?? false,
    notify_on_close: modal?.notify_on_close ?? false,
    state: { values: links.values ?? {} },
    hash: `${Math.floor(state.now().getTime() / 1000)}.${randomBytes(4).toString("hex")}`,
    root_view_id: links.rootViewId === undefined ? id : links.rootViewId,
    previous_view_id: links.previousViewId ?? null,
  };
}

function newViewId(state: SlackState): string {
  return slackId("V", `${state.workspace.team.id}:${state.store.nextTs()}:${randomBytes(4).toString("hex")}`);
}

function exchange(state: SlackState, triggerId: string): void {
  const check = state.interactions.exchangeTrigger(triggerId);
  if (check !== "ok") throw new SlackError(check);
}

function checkExternalId(state: SlackState, externalId: string | undefined, except?: string) {
  if (!externalId) return;
  const taken = state.store.records.views().some((v) => v.view.external_id === externalId && v.id !== except);
  if (taken) throw new SlackError("duplicate_external_id");
}

/** The modal opens for the user the trigger id was issued to, whoever the app thinks it is for. */
const open: SlackMethod = (state, raw) => {
  const args = parseArgs(openArgs, raw);
  exchange(state, args.trigger_id);
  checkExternalId(state, args.view.external_id);
  const id = newViewId(state);
  const recorded = state.store.addView({
    id,
    type: "modal",
    user: state.interactions.triggerUser(args.trigger_id)!,
    view: viewOutput(state, args.view, id),
    via: "views.open",
    openedAt: state.now(),
    versions: [],
    closed: false,
    errors: null,
  });
  return { ok: true, view: recorded.view };
};

const push: SlackMethod = (state, raw) => {
  const args = parseArgs(openArgs, raw);
  exchange(state, args.trigger_id);
  const user = state.interactions.triggerUser(args.trigger_id);
  const under = [...state.store.records.views(user)].reverse().find((v) => v.type === "modal" && !v.closed);
  if (!under) throw new SlackError("not_found");
  const id = newViewId(state);
  const recorded = state.store.addView({
    id,
    type: "modal",
    user: under.user,
    view: viewOutput(state, args.view, id, { rootViewId: under.view.root_view_id, previousViewId: under.id }),
    via: "views.push",
    openedAt: state.now(),
    versions: [],
    closed: false,
    errors: null,
  });
  return { ok: true, view: recorded.view };
};

const update: SlackMethod = (state, raw) => {
  const args = parseArgs(updateArgs, raw);
  if (!args.view_id && !args.external_id) {
    throw new SlackError("invalid_arguments", {
      response_metadata: { messages: ["[ERROR] missing required field: view_id or external_id"] },
    });
  }
  const recorded = state.store.records
    .views()
    .find((v) => (args.view_id ? v.id === args.view_id : v.view.external_id === args.external_id));
  if (!recorded) throw new SlackError("not_found");
  if (args.hash !== undefined && args.hash !== recorded.view.hash) throw new SlackError("hash_conflict");
  if (args.view.type !== recorded.type) throw new SlackError("invalid_arguments");
  checkExternalId(state, args.view.external_id, recorded.id);
  replaceView(state, recorded, args.view);
  return { ok: true, view: recorded.view };
};

const publish: SlackMethod = (state, raw) => {
  const args = parseArgs(publishArgs, raw);
  const user = state.workspace.user(args.user_id);
  if (!user || user.id !== args.user_id || user.isBot) throw new SlackError("user_not_found");
  const current = state.store.records.homeView(user.id);
  if (current) {
    if (args.hash !== undefined && args.hash !== current.view.hash) throw new SlackError("hash_conflict");
    replaceView(state, current, args.view);
    return { ok: true, view: current.view };
  }
  const id = newViewId(state);
  const recorded = state.store.addView({
    id,
    type: "home",
    user: user.id,
    view: viewOutput(state, args.view, id),
    via: "views.publish",
    openedAt: state.now(),
    versions: [],
    closed: false,
    errors: null,
  });
  return { ok: true, view: recorded.view };
};

/** A new version of a recorded view, keeping its id and place in the modal stack; state values start over. */
export function replaceView(state: SlackState, recorded: SlackRecordedView, view: ParsedView): void {
  recorded.versions.push(recorded.view);
  recorded.view = viewOutput(state, view, recorded.id, {
    rootViewId: recorded.view.root_view_id,
    previousViewId: recorded.view.previous_view_id,
  });
  recorded.errors = null;
  state.store.changed();
}

/** What Slack does with a view_submission acknowledgement (docs.slack.dev, "Modals": response_action). */
export function applyViewAck(state: SlackState, viewId: string, body: unknown): void {
  const recorded = state.store.records.view(viewId)!;
  const ack = (body && typeof body === "object" ? body : {}) as {
    response_action?: string;
    errors?: Record<string, string>;
    view?: unknown;
  };
  if (ack.response_action === "errors") {
    recorded.errors = ack.errors ?? {};
  } else if (ack.response_action === "update") {
    const view = modalSchema.safeParse(ack.view);
    if (view.success) replaceView(state, recorded, view.data);
  } else if (ack.response_action === "push") {
    const view = modalSchema.safeParse(ack.view);
    if (!view.success) return;
    const id = newViewId(state);
    state.store.addView({
      id,
      type: "modal",
      user: recorded.user,
      view: viewOutput(state, view.data, id, { rootViewId: recorded.view.root_view_id, previousViewId: recorded.id }),
      via: "response_action",
      openedAt: state.now(),
      versions: [],
      closed: false,
      errors: null,
    });
  } else {
    // No response_action closes the submitted view; "clear" closes the user's whole modal stack.
    for (const view of state.store.records.views(recorded.user)) {
      if (view.type === "modal" && (view.id === viewId || ack.response_action === "clear")) view.closed = true;
    }
  }
  state.store.changed();
}

export const viewMethods: Record<string, SlackMethod> = {
  "views.open": open,
  "views.push": push,
  "views.update": update,
  "views.publish": publish,
};
