// The Slack bot: a Bolt app whose listeners are thin: they find the mapped Reckon user and call @reckon/core verbs.
import { createHash, randomUUID } from "node:crypto";
import {
  can,
  findAccounts,
  getAccountDetail,
  type JobRunner,
  listPortfolio,
  type ServiceContext,
  type TenantContext,
} from "@reckon/core";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { registerActions } from "./actions";
import { accountCard } from "./blocks/account";
import { homeView } from "./blocks/home";
import { actionIds } from "./blocks/ids";
import { accountList, chooserBlocks, helpBlocks, notFoundBlocks } from "./blocks/lists";
import { parseBillingCommand } from "./command";
import { portfolioForecastBlocks } from "./forecast";
import { type Answer, actAsSlackUser, failureAnswer, unmappedBlocks } from "./surface";

export interface SlackBotOptions {
  services: ServiceContext;
  /** Where Slack updates are queued (`slack.notify`): the same job system the API and workers use. */
  jobs: Pick<JobRunner, "enqueue">;
  signingSecret: string;
  token: string;
  /** The bot's own ids (Slack app settings); known up front, so no auth.test round trip per request. */
  botId: string;
  botUserId: string;
  /** Points Bolt's Web API client at a local Slack sandbox in tests and the embedded default. */
  slackApiUrl?: string;
}

export interface SlackBot {
  app: App;
  receiver: HTTPReceiver;
}

/** Requests already handled, for Slack's redeliveries of one that did reach us (bounded, 10 minutes). */
function seenRequests(ttlMs = 10 * 60_000, max = 10_000) {
  const seen = new Map<string, number>();
  return (key: string, now: number): boolean => {
    for (const [id, at] of seen) {
      if (now - at < ttlMs && seen.size < max) break;
      seen.delete(id);
    }
    if (seen.has(key)) return true;
    seen.set(key, now);
    return false;
  };
}

/**
 * What makes a request the same request when Slack sends it again: the event id, the click's own timestamp, the
 * submitted view's hash, the command's trigger id. Two clicks are two requests; one click sent twice is one.
 */
function requestKey(body: Record<string, unknown>): string | null {
  if (typeof body.event_id === "string") return `event:${body.event_id}`;
  const user = (body.user as { id?: string } | undefined)?.id ?? body.user_id;
  if (body.type === "block_actions") {
    const [first] = (body.actions as Array<{ action_id?: string; action_ts?: string }> | undefined) ?? [];
    return first ? `action:${user}:${first.action_id}:${first.action_ts}` : null;
  }
  if (body.type === "view_submission") {
    // The same modal may be submitted again with other values after its errors were shown.
    const view = body.view as { id?: string; hash?: string; state?: unknown } | undefined;
    const values = createHash("sha256")
      .update(JSON.stringify(view?.state ?? null))
      .digest("base64url");
    return view?.id ? `view:${view.id}:${view.hash}:${values}` : null;
  }
  if (typeof body.command === "string" && typeof body.trigger_id === "string") return `command:${body.trigger_id}`;
  return null;
}

