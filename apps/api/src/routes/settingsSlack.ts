// GET and PUT /v1/settings/slack (admin): the Slack workspace the bot answers in, its finance channel, the digests.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { getSlackSettings, type SlackSettings, saveSlackSettings, slackSettingsInput } from "@reckon/core";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

export const slackSettingsSchema = z.object({
  teamId: z.string().openapi({ description: "Slack team id (T...)" }),
  financeChannelId: z
    .string()
    .nullable()
    .openapi({ description: "Where approvals, flags and the portfolio digest go" }),
  digestDaysBefore: z.array(z.number().int()).openapi({ description: "Days before quarter end a digest goes out" }),
  digestHour: z.number().int().openapi({ description: "The tenant's local hour digests go out from (0-23)" }),
});
export type SlackSettingsResponse = SlackSettings;

const read = guardedRoute("settings.manage", {
  method: "get",
  path: "/v1/settings/slack",
  summary: "The Slack workspace, finance channel and digest schedule",
  responses: {
    200: { description: "Slack settings", content: { "application/json": { schema: slackSettingsSchema } } },
    404: { description: "Slack is not set up for this workspace yet" },
  },
});

const save = guardedRoute("settings.manage", {
  method: "put",
  path: "/v1/settings/slack",
  summary: "Set the Slack workspace, finance channel and digest schedule",
  description:
    "Digests go out on each listed day before quarter end, from `digestHour` in the tenant's time zone (default 14, 7, 3 and 1 days, 9:00).",
  request: { body: { content: { "application/json": { schema: slackSettingsInput } }, required: true } },
  responses: {
    200: { description: "Saved", content: { "application/json": { schema: slackSettingsSchema } } },
    400: { description: "Invalid body" },
    409: { description: "That Slack workspace belongs to another Reckon workspace" },
  },
});

export function registerSettingsSlack(app: OpenAPIHono<AppEnv>) {
  app.openapi(read, async (c) => {
    const settings: SlackSettingsResponse | null = await getSlackSettings({ ctx: actingContext(c) });
    if (!settings)
      throw new ApiError("not_found", "Slack is not set up yet: PUT /v1/settings/slack with your team id.");
    return c.json(settings, 200);
  });
  app.openapi(save, async (c) => {
    const change = await saveSlackSettings({ ctx: actingContext(c), input: c.req.valid("json") });
    if (!change.ok) {
      throw new ApiError(
        "conflict",
        "That Slack workspace is connected to another Reckon workspace; disconnect it there first.",
      );
    }
    return c.json(change.settings, 200);
  });
}
