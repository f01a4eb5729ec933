// The Slack Web API connector: posting, editing and ephemeral messages, with Slack's failures as typed errors.
export { isSlackCallFailure, SlackCallError, toSlackError } from "./errors";
export {
  createSlackPoster,
  defaultSlackTimeoutMs,
  type PostedMessage,
  type SlackBlocks,
  type SlackMessageContent,
  type SlackPoster,
  type SlackPosterConfig,
} from "./poster";
