// The bodies Slack sends an app's request URL, built from the sandbox's workspace and records: slash commands,
// block_actions, view_submission and Events API envelopes. Shapes follow docs.slack.dev's payload references and are
// checked against Bolt's own types.
import { randomBytes } from "node:crypto";
import type { BlockAction, SlashCommand, ViewStateValue, ViewSubmitAction } from "@slack/bolt";
import type { AnyBlock } from "@slack/types";
import type { SlackMessage, SlackView } from "./records.js";
import { messageJson, type SlackState } from "./state.js";
import type { SlackChannel, SlackUser } from "./workspace.js";

export function commandPayload(
  state: SlackState,
  input: { command: string; text: string; user: SlackUser; channel: SlackChannel },
  handles: { responseUrl: string; triggerId: string },
): SlashCommand {
  const { team, bot } = state.workspace;
  return {
    token: state.workspace.verificationToken,
    team_id: team.id,
    team_domain: team.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.isIm ? "directmessage" : input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: bot.appId,
    is_enterprise_install: "false",
    response_url: handles.responseUrl,
    trigger_id: handles.triggerId,
  };
}

type Element = Record<string, unknown> & { type: string; action_id?: string };
export interface FoundElement {
  blockId: string;
  element: Element;
}

/** Block ids Slack would have filled in where the app gave none: stable per position. */
const blockIdOf = (block: AnyBlock, index: number) => block.block_id ?? `sbx${index.toString(36).padStart(4, "0")}`;

/** The interactive element with `actionId` in a message's or view's blocks (actions elements, section accessories). */
export function findElement(blocks: readonly AnyBlock[], actionId: string, blockId?: string): FoundElement | null {
  for (const [index, block] of blocks.entries()) {
    const id = blockIdOf(block, index);
    if (blockId !== undefined && id !== blockId) continue;
    const b = block as { elements?: Element[]; accessory?: Element; element?: Element };
    for (const element of [...(b.elements ?? []), b.accessory, b.element]) {
      if (element && typeof element === "object" && element.action_id === actionId) return { blockId: id, element };
    }
  }
  return null;
}

type Option = { text: unknown; value: string };
/** What one click or choice sends for an element: a button's value, or the option chosen by value. */
export function elementAction(found: FoundElement, value: string | undefined, actionTs: string) {
  const { element, blockId } = found;
  const base = { action_id: element.action_id!, block_id: blockId, action_ts: actionTs };
  if (element.type === "button") {
    return { ...base, type: "button" as const, text: element.text, value: element.value, style: element.style };
  }
  const options = (element.options as Option[] | undefined) ?? [];
  const chosen = options.find((o) => o.value === value);
  if (!chosen) throw new Error(`Slack driver: ${element.action_id} has no option "${value}"`);
  return { ...base, type: element.type, selected_option: chosen };
}

export function blockActionsPayload(
  state: SlackState,
  input: { user: SlackUser; action: Record<string, unknown>; triggerId: string },
  where:
    | { kind: "message"; message: SlackMessage; channel: SlackChannel; responseUrl: string }
    | { kind: "view"; view: SlackView },
): BlockAction {
  const { team, bot } = state.workspace;
  const common = {
    type: "block_actions" as const,
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: team.id },
    api_app_id: bot.appId,
    token: state.workspace.verificationToken,
    trigger_id: input.triggerId,
    team: { id: team.id, domain: team.domain },
    is_enterprise_install: false,
    actions: [input.action as unknown as BlockAction["actions"][number]],
  };
  if (where.kind === "view") {
    return {
      ...common,
      container: { type: "view", view_id: where.view.id },
      view: where.view,
      state: where.view.state,
      // Slack sends none for views; Bolt's type wants a string.
      response_url: "",
    };
  }
  const { message, channel } = where;
  const ephemeral = message.ephemeralTo !== null;
  return {
    ...common,
    container: {
      type: "message",
      message_ts: message.ts,
      channel_id: channel.id,
      is_ephemeral: ephemeral,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    },
    channel: { id: channel.id, name: channel.isIm ? "directmessage" : channel.name },
    // Slack leaves the message out for ephemeral ones: the app never had it.
    ...(ephemeral ? {} : { message: { ...messageJson(state, message), type: "message" as const, ts: message.ts } }),
    state: { values: {} },
    response_url: where.responseUrl,
  };
}

type Input = Record<string, unknown> & { type: string; action_id?: string; options?: Option[] };
/** A modal's state after the user typed `values` (keyed by block id or action id) into its input blocks. */
export function viewState(view: SlackView, values: Record<string, string | string[] | null>) {
  const state: ViewSubmitAction["view"]["state"]["values"] = {};
  for (const [index, block] of view.blocks.entries()) {
    if (block.type !== "input") continue;
    const element = (block as unknown as { element: Input }).element;
    const blockId = blockIdOf(block, index);
    const actionId = element.action_id ?? `sbx_action_${index}`;
    const given = values[blockId] ?? values[actionId] ?? null;
    state[blockId] = { [actionId]: inputValue(element, given) };
  }
  return state;
}

function inputValue(element: Input, given: string | string[] | null): ViewStateValue {
  const one = Array.isArray(given) ? (given[0] ?? null) : given;
  const many = given === null ? [] : Array.isArray(given) ? given : [given];
  const option = (value: string) => {
    const found = element.options?.find((o) => o.value === value);
    if (!found) throw new Error(`Slack driver: ${element.action_id} has no option "${value}"`);
    return found as ViewStateValue["selected_option"] & object;
  };
  switch (element.type) {
    case "static_select":
    case "radio_buttons":
      return { type: element.type, selected_option: one === null ? null : option(one) };
    case "multi_static_select":
    case "checkboxes":
      return { type: element.type, selected_options: many.map(option) };
    case "datepicker":
      return { type: element.type, selected_date: one };
    case "users_select":
      return { type: element.type, selected_user: one };
    case "conversations_select":
      return { type: element.type, selected_conversation: one };
    default:
      return { type: element.type, value: one };
  }
}

export function viewSubmissionPayload(
  state: SlackState,
  input: { user: SlackUser; view: SlackView; triggerId: string },
): ViewSubmitAction {
  const { team, bot } = state.workspace;
  return {
    type: "view_submission",
    team: { id: team.id, domain: team.domain },
    user: { id: input.user.id, name: input.user.name, team_id: team.id },
    api_app_id: bot.appId,
    token: state.workspace.verificationToken,
    trigger_id: input.triggerId,
    view: input.view,
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** The Events API envelope around one event. */
export function eventEnvelope(state: SlackState, event: Record<string, unknown>, eventTs: string) {
  const { team, bot } = state.workspace;
  return {
    token: state.workspace.verificationToken,
    team_id: team.id,
    context_team_id: team.id,
    context_enterprise_id: null,
    api_app_id: bot.appId,
    event: { ...event, event_ts: eventTs },
    type: "event_callback",
    event_id: `Ev0${randomBytes(5).toString("hex").toUpperCase()}`,
    event_time: Math.floor(state.now().getTime() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: team.id, user_id: bot.userId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ tid: team.id, aid: bot.appId })).toString("base64url")}`,
  };
}
