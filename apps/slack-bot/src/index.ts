// @reckon/slack-bot: the Bolt app and the notifier the `slack.notify` job posts through, for the processes that
// host them (the bot's own in production, the embedded default's one process).
export { createSlackBot, type SlackBot, type SlackBotOptions } from "./app";
export { loadNotifierConfig } from "./config";
export { createSlackNotifier, slackWebClient } from "./notify";
