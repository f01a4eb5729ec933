// The Slack bot: a Bolt app whose listeners call @reckon/core verbs. Commands, App Home, approvals and digests
// arrive with the Slack issue; this is the app those listeners register on.
import { App, LogLevel } from "@slack/bolt";

export interface SlackBotOptions {
  signingSecret: string;
  token: string;
  /** The bot's own ids (Slack app settings); known up front, so no auth.test round trip per request. */
  botId: string;
  botUserId: string;
  /** Points Bolt's Web API client at a local Slack sandbox in tests. */
  slackApiUrl?: string;
  port?: number;
}

export function createSlackBot(options: SlackBotOptions): App {
  const app = new App({
    signingSecret: options.signingSecret,
    authorize: async () => ({ botToken: options.token, botId: options.botId, botUserId: options.botUserId }),
    logLevel: LogLevel.WARN,
    ...(options.slackApiUrl ? { clientOptions: { slackApiUrl: options.slackApiUrl } } : {}),
  });
  app.command("/billing", async ({ ack }) => {
    await ack({
      response_type: "ephemeral",
      text: "Reckon's /billing commands are on their way (portfolio, <account>, overdue, forecast).",
    });
  });
  return app;
}