export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { services } = options;
  const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, logLevel: LogLevel.WARN });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: options.token, botId: options.botId, botUserId: options.botUserId }),
    logLevel: LogLevel.WARN,
    ...(options.slackApiUrl ? { clientOptions: { slackApiUrl: options.slackApiUrl } } : {}),
  });
  const alreadySeen = seenRequests();

  // A request Slack sends again (X-Slack-Retry-Num, or the same click or submission twice) is acknowledged and
  // dropped: the action it asks for has been taken once already.
  app.use(async (args) => {
    const key = requestKey(args.body as Record<string, unknown>);
    if (key && alreadySeen(key, Date.now())) {
      services.log.info({ key, retryNum: args.context.retryNum }, "slack request seen before: dropped");
      await (args as { ack?: () => Promise<void> }).ack?.();
      return;
    }
    await args.next();
  });

  app.command("/billing", async ({ command, ack, respond }) => {
    const requestId = randomUUID();
    const parsed = parseBillingCommand(command.text);
    // Help and unreadable input answer inside the acknowledgement; everything else answers through the response URL.
    if (parsed.kind === "help" || parsed.kind === "invalid") {
      const blocks = helpBlocks(parsed.kind === "invalid" ? parsed.problem : undefined);
      await ack({ response_type: "ephemeral", text: "Reckon /billing help", blocks });
      return;
    }
    await ack();
    const user = { teamId: command.team_id, userId: command.user_id };
    const answer = await answering(services, requestId, async (): Promise<Answer> => {
      const ctx = await actAsSlackUser(services, user, requestId);
      if (!ctx) return { text: "Your Slack account is not linked to Reckon yet.", blocks: unmappedBlocks(user) };
      switch (parsed.kind) {
        case "portfolio": {
          const page = await listPortfolio({ ctx, input: { sort: "status", limit: 15 } });
          return {
            text: "Your portfolio",
            blocks: accountList(
              "Your portfolio",
              page.rows,
              "No accounts are assigned to you yet.",
              page.nextCursor !== null,
            ),
          };
        }
        case "overdue": {
          const page = await listPortfolio({ ctx, input: { overdue: "true", sort: "-outstanding", limit: 15 } });
          return {
            text: "Overdue accounts",
            blocks: accountList("Overdue", page.rows, "Nothing overdue. :tada:", page.nextCursor !== null),
          };
        }
        case "forecast":
          return { text: "Forecast to quarter end", blocks: await portfolioForecastBlocks(ctx) };
        case "account": {
          const found = await findAccounts({ ctx, input: { query: parsed.query } });
          if (found.length === 0) return { text: "No matching account", blocks: notFoundBlocks(parsed.query) };
          const [first, second] = found;
          const decisive = first && (first.match === "id" || first.match === "exact" || !second);
          if (!decisive) return { text: "Several accounts match", blocks: chooserBlocks(parsed.query, found) };
          const card = await cardAnswer(ctx, first!.accountId);
          return card ?? { text: "No matching account", blocks: notFoundBlocks(parsed.query) };
        }
      }
    });
    await respond({ response_type: "ephemeral", replace_original: true, text: answer.text, blocks: answer.blocks });
  });

  // "Open" on a list row or the chooser: the account's card, in place of the list.
  app.action(new RegExp(`^${actionIds.openAccount.replace(".", "\\.")}`), async ({ ack, body, action, respond }) => {
    await ack();
    const requestId = randomUUID();
    const accountId = "value" in action ? String(action.value ?? "") : "";
    const user = { teamId: body.team?.id ?? "", userId: body.user.id };
    const answer = await answering(services, requestId, async () => {
      const ctx = await actAsSlackUser(services, user, requestId);
      if (!ctx) return { text: "Not linked", blocks: unmappedBlocks(user) };
      const card = /^[0-9a-f-]{36}$/.test(accountId) ? await cardAnswer(ctx, accountId) : null;
      return card ?? { text: "Account not found", blocks: notFoundBlocks(accountId) };
    });
    await respond({ response_type: "ephemeral", replace_original: true, text: answer.text, blocks: answer.blocks });
  });

  registerActions(app, { services, jobs: options.jobs });

  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    const requestId = randomUUID();
    const user = { teamId: body.team_id, userId: event.user };
    const view = await answering(services, requestId, async () => {
      const ctx = await actAsSlackUser(services, user, requestId);
      if (!ctx) return { text: "Not linked", blocks: unmappedBlocks(user) };
      return { text: "Home", blocks: await homeView(ctx) };
    });
    await client.views.publish({ user_id: event.user, view: { type: "home", blocks: view.blocks } });
  });

  return { app, receiver };
}

/** The account's card for this user (their role decides the buttons), or null when they may not see it. */
async function cardAnswer(ctx: TenantContext, accountId: string): Promise<Answer | null> {
  const detail = await getAccountDetail({ ctx, input: { accountId } });
  if (!detail) return null;
  const allowed = { retry: can(ctx.actor, "payments.retry.request"), flag: can(ctx.actor, "flags.create") };
  return { text: detail.account.name, blocks: accountCard(detail, allowed, ctx.clock().toISOString().slice(0, 10)) };
}

/** Runs a listener's work; whatever fails becomes an answer for the user. */
async function answering(services: ServiceContext, requestId: string, work: () => Promise<Answer>): Promise<Answer> {
  try {
    return await work();
  } catch (error) {
    return failureAnswer(error, services, requestId);
  }
}
