// startSlackSandbox: the Slack fake on an ephemeral port, with its seeded workspace, records and fault switches.
import { listen } from "../servers/listen.js";
import { slackApp } from "../servers/slack.js";
import { createSlackFaults, type SlackFaults } from "./faults.js";
import { createInteractions, type InteractionOptions, type ResponseUrlContext } from "./interactions.js";
import { createStore, type SlackRecords } from "./records.js";
import type { SlackState } from "./state.js";
import { createWorkspace, type SlackWorkspace, type SlackWorkspaceSeed } from "./workspace.js";

export interface SlackSandboxOptions extends SlackWorkspaceSeed, InteractionOptions {
  /** Interface to bind, 127.0.0.1 unless said otherwise. */
  host?: string;
  /** The sandbox's clock (message ts, trigger id and response URL expiry); the real clock by default. */
  now?: () => Date;
}

export interface RunningSlackSandbox {
  /** For Bolt's `clientOptions.slackApiUrl` (and `new WebClient(token, { slackApiUrl })`): ends with /api/. */
  apiUrl: string;
  /** http://host:port */
  origin: string;
  /** The bot token the Web API accepts (`authorize` → botToken). */
  botToken: string;
  /** The app's signing secret: give it to the Bolt app and the driver signs with it. */
  signingSecret: string;
  workspace: SlackWorkspace;
  /** What the bot posted, updated, opened and published. */
  records: SlackRecords;
  faults: SlackFaults;
  /** A trigger id for `user`, as Slack puts in an interaction payload (views.open takes it once, within 3 s). */
  issueTriggerId(user: string): string;
  /** A response URL on this sandbox for an interaction's responses. */
  issueResponseUrl(context: ResponseUrlContext): string;
  stop(): Promise<void>;
}

/** @internal The sandbox's state, for the driver (which records acknowledgements as Slack displays them). */
export const slackStateOf = new WeakMap<RunningSlackSandbox, SlackState>();

export async function startSlackSandbox(options: SlackSandboxOptions = {}): Promise<RunningSlackSandbox> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? (() => new Date());
  const workspace = createWorkspace(options, now);
  let origin = "";
  const state: SlackState = {
    workspace,
    store: createStore(workspace, now),
    interactions: createInteractions(workspace, now, options),
    faults: createSlackFaults(),
    now,
    origin: () => origin,
  };
  const server = await listen(slackApp(state), host);
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${server.port}`;
  const running: RunningSlackSandbox = {
    apiUrl: `${origin}/api/`,
    origin,
    botToken: workspace.bot.token,
    signingSecret: workspace.signingSecret,
    workspace,
    records: state.store.records,
    faults: state.faults,
    issueTriggerId: (user) => state.interactions.issueTriggerId(user),
    issueResponseUrl: (context) => state.interactions.issueResponseUrl(origin, context),
    stop: () => server.close(),
  };
  slackStateOf.set(running, state);
  return running;
}
