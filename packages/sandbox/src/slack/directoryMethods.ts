// conversations.info / conversations.list, users.info / users.list / users.lookupByEmail and auth.test, with
// Slack's cursor pagination (`response_metadata.next_cursor`, "" on the last page).
import type {
  AuthTestResponse,
  ConversationsInfoResponse,
  ConversationsListResponse,
  UsersInfoResponse,
  UsersListResponse,
  UsersLookupByEmailResponse,
} from "@slack/web-api";
import { z } from "zod";
import { flag, parseArgs, SlackError, type SlackMethod, type SlackState } from "./state.js";
import type { SlackChannel, SlackUser } from "./workspace.js";

type ChannelJson = NonNullable<ConversationsInfoResponse["channel"]>;
type UserJson = NonNullable<UsersInfoResponse["user"]>;

const conversationTypes = ["public_channel", "private_channel", "mpim", "im"] as const;
const pageArgs = {
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).optional(),
};
const listArgs = z.looseObject({
  ...pageArgs,
  exclude_archived: flag.optional(),
  types: z
    .string()
    .transform((value) => value.split(",").map((type) => type.trim()))
    .pipe(z.array(z.enum(conversationTypes)))
    .optional(),
});

/** One page of `items` after the cursor; cursors read like Slack's, base64 of "<kind>:<next id>". */
function page<T extends { id: string }>(items: readonly T[], kind: string, cursor: string | undefined, limit = 100) {
  let start = 0;
  if (cursor) {
    const decoded = Buffer.from(cursor, "base64").toString("utf8");
    start = decoded.startsWith(`${kind}:`) ? items.findIndex((item) => item.id === decoded.slice(kind.length + 1)) : -1;
    if (start === -1) throw new SlackError("invalid_cursor");
  }
  // Slack caps limit at 1000 without complaint.
  const end = start + Math.min(limit, 1000);
  const next = items[end];
  return {
    items: items.slice(start, end),
    response_metadata: { next_cursor: next ? Buffer.from(`${kind}:${next.id}`).toString("base64") : "" },
  };
}

/** Direct-message fields the generated Channel type (written from a public channel) leaves out. */
type ImJson = { user?: string; is_user_deleted?: boolean; priority?: number };

export function channelJson(state: SlackState, channel: SlackChannel): ChannelJson & ImJson {
  const { team, bot } = state.workspace;
  if (channel.isIm) {
    return {
      id: channel.id,
      created: channel.created,
      is_archived: false,
      is_im: true,
      is_org_shared: false,
      context_team_id: team.id,
      updated: channel.created * 1000,
      user: channel.imUser ?? "",
      is_user_deleted: false,
      priority: 0,
    };
  }
  const topic = (value: string) => ({
    value,
    creator: value ? channel.creator : "",
    last_set: value ? channel.created : 0,
  });
  return {
    id: channel.id,
    name: channel.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    created: channel.created,
    is_archived: channel.isArchived,
    is_general: channel.isGeneral,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: team.id,
    updated: channel.created * 1000,
    creator: channel.creator,
    is_ext_shared: false,
    shared_team_ids: [team.id],
    pending_connected_team_ids: [],
    is_member: channel.members.includes(bot.userId),
    topic: topic(channel.topic),
    purpose: topic(channel.purpose),
    previous_names: [],
    num_members: channel.members.length,
  };
}

/** "GMT-5" / "Eastern Standard Time" / -18000 for a time zone at the sandbox's now. */
function zone(tz: string, at: Date) {
  const part = (style: "shortOffset" | "long") =>
    new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const match = /GMT([+-]\d{1,2})(?::(\d{2}))?/.exec(part("shortOffset"));
  const hours = match ? Number(match[1]) : 0;
  const minutes = match?.[2] ? Number(match[2]) * Math.sign(hours || 1) : 0;
  return { tz, tz_label: part("long"), tz_offset: hours * 3600 + minutes * 60 };
}

