// The Slack bot's configuration, parsed once from the environment.
import { z } from "zod";

const environment = z.object({
  SLACK_SIGNING_SECRET: z.string().min(1, "from your Slack app's Basic Information page"),
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "a bot token (xoxb-...) from OAuth & Permissions"),
  SLACK_BOT_ID: z.string().min(1),
  SLACK_BOT_USER_ID: z.string().min(1),
  SLACK_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Slack's Web API by default; a local Slack sandbox's /api/ URL in the bench and in tests. */
  SLACK_API_URL: z.url().optional(),
});

export function loadSlackConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid Slack bot configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

const notifierEnvironment = z.object({
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .startsWith("xoxb-", "a bot token (xoxb-...) from OAuth & Permissions")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SLACK_API_URL: z
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/**
 * What a worker posts approvals, flags and digests with: SLACK_BOT_TOKEN (and SLACK_API_URL for a sandbox). Null
 * without a token: the jobs then say Slack is not configured instead of failing.
 */
export function loadNotifierConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = notifierEnvironment.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid Slack configuration:\n${lines.join("\n")}`);
  }
  const { SLACK_BOT_TOKEN: token, SLACK_API_URL: apiUrl } = parsed.data;
  return token ? { token, ...(apiUrl ? { apiUrl } : {}) } : null;
}
