// The Slack workspace the sandbox stands in for: its team, the bot, people and channels, seeded by the caller.
import { createHash, randomBytes } from "node:crypto";

export interface SlackTeam {
  id: string;
  name: string;
  domain: string;
}

/** The installed app's bot: what `authorize` hands Bolt and what auth.test answers. */
export interface SlackBotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
  /** The bot token (xoxb-...) the Web API accepts. */
  token: string;
}

export interface SlackUserSeed {
  /** Generated from the email when absent (stable: the same email gets the same id). */
  id?: string;
  /** Slack handle, e.g. "ava.manager"; the email's local part when absent. */
  name?: string;
  realName?: string;
  /** How the bot maps a Slack user to a Reckon user. */
  email: string;
  tz?: string;
  isAdmin?: boolean;
  deleted?: boolean;
}

export interface SlackChannelSeed {
  id?: string;
  /** Without the "#". */
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** User ids or emails; every seeded user when absent. */
  members?: readonly string[];
  /** Whether the bot was invited (true by default): posting elsewhere answers not_in_channel. */
  botIsMember?: boolean;
  topic?: string;
  purpose?: string;
}

export interface SlackWorkspaceSeed {
  team?: Partial<SlackTeam>;
  bot?: Partial<SlackBotIdentity>;
  /** Two people (an account manager and finance) when absent. */
  users?: readonly SlackUserSeed[];
  /** #general and #finance when absent. */
  channels?: readonly SlackChannelSeed[];
  /** The app's signing secret the driver signs with; generated when absent. */
  signingSecret?: string;
}

export interface SlackUser {
  id: string;
  teamId: string;
  name: string;
  realName: string;
  email: string;
  tz: string;
  isAdmin: boolean;
  isBot: boolean;
  deleted: boolean;
}

export interface SlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isGeneral: boolean;
  /** A direct message between the bot and `imUser`. */
  isIm: boolean;
  imUser: string | null;
  /** User ids, the bot's included when it is a member. */
  members: string[];
  created: number;
  creator: string;
  topic: string;
  purpose: string;
}

export interface SlackWorkspace {
  readonly team: SlackTeam;
  readonly bot: SlackBotIdentity;
  readonly signingSecret: string;
  /** The deprecated verification token Slack still puts in payloads (`token`). */
  readonly verificationToken: string;
  readonly users: readonly SlackUser[];
  readonly channels: readonly SlackChannel[];
  /** By id, email (any case) or handle. */
  user(ref: string): SlackUser | undefined;
  /** By id, name or "#name"; direct-message channels by id. */
  channel(ref: string): SlackChannel | undefined;
  /** The bot's direct-message channel with a user, opened on first use. */
  imWith(userId: string): SlackChannel;
  addUser(seed: SlackUserSeed): SlackUser;
  addChannel(seed: SlackChannelSeed): SlackChannel;
}

const defaultUsers: SlackUserSeed[] = [
  { name: "ava.manager", realName: "Ava Manager", email: "ava.manager@reckon-demo.example.com" },
  { name: "fin.ledger", realName: "Fin Ledger", email: "finance@reckon-demo.example.com" },
];
const defaultChannels: SlackChannelSeed[] = [{ name: "general" }, { name: "finance" }];

const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** Slack-looking ids ("U0" + 9 characters), stable for a given key so seeds and tests agree run to run. */
export function slackId(prefix: string, key: string): string {
  const digest = createHash("sha256").update(key).digest();
  let id = `${prefix}0`;
  for (let i = 0; i < 9; i++) id += alphabet[digest[i]! % alphabet.length];
  return id;
}

