// The bot's buttons and the Flag issue modal. Each listener acknowledges first, acts as the mapped Reckon user
// through a core verb, and leaves the finance channel's messages to the `slack.notify` job (announceToSlack), so a
// change made on the web or through the API reaches Slack the same way.
import {
  AccessDenied,
  announceToSlack,
  createFlag,
  decidePaymentRetry,
  flagReasons,
  getAccountDetail,
  type JobRunner,
  requestPaymentRetry,
  resolveFlag,
  type ServiceContext,
  type TenantContext,
} from "@reckon/core";
import { decimalToMinor } from "@reckon/reconcile";
import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import type { RetryButtonValue } from "./blocks/account";
import { type FlagModalContext, flagFields, flagModal, reasonLabel } from "./blocks/flag";
import { actionIds, viewIds } from "./blocks/ids";
import { section } from "./blocks/kit";
import { instantText, moneyText } from "./format";
import { actAsSlackUser, failureAnswer, type SlackUserRef, unmappedBlocks } from "./surface";

export interface ActionDeps {
  services: ServiceContext;
  jobs: Pick<JobRunner, "enqueue">;
}

const pattern = (id: string) => new RegExp(`^${id.replaceAll(".", "\\.")}(:|$)`);

/** Says something only the clicking user sees, under the message they clicked. */
function tell(respond: RespondFn, text: string) {
  return respond({ response_type: "ephemeral", replace_original: false, text, blocks: [section(text)] });
}

/** Runs a click as the mapped user; an unmapped user or a failure is told what happened, never left in silence. */
async function asUser(
  deps: ActionDeps,
  body: BlockAction,
  respond: RespondFn,
  work: (ctx: TenantContext) => Promise<string | null>,
): Promise<void> {
  const user: SlackUserRef = { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id };
  const requestId = crypto.randomUUID();
  try {
    const ctx = await actAsSlackUser(deps.services, user, requestId);
    if (!ctx) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: "Not linked",
        blocks: unmappedBlocks(user),
      });
      return;
    }
    const answer = await work(ctx);
    if (answer) await tell(respond, answer);
  } catch (error) {
    const failed = failureAnswer(error, deps.services, requestId);
    await respond({ response_type: "ephemeral", replace_original: false, ...failed });
  }
}

const buttonValue = (action: unknown) => String((action as ButtonAction).value ?? "");

function parseRetryValue(value: string): RetryButtonValue | null {
  try {
    const parsed = JSON.parse(value) as Partial<RetryButtonValue>;
    return typeof parsed.accountId === "string" && typeof parsed.paymentId === "string"
      ? { accountId: parsed.accountId, paymentId: parsed.paymentId }
      : null;
  } catch {
    return null;
  }
}

const refusals = {
  account_not_found: "That account is not one you can see any more.",
  payment_not_found: "Reckon has no record of that payment any more.",
  invoice_not_found: "The invoice that payment was for is not in Reckon.",
  not_failed: "That payment has not failed (or has been paid since): there is nothing to retry.",
  not_retryable: "Stripe offers no retry for that payment (it has no PaymentIntent).",
} as const;

