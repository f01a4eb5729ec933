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