export function createWorkspace(seed: SlackWorkspaceSeed = {}, now: () => Date = () => new Date()): SlackWorkspace {
  const team: SlackTeam = { id: "T0SANDBOX1", name: "Reckon Sandbox", domain: "reckon-sandbox", ...seed.team };
  const bot: SlackBotIdentity = {
    userId: "U0RECKONBOT",
    botId: "B0RECKONBOT",
    appId: "A0RECKON001",
    name: "reckon",
    token: `xoxb-${team.id}-sandbox-${randomBytes(12).toString("hex")}`,
    ...seed.bot,
  };
  const users: SlackUser[] = [];
  const channels: SlackChannel[] = [];
  const created = Math.floor(now().getTime() / 1000) - 86_400 * 400;
  const botUser: SlackUser = {
    id: bot.userId,
    teamId: team.id,
    name: bot.name,
    realName: bot.name,
    email: "",
    tz: "UTC",
    isAdmin: false,
    isBot: true,
    deleted: false,
  };

  const findUser = (ref: string) => {
    const lower = ref.toLowerCase();
    return ref === bot.userId
      ? botUser
      : users.find((u) => u.id === ref || u.email.toLowerCase() === lower || u.name === ref);
  };
  const findChannel = (ref: string) => {
    const name = ref.startsWith("#") ? ref.slice(1) : ref;
    return channels.find((c) => c.id === ref || (!c.isIm && c.name === name));
  };

  const addUser = (userSeed: SlackUserSeed): SlackUser => {
    const name = userSeed.name ?? userSeed.email.split("@")[0]!;
    const user: SlackUser = {
      id: userSeed.id ?? slackId("U", userSeed.email.toLowerCase()),
      teamId: team.id,
      name,
      realName: userSeed.realName ?? name,
      email: userSeed.email,
      tz: userSeed.tz ?? "America/New_York",
      isAdmin: userSeed.isAdmin ?? false,
      isBot: false,
      deleted: userSeed.deleted ?? false,
    };
    if (findUser(user.id) || findUser(user.email)) throw new Error(`Slack sandbox: user ${user.email} seeded twice`);
    users.push(user);
    return user;
  };
  const addChannel = (channelSeed: SlackChannelSeed): SlackChannel => {
    const name = channelSeed.name.replace(/^#/, "");
    if (!/^[a-z0-9][a-z0-9_-]{0,79}$/.test(name)) throw new Error(`Slack sandbox: "${name}" is not a channel name`);
    if (findChannel(name)) throw new Error(`Slack sandbox: channel #${name} seeded twice`);
    const members = (channelSeed.members ?? users.map((u) => u.id)).map((ref) => {
      const user = findUser(ref);
      if (!user) throw new Error(`Slack sandbox: #${name} member ${ref} is not a seeded user`);
      return user.id;
    });
    if (channelSeed.botIsMember ?? true) members.push(bot.userId);
    const channel: SlackChannel = {
      id: channelSeed.id ?? slackId("C", `${team.id}:${name}`),
      name,
      isPrivate: channelSeed.isPrivate ?? false,
      isArchived: channelSeed.isArchived ?? false,
      isGeneral: name === "general",
      isIm: false,
      imUser: null,
      members,
      created: created + channels.length * 3600,
      creator: users[0]?.id ?? bot.userId,
      topic: channelSeed.topic ?? "",
      purpose: channelSeed.purpose ?? "",
    };
    channels.push(channel);
    return channel;
  };

  for (const user of seed.users ?? defaultUsers) addUser(user);
  for (const channel of seed.channels ?? defaultChannels) addChannel(channel);

  return {
    team,
    bot,
    signingSecret: seed.signingSecret ?? randomBytes(16).toString("hex"),
    verificationToken: randomBytes(12).toString("base64url"),
    users,
    channels,
    user: findUser,
    channel: findChannel,
    imWith: (userId) => {
      const existing = channels.find((c) => c.isIm && c.imUser === userId);
      if (existing) return existing;
      const channel: SlackChannel = {
        id: slackId("D", `${team.id}:${userId}`),
        name: userId,
        isPrivate: true,
        isArchived: false,
        isGeneral: false,
        isIm: true,
        imUser: userId,
        members: [userId, bot.userId],
        created: Math.floor(now().getTime() / 1000),
        creator: bot.userId,
        topic: "",
        purpose: "",
      };
      channels.push(channel);
      return channel;
    },
    addUser,
    addChannel,
  };
}