export function registerActions(app: App, deps: ActionDeps): void {
  const { jobs } = deps;

  app.action<BlockAction>(pattern(actionIds.retryPayment), async ({ ack, body, action, respond }) => {
    await ack();
    await asUser(deps, body, respond, async (ctx) => {
      const value = parseRetryValue(buttonValue(action));
      if (!value) return "That button is from an older card: open the account again with `/billing <account>`.";
      const result = await requestPaymentRetry({ ctx, input: value });
      if (!result.ok) return refusals[result.reason];
      const { retry } = result;
      if (!result.created) {
        return `A retry of ${moneyText(retry.amount)} is already ${retry.status} (asked by ${retry.requestedBy?.name ?? "someone"} ${instantText(retry.requestedAt)}).`;
      }
      await announceToSlack(jobs, ctx.tenant.tenantId, "payment_retry", retry.id);
      return `Sent to finance for approval: retry ${moneyText(retry.amount)} for ${retry.account.name}. You get a direct message with the outcome.`;
    });
  });

  const decide = (decision: "approve" | "reject") =>
    app.action<BlockAction>(
      pattern(decision === "approve" ? actionIds.approveRetry : actionIds.rejectRetry),
      async ({ ack, body, action, respond }) => {
        await ack();
        await asUser(deps, body, respond, async (ctx) => {
          const retryId = buttonValue(action);
          const result = await decidePaymentRetry({ ctx, jobs, input: { retryId, decision } });
          if (!result.ok) {
            if (result.reason === "not_found") return "That retry request is not in Reckon any more.";
            return `It was decided already: ${result.retry.status} (by ${result.retry.decidedBy?.name ?? "someone"}).`;
          }
          if (result.replayed) return `Already ${result.retry.status}: nothing new was done.`;
          await announceToSlack(jobs, ctx.tenant.tenantId, "payment_retry", retryId);
          return null;
        });
      },
    );
  decide("approve");
  decide("reject");

  app.action<BlockAction>(pattern(actionIds.flagIssue), async ({ ack, body, action, respond, client }) => {
    await ack();
    await asUser(deps, body, respond, async (ctx) => {
      const detail = await getAccountDetail({ ctx, input: { accountId: buttonValue(action) } });
      if (!detail) return "That account is not one you can see any more.";
      const currency = detail.invoices[0]?.total.currency ?? detail.payments[0]?.amount.currency ?? "USD";
      const target: FlagModalContext = { accountId: detail.account.id, accountName: detail.account.name, currency };
      await client.views.open({ trigger_id: body.trigger_id, view: flagModal(target) });
      return null;
    });
  });

  app.view(viewIds.flagIssue, async ({ ack, body, view }) => {
    const values = view.state.values;
    const picked = values[flagFields.reason.block]?.[flagFields.reason.action]?.selected_option?.value ?? "";
    const reason = flagReasons.find((r) => r === picked);
    if (!reason) {
      await ack({ response_action: "errors", errors: { [flagFields.reason.block]: "Pick a reason from the list." } });
      return;
    }
    const note = (values[flagFields.note.block]?.[flagFields.note.action]?.value ?? "").trim();
    const amountText = (values[flagFields.amount.block]?.[flagFields.amount.action]?.value ?? "").trim();
    const target = JSON.parse(view.private_metadata) as FlagModalContext;
    // The modal's own checks answer in the modal, next to the field (response_action "errors").
    if (reason === "other" && !note) {
      await ack({
        response_action: "errors",
        errors: { [flagFields.note.block]: `Say what is wrong when the reason is "${reasonLabel("other")}".` },
      });
      return;
    }
    let amount: { minor: string; currency: string } | undefined;
    if (amountText) {
      try {
        const minor = decimalToMinor(amountText.replaceAll(",", ""), target.currency);
        if (minor <= 0n) throw new RangeError("not positive");
        amount = { minor: minor.toString(), currency: target.currency };
      } catch {
        await ack({
          response_action: "errors",
          errors: { [flagFields.amount.block]: `An amount above zero in ${target.currency}, such as 1250.00.` },
        });
        return;
      }
    }
    const user: SlackUserRef = { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id };
    const requestId = crypto.randomUUID();
    try {
      const ctx = await actAsSlackUser(deps.services, user, requestId);
      if (!ctx) {
        await ack({
          response_action: "errors",
          errors: { [flagFields.reason.block]: "Your Slack account is not linked to Reckon: ask an admin to map it." },
        });
        return;
      }
      const result = await createFlag({
        ctx,
        input: {
          accountId: target.accountId,
          reason,
          ...(note ? { note } : {}),
          ...(amount ? { amount } : {}),
        },
      });
      if (!result.ok) {
        await ack({
          response_action: "errors",
          errors: { [flagFields.reason.block]: "That account is not one you can see any more." },
        });
        return;
      }
      await ack();
      await announceToSlack(jobs, ctx.tenant.tenantId, "flag", result.flag.id);
    } catch (error) {
      const message =
        error instanceof AccessDenied ? error.message : failureAnswer(error, deps.services, requestId).text;
      await ack({ response_action: "errors", errors: { [flagFields.reason.block]: message.slice(0, 150) } });
    }
  });

  app.action<BlockAction>(pattern(actionIds.resolveFlag), async ({ ack, body, action, respond }) => {
    await ack();
    await asUser(deps, body, respond, async (ctx) => {
      const result = await resolveFlag({ ctx, input: { flagId: buttonValue(action) } });
      if (!result.ok) return "That flag is not in Reckon any more.";
      if (result.alreadyResolved) return `Already resolved by ${result.flag.resolvedBy?.name ?? "someone"}.`;
      await announceToSlack(jobs, ctx.tenant.tenantId, "flag", result.flag.id);
      return null;
    });
  });
}