export function userJson(state: SlackState, user: SlackUser): UserJson {
  return {
    id: user.id,
    team_id: user.teamId,
    name: user.name,
    deleted: user.deleted,
    color: "9f69e7",
    real_name: user.realName,
    ...zone(user.tz, state.now()),
    profile: {
      title: "",
      phone: "",
      skype: "",
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.name,
      display_name_normalized: user.name,
      status_text: "",
      status_emoji: "",
      ...(user.email ? { email: user.email } : {}),
      ...(user.isBot ? { bot_id: state.workspace.bot.botId, api_app_id: state.workspace.bot.appId } : {}),
      team: user.teamId,
    },
    is_admin: user.isAdmin,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: 1_700_000_000,
  };
}

const conversationsInfo: SlackMethod = (state, raw) => {
  const args = parseArgs(z.looseObject({ channel: z.string().min(1) }), raw);
  const channel = state.workspace.channel(args.channel);
  const { userId } = state.workspace.bot;
  if (!channel || (channel.isPrivate && !channel.members.includes(userId))) throw new SlackError("channel_not_found");
  return { ok: true, channel: channelJson(state, channel) } satisfies ConversationsInfoResponse;
};

const conversationsList: SlackMethod = (state, raw) => {
  const args = parseArgs(listArgs, raw);
  const types = new Set(args.types ?? ["public_channel"]);
  const { userId } = state.workspace.bot;
  const visible = state.workspace.channels.filter((channel) => {
    if (args.exclude_archived && channel.isArchived) return false;
    if (channel.isIm) return types.has("im");
    if (channel.isPrivate) return types.has("private_channel") && channel.members.includes(userId);
    return types.has("public_channel");
  });
  const { items, response_metadata } = page(visible, "team", args.cursor, args.limit);
  return {
    ok: true,
    channels: items.map((channel) => channelJson(state, channel)),
    response_metadata,
  } satisfies ConversationsListResponse;
};

function findUser(state: SlackState, id: string): SlackUser {
  const user = state.workspace.user(id);
  if (!user || user.id !== id) throw new SlackError("user_not_found");
  return user;
}

const usersInfo: SlackMethod = (state, raw) => {
  const args = parseArgs(z.looseObject({ user: z.string().min(1) }), raw);
  return { ok: true, user: userJson(state, findUser(state, args.user)) } satisfies UsersInfoResponse;
};

const usersList: SlackMethod = (state, raw) => {
  const args = parseArgs(z.looseObject(pageArgs), raw);
  const bot = findUser(state, state.workspace.bot.userId);
  const { items, response_metadata } = page([...state.workspace.users, bot], "users", args.cursor, args.limit);
  return {
    ok: true,
    members: items.map((user) => userJson(state, user)),
    cache_ts: Math.floor(state.now().getTime() / 1000),
    response_metadata,
  } satisfies UsersListResponse;
};

const lookupByEmail: SlackMethod = (state, raw) => {
  const args = parseArgs(z.looseObject({ email: z.string().min(1) }), raw);
  const user = state.workspace.users.find((u) => u.email.toLowerCase() === args.email.toLowerCase());
  if (!user) throw new SlackError("users_not_found");
  return { ok: true, user: userJson(state, user) } satisfies UsersLookupByEmailResponse;
};

const authTest: SlackMethod = (state) => {
  const { team, bot } = state.workspace;
  return {
    ok: true,
    url: `https://${team.domain}.slack.com/`,
    team: team.name,
    user: bot.name,
    team_id: team.id,
    user_id: bot.userId,
    bot_id: bot.botId,
    is_enterprise_install: false,
  } satisfies AuthTestResponse;
};

export const directoryMethods: Record<string, SlackMethod> = {
  "conversations.info": conversationsInfo,
  "conversations.list": conversationsList,
  "users.info": usersInfo,
  "users.list": usersList,
  "users.lookupByEmail": lookupByEmail,
  "auth.test": authTest,
};
