// Small Block Kit constructors typed by @slack/types, so every builder reads as the message it makes.
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from "@slack/types";

/** Slack's own limits: a section's text, a header's text, a message's blocks. */
export const limits = { sectionText: 3_000, headerText: 150, blocks: 50, buttonValue: 2_000 } as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const header = (text: string): HeaderBlock => ({
  type: "header",
  text: { type: "plain_text", text: clip(text, limits.headerText), emoji: true },
});

export const section = (text: string, accessory?: Button): SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: clip(text, limits.sectionText) },
  ...(accessory ? { accessory } : {}),
});

export const fields = (items: string[]): SectionBlock => ({
  type: "section",
  fields: items.slice(0, 10).map((text) => ({ type: "mrkdwn", text: clip(text, 2_000) })),
});

export const context = (text: string): ContextBlock => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: clip(text, limits.sectionText) }],
});

export const divider = (): DividerBlock => ({ type: "divider" });

export function button(text: string, actionId: string, value: string, style?: "primary" | "danger"): Button {
  if (value.length > limits.buttonValue) throw new RangeError(`button value over ${limits.buttonValue} characters`);
  return {
    type: "button",
    text: { type: "plain_text", text: clip(text, 75), emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

export const actions = (elements: Button[], blockId?: string): ActionsBlock => ({
  type: "actions",
  elements,
  ...(blockId ? { block_id: blockId } : {}),
});

/** Keeps a message inside Slack's 50-block limit, saying what was left out. */
export function capBlocks(blocks: KnownBlock[], more: string): KnownBlock[] {
  if (blocks.length <= limits.blocks) return blocks;
  return [...blocks.slice(0, limits.blocks - 1), context(more)];
}
