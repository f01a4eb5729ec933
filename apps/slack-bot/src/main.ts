// Starts the Slack bot on its own (production), on the same DATABASE_URL and RECKON_SECRET_KEY as the API.
import { createLogger, loadConfig, openServices } from "@reckon/core";
import { createSlackBot } from "./app";
import { loadSlackConfig } from "./config";

try {
  const slack = loadSlackConfig();
  const config = loadConfig();
  const log = createLogger(config.logLevel, { role: "slack-bot" });
  const services = await openServices(config, log, { processJobs: false });
  const { app } = createSlackBot({
    services,
    jobs: services.jobs,
    signingSecret: slack.SLACK_SIGNING_SECRET,
    token: slack.SLACK_BOT_TOKEN,
    botId: slack.SLACK_BOT_ID,
    botUserId: slack.SLACK_BOT_USER_ID,
    ...(slack.SLACK_API_URL ? { slackApiUrl: slack.SLACK_API_URL } : {}),
  });
  const server = (await app.start(slack.SLACK_PORT)) as { address(): { port: number } | string | null };
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : slack.SLACK_PORT;
  console.log(`Slack bot listening on :${port}/slack/events`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
