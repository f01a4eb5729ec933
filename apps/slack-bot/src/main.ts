// Starts the Slack bot on its own (production). The embedded default will host it inside `npm start`.
import { createSlackBot } from "./app";
import { loadSlackConfig } from "./config";

try {
  const config = loadSlackConfig();
  await createSlackBot({
    signingSecret: config.SLACK_SIGNING_SECRET,
    token: config.SLACK_BOT_TOKEN,
    botId: config.SLACK_BOT_ID,
    botUserId: config.SLACK_BOT_USER_ID,
  }).start(config.SLACK_PORT);
  console.log(`Slack bot listening on :${config.SLACK_PORT}/slack/events`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
