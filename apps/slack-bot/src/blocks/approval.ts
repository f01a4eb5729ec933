// The payment retry messages: the approval request in the finance channel (Approve / Reject while it waits, the
// outcome once it has one) and the requester's own copy, both rebuilt from the request's current state.
import type { PaymentRetry } from "@reckon/core";
import type { KnownBlock } from "@slack/types";
import { escapeMrkdwn, instantText, moneyText } from "../format";
import { actionIds } from "./ids";
import { actions, button, context, fields, header, section } from "./kit";

export interface SlackMessageContent {
  text: string;
  blocks: KnownBlock[];
}

const who = (person: { name: string } | null) => (person ? escapeMrkdwn(person.name || "someone") : "Reckon");

/** One line for where the request stands: what finance decided and what Stripe answered. */
export function retryStatusLine(retry: PaymentRetry): string {
  const decided = `${who(retry.decidedBy)} ${instantText(retry.decidedAt)}`;
  switch (retry.status) {
    case "requested":
      return ":hourglass_flowing_sand: Waiting for finance to approve.";
    case "approved":
      return retry.lastError
        ? `:warning: Approved by ${decided}, but Stripe did not answer: ${escapeMrkdwn(retry.lastError)}`
        : `:arrows_counterclockwise: Approved by ${decided}: retrying on Stripe…`;
    case "succeeded":
      return `:white_check_mark: Approved by ${decided}. *Paid*${retry.outcome?.chargeId ? ` (\`${retry.outcome.chargeId}\`)` : ""}.`;
    case "failed":
      return `:x: Approved by ${decided}. *Failed again*: \`${retry.outcome?.code ?? "unknown"}\`${retry.outcome?.message ? `, ${escapeMrkdwn(retry.outcome.message)}` : ""}`;
    case "rejected":
      return `:no_entry_sign: Rejected by ${decided}${retry.reason ? `: ${escapeMrkdwn(retry.reason)}` : "."}`;
    case "cancelled":
      return `:information_source: Nothing charged: ${escapeMrkdwn(retry.reason ?? retry.outcome?.message ?? "the payment was made already.")}`;
  }
}

function failureText(retry: PaymentRetry): string {
  const { code, message } = retry.failure;
  if (!code && !message) return "not given";
  return [code ? `\`${code}\`` : null, message ? escapeMrkdwn(message) : null].filter(Boolean).join(", ");
}

function historyText(earlier: readonly PaymentRetry[]): string {
  if (earlier.length === 0) return "No earlier retry requests for this account.";
  const lines = earlier
    .slice(0, 3)
    .map((r) => `${moneyText(r.amount)} on ${instantText(r.requestedAt)}: ${r.status.replaceAll("_", " ")}`);
  return `Earlier retry requests for this account: ${lines.join(" · ")}`;
}

/** The finance channel's message: who asks, which invoice, how much, why it failed, the history; then the decision. */
export function approvalMessage(retry: PaymentRetry, earlier: readonly PaymentRetry[]): SlackMessageContent {
  const blocks: KnownBlock[] = [
    header(`Payment retry: ${retry.account.name}`),
    fields([
      `*Account*\n${escapeMrkdwn(retry.account.name)}`,
      `*Amount*\n${moneyText(retry.amount)}`,
      `*Invoice*\n${retry.invoiceId ? `\`${escapeMrkdwn(retry.invoiceId)}\`` : "not named by the payment"}`,
      `*Failed with*\n${failureText(retry)}`,
      `*Requested by*\n${who(retry.requestedBy)} (${retry.requestedVia}) ${instantText(retry.requestedAt)}`,
      `*Payment*\n\`${escapeMrkdwn(retry.paymentId)}\``,
    ]),
  ];
  if (retry.note) blocks.push(section(`> ${escapeMrkdwn(retry.note)}`));
  blocks.push(context(historyText(earlier)));
  blocks.push(section(retryStatusLine(retry)));
  const waiting = retry.status === "requested";
  const stalled = retry.status === "approved" && retry.lastError !== null;
  if (waiting || stalled) {
    const approve = button(stalled ? "Try again" : "Approve", actionIds.approveRetry, retry.id, "primary");
    blocks.push(
      actions(
        waiting ? [approve, button("Reject", actionIds.rejectRetry, retry.id, "danger")] : [approve],
        `retry:${retry.id}`,
      ),
    );
    blocks.push(context("Finance and admins only. Approving retries the payment on Stripe once."));
  }
  return { text: `Payment retry for ${retry.account.name} (${moneyText(retry.amount)}): ${retry.status}`, blocks };
}

/** The requester's copy (a direct message): what they asked for and where it stands. */
export function requesterMessage(retry: PaymentRetry): SlackMessageContent {
  return {
    text: `Your payment retry for ${retry.account.name}: ${retry.status}`,
    blocks: [
      section(
        `You asked finance to retry *${moneyText(retry.amount)}* for *${escapeMrkdwn(retry.account.name)}* (payment \`${escapeMrkdwn(retry.paymentId)}\`).`,
      ),
      section(retryStatusLine(retry)),
    ],
  };
}
