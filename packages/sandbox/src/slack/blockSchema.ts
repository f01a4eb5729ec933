// Block Kit checks the sandbox applies to blocks and views, with Slack's limits (docs.slack.dev/reference/block-kit):
// Block Kit has no published JSON schema, so these follow the reference pages for the blocks Reckon's bot uses,
// and accept other known block types as they are. Unknown keys are kept, as Slack keeps them.
import type { AnyBlock } from "@slack/types";
import { z } from "zod";

const plainText = (max: number) =>
  z.looseObject({ type: z.literal("plain_text"), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const textObject = (max: number) =>
  z.discriminatedUnion("type", [
    plainText(max),
    z.looseObject({ type: z.literal("mrkdwn"), text: z.string().min(1).max(max), verbatim: z.boolean().optional() }),
  ]);
const actionId = z.string().min(1).max(255).optional();
const option = z.looseObject({ text: textObject(75), value: z.string().max(150) });
const confirm = z.looseObject({
  title: plainText(100),
  text: textObject(300),
  confirm: plainText(30),
  deny: plainText(30),
});

const button = z.looseObject({
  type: z.literal("button"),
  text: plainText(75),
  action_id: actionId,
  value: z.string().max(2000).optional(),
  url: z.string().max(3000).optional(),
  style: z.enum(["primary", "danger"]).optional(),
  confirm: confirm.optional(),
});
const imageElement = z.looseObject({
  type: z.literal("image"),
  image_url: z.string().min(1).max(3000).optional(),
  slack_file: z.looseObject({}).optional(),
  alt_text: z.string().min(1).max(2000),
});
const staticSelect = z.looseObject({
  type: z.enum(["static_select", "multi_static_select"]),
  action_id: actionId,
  options: z.array(option).min(1).max(100).optional(),
  option_groups: z.array(z.looseObject({ label: plainText(75), options: z.array(option) })).optional(),
});
const choice = z.looseObject({
  type: z.enum(["checkboxes", "radio_buttons", "overflow"]),
  action_id: actionId,
  options: z.array(option).min(1).max(10),
});
const plainTextInput = z.looseObject({
  type: z.literal("plain_text_input"),
  action_id: actionId,
  multiline: z.boolean().optional(),
  min_length: z.number().int().min(0).max(3000).optional(),
  max_length: z.number().int().min(1).max(3000).optional(),
  initial_value: z.string().optional(),
});
/** Other interactive elements are accepted with any shape: the bot does not use them. */
const otherElement = z.looseObject({
  type: z.enum([
    "datepicker",
    "datetimepicker",
    "timepicker",
    "email_text_input",
    "number_input",
    "url_text_input",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
    "rich_text_input",
    "file_input",
    "workflow_button",
  ]),
  action_id: actionId,
});
const element = z.discriminatedUnion(
  "type",
  [button, imageElement, staticSelect, choice, plainTextInput, otherElement],
  {
    error: "unsupported element type",
  },
);

const blockId = z.string().min(1).max(255).optional();
const section = z
  .looseObject({
    type: z.literal("section"),
    block_id: blockId,
    text: textObject(3000).optional(),
    fields: z.array(textObject(2000)).min(1).max(10).optional(),
    accessory: element.optional(),
  })
  .refine((block) => block.text || block.fields, { message: "must provide either text or fields" });
const block = z.discriminatedUnion(
  "type",
  [
    section,
    z.looseObject({ type: z.literal("header"), block_id: blockId, text: plainText(150) }),
    z.looseObject({ type: z.literal("divider"), block_id: blockId }),
    z.looseObject({
      type: z.literal("context"),
      block_id: blockId,
      elements: z
        .array(
          z.union([
            imageElement,
            plainText(3000),
            z.looseObject({ type: z.literal("mrkdwn"), text: z.string().min(1).max(3000) }),
          ]),
        )
        .min(1)
        .max(10),
    }),
    z.looseObject({ type: z.literal("actions"), block_id: blockId, elements: z.array(element).min(1).max(25) }),
    z.looseObject({
      type: z.literal("image"),
      block_id: blockId,
      image_url: z.string().min(1).max(3000).optional(),
      slack_file: z.looseObject({}).optional(),
      alt_text: z.string().min(1).max(2000),
      title: plainText(2000).optional(),
    }),
    z.looseObject({
      type: z.literal("input"),
      block_id: blockId,
      label: plainText(2000),
      element,
      hint: plainText(2000).optional(),
      optional: z.boolean().optional(),
      dispatch_action: z.boolean().optional(),
    }),
    z.looseObject({ type: z.enum(["rich_text", "markdown", "file", "video", "table", "context_actions"]) }),
  ],
  { error: "unsupported block type" },
);

/** Blocks of a message (at most 50) or a view (at most 100), with unique block ids. */
export function blocksSchema(max: 50 | 100) {
  return z
    .array(block)
    .max(max)
    .superRefine((blocks, ctx) => {
      const seen = new Set<string>();
      blocks.forEach((b, index) => {
        const id = (b as { block_id?: string }).block_id;
        if (id === undefined) return;
        if (seen.has(id)) ctx.addIssue({ code: "custom", message: `duplicate block_id ${id}`, path: [index] });
        seen.add(id);
      });
    })
    .transform((blocks) => blocks as AnyBlock[]);
}

const viewBase = {
  blocks: blocksSchema(100),
  private_metadata: z.string().max(3000).optional(),
  callback_id: z.string().max(255).optional(),
  external_id: z.string().max(255).optional(),
};
export const modalSchema = z
  .looseObject({
    type: z.literal("modal"),
    title: plainText(24),
    close: plainText(24).optional(),
    submit: plainText(24).optional(),
    clear_on_close: z.boolean().optional(),
    notify_on_close: z.boolean().optional(),
    ...viewBase,
  })
  .refine((view) => view.submit || !view.blocks.some((b) => b.type === "input"), {
    message: "submit is required when an input block is within the blocks array",
    path: ["submit"],
  });
export const homeSchema = z.looseObject({ type: z.literal("home"), ...viewBase });
export const viewSchema = z.union([modalSchema, homeSchema]);
export type ParsedView = z.output<typeof viewSchema>;

/** Slack's way of saying what was wrong: "[ERROR] <problem> [json-pointer:/blocks/0/text]". */
export function slackErrorMessages(error: z.ZodError, root: string): string[] {
  return error.issues.map((issue) => {
    const pointer = [root, ...issue.path.map(String)].filter(Boolean).join("/");
    return `[ERROR] ${issue.message} [json-pointer:/${pointer}]`;
  });
}
