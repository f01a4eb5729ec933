// Flag issue: the modal (reason from the discrepancy kinds, a note, an amount) and the finance channel's message,
// with Resolve while the flag is open.
import { type Flag, type FlagReason, flagReasons } from "@reckon/core";
import type { KnownBlock, ModalView } from "@slack/types";
import { escapeMrkdwn, instantText, moneyText } from "../format";
import type { SlackMessageContent } from "./approval";
import { actionIds, viewIds } from "./ids";
import { actions, button, context, fields, header, section } from "./kit";

const reasonLabels: Partial<Record<FlagReason, string>> = { other: "Something else" };

export const reasonLabel = (reason: string) =>
  reasonLabels[reason as FlagReason] ?? reason.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());

/** The modal's block and action ids, read back by the submission listener. */
export const flagFields = {
  reason: { block: "flag_reason", action: "reason" },
  note: { block: "flag_note", action: "note" },
  amount: { block: "flag_amount", action: "amount" },
} as const;

/** What the modal carries for the submission: the account, and where to answer. */
export interface FlagModalContext {
  accountId: string;
  accountName: string;
  currency: string;
}

export function flagModal(target: FlagModalContext): ModalView {
  return {
    type: "modal",
    callback_id: viewIds.flagIssue,
    private_metadata: JSON.stringify(target),
    title: { type: "plain_text", text: "Flag an issue" },
    submit: { type: "plain_text", text: "Flag it" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      section(
        `Flag *${escapeMrkdwn(target.accountName)}* for finance. They see it in the finance channel and resolve it there.`,
      ),
      {
        type: "input",
        block_id: flagFields.reason.block,
        label: { type: "plain_text", text: "What is wrong" },
        element: {
          type: "static_select",
          action_id: flagFields.reason.action,
          placeholder: { type: "plain_text", text: "Pick a reason" },
          options: flagReasons.map((reason) => ({
            text: { type: "plain_text", text: reasonLabel(reason) },
            value: reason,
          })),
        },
      },
      {
        type: "input",
        block_id: flagFields.note.block,
        optional: true,
        label: { type: "plain_text", text: "Note" },
        hint: { type: "plain_text", text: 'Needed when the reason is "Something else".' },
        element: { type: "plain_text_input", action_id: flagFields.note.action, multiline: true, max_length: 2000 },
      },
      {
        type: "input",
        block_id: flagFields.amount.block,
        optional: true,
        label: { type: "plain_text", text: `Amount at stake (${target.currency})` },
        hint: { type: "plain_text", text: "e.g. 1250.00; leave empty if you do not know it." },
        element: { type: "plain_text_input", action_id: flagFields.amount.action, max_length: 24 },
      },
    ],
  };
}

/** The finance channel's message for a flag: the thread's parent, updated when it is resolved. */
export function flagMessage(flag: Flag): SlackMessageContent {
  const blocks: KnownBlock[] = [
    header(`Flag: ${flag.account.name}`),
    fields([
      `*Reason*\n${reasonLabel(flag.reason)}`,
      `*Amount*\n${flag.amount ? moneyText(flag.amount) : "not given"}`,
      `*Raised by*\n${escapeMrkdwn(flag.raisedBy?.name ?? "Reckon")} (${flag.raisedVia}) ${instantText(flag.createdAt)}`,
      `*Status*\n${flag.status === "open" ? ":large_orange_circle: open" : ":white_check_mark: resolved"}`,
    ]),
  ];
  if (flag.note) blocks.push(section(`> ${escapeMrkdwn(flag.note)}`));
  if (flag.status === "open") {
    blocks.push(actions([button("Resolve", actionIds.resolveFlag, flag.id, "primary")], `flag:${flag.id}`));
    blocks.push(context("Finance and admins resolve flags. Discuss it in this thread."));
  } else {
    blocks.push(context(resolutionText(flag)));
  }
  return { text: `Flag on ${flag.account.name}: ${reasonLabel(flag.reason)} (${flag.status})`, blocks };
}

export function resolutionText(flag: Flag): string {
  return `Resolved by ${escapeMrkdwn(flag.resolvedBy?.name ?? "Reckon")} ${instantText(flag.resolvedAt)}${flag.resolution ? `: ${escapeMrkdwn(flag.resolution)}` : "."}`;
}
