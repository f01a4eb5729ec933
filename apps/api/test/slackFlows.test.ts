// Whole flows through the Slack sandbox, as people click them: the embedded runtime hosts the bot, the sandbox's
// driver sends signed commands, clicks and modal submissions, and its records show what Slack would display.
// command -> card -> Retry -> approval in #finance -> Approve (twice, and redelivered) -> Stripe retried once ->
// both messages updated; Flag issue -> modal -> #finance thread -> Resolve; and the refusals in between.
import { queryRows } from "@reckon/db";
import type { SlackMessage } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./stack";

let stack: TestStack;
/** An account with a Stripe customer, the account manager who owns it, and their Slack user. */
let target: { accountId: string; name: string; stripeCustomer: string; managerEmail: string; managerSlack: string };
let financeSlack: string;
let viewerSlack: string;

const slack = () => stack.slack!;
const finance = () => slack().sandbox.workspace.channel("finance")!.id;

type Element = { action_id?: string; value?: string };
/** Every button of a message (in its action blocks and section accessories). */
function buttons(message: { blocks: unknown[] }): Element[] {
  return (message.blocks as Array<{ elements?: Element[]; accessory?: Element }>).flatMap((block) => [
    ...(block.elements ?? []),
    ...(block.accessory ? [block.accessory] : []),
  ]);
}
const textOf = (message: SlackMessage) => JSON.stringify(message.blocks);

/** The account card the command answered with (through its response URL), as the user sees it. */
async function cardFor(user: string, query: string): Promise<SlackMessage> {
  const earlier = slack().sandbox.records.ephemerals(user).length;
  const ack = await slack().driver.command({ command: "/billing", text: query, user });
  expect(ack.status).toBe(200);
  return slack().sandbox.records.waitFor(() =>
    slack()
      .sandbox.records.ephemerals(user)
      .slice(earlier)
      .find((m) => m.via === "response_url" && textOf(m).includes(target.name)),
  );
}

/** A declined charge for the target account, delivered to Reckon by the sandbox's webhook like Stripe would. */
async function declinedCharge(amount: number): Promise<string> {
  const { charge } = stack.demo!.sandbox.changes.addCharge({ customerId: target.stripeCustomer, amount, failed: true });
  for (let i = 0; i < 100; i++) {
    const [row] = await queryRows<{ status: string }>(
      stack.services.db,
      sql`select status from payments where source = 'stripe' and source_id = ${charge.id}`,
    );
    if (row) return charge.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the sandbox's webhook for ${charge.id} never reached Reckon`);
}

beforeAll(async () => {
  stack = await startTestStack({ accounts: 16, months: 2 });
  const [row] = await queryRows<{ id: string; name: string; stripe_customer_id: string; email: string }>(
    stack.services.db,
    sql`select a.id, a.name, a.stripe_customer_id, u.email from accounts a join users u on u.id = a.owner_id
        where a.stripe_customer_id is not null order by a.name limit 1`,
  );
  const user = (email: string) => slack().sandbox.workspace.user(email)!.id;
  target = {
    accountId: row!.id,
    name: row!.name,
    stripeCustomer: row!.stripe_customer_id,
    managerEmail: row!.email,
    managerSlack: user(row!.email),
  };
  financeSlack = user(stack.as.finance.email);
  viewerSlack = user(stack.as.viewer.email);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe("Retry payment with finance approval", () => {
  it("runs from the card to one Stripe retry, and updates both messages with the outcome", async () => {
    const chargeId = await declinedCharge(4_200);
    const card = await cardFor(target.managerSlack, target.accountId);
    const retryButton = buttons(card).find((b) => b.action_id === `reckon.retry_payment:${chargeId}`);
    expect(retryButton, "the card offers Retry for the declined payment").toBeDefined();

    const click = await slack().driver.click({
      user: target.managerSlack,
      actionId: retryButton!.action_id!,
      channel: card.channel,
      messageTs: card.ts,
    });
    expect(click.status).toBe(200);
    expect(click.ackMs).toBeLessThan(3_000);

    // The approval request lands in #finance with who, which payment, how much, why it failed, and the buttons.
    const approval = await slack().sandbox.records.waitFor(() =>
      slack()
        .sandbox.records.messages(finance())
        .find((m) => textOf(m).includes(chargeId)),
    );
    expect(textOf(approval)).toContain("$42.00");
    expect(textOf(approval)).toContain("card_declined");
    const approve = buttons(approval).find((b) => b.action_id === "reckon.approve_retry")!;
    expect(buttons(approval).map((b) => b.action_id)).toContain("reckon.reject_retry");

    // The requester's copy, in their direct messages.
    const im = slack().sandbox.workspace.imWith(target.managerSlack).id;
    const receipt = await slack().sandbox.records.waitFor(() =>
      slack()
        .sandbox.records.messages(im)
        .find((m) => textOf(m).includes(chargeId)),
    );
    expect(textOf(receipt)).toContain("Waiting for finance");

    // An account manager may not approve their own request.
    await slack().driver.click({
      user: target.managerSlack,
      actionId: approve.action_id!,
      channel: approval.channel,
      messageTs: approval.ts,
    });
    const refused = await slack().sandbox.records.waitFor(() =>
      slack()
        .sandbox.records.ephemerals(target.managerSlack)
        .find((m) => m.text.includes("payments.retry.approve") || /not allowed|permission/i.test(m.text)),
    );
    expect(refused).toBeDefined();

    // Finance double-clicks, and Slack redelivers one of the clicks: Stripe is asked once.
    const clicks = await Promise.all([
      slack().driver.click({
        user: financeSlack,
        actionId: approve.action_id!,
        channel: approval.channel,
        messageTs: approval.ts,
      }),
      slack().driver.click({
        user: financeSlack,
        actionId: approve.action_id!,
        channel: approval.channel,
        messageTs: approval.ts,
      }),
    ]);
    await slack().driver.redeliver(clicks[0]!);
    for (const answer of clicks) expect(answer.status).toBe(200);

    const settled = await slack().sandbox.records.waitFor(
      () => {
        const now = slack().sandbox.records.message(approval.channel, approval.ts)!;
        return /Paid|Failed again/.test(textOf(now)) ? now : null;
      },
      { timeoutMs: 15_000 },
    );
    expect(buttons(settled).map((b) => b.action_id)).not.toContain("reckon.approve_retry");
    const intent = `pi_${chargeId.slice(3)}`;
    const charges = stack.demo!.sandbox.scenario.stripe.charges.filter((c) => c.payment_intent === intent);
    expect(charges, "the declined charge and exactly one retry").toHaveLength(2);
    const receiptNow = await slack().sandbox.records.waitFor(() => {
      const m = slack().sandbox.records.message(receipt.channel, receipt.ts)!;
      return /Paid|Failed again/.test(textOf(m)) ? m : null;
    });
    expect(receiptNow.edits.length).toBeGreaterThan(0);

    // The approval is in the audit log, with the Slack user's Reckon identity.
    const audit = await queryRows<{ action: string; actor_user_id: string | null }>(
      stack.services.db,
      sql`select action, actor_user_id::text from audit_log where action like 'payment_retry.%' order by at`,
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["payment_retry.requested", "payment_retry.approved"]),
    );
    expect(audit.filter((a) => a.action === "payment_retry.approved")).toHaveLength(1);
  }, 60_000);

  it("answers a second Retry click with the open request instead of asking finance twice", async () => {
    const chargeId = await declinedCharge(1_500);
    const card = await cardFor(target.managerSlack, target.accountId);
    const actionId = `reckon.retry_payment:${chargeId}`;
    for (let i = 0; i < 2; i++) {
      await slack().driver.click({ user: target.managerSlack, actionId, channel: card.channel, messageTs: card.ts });
    }
    await slack().sandbox.records.waitFor(() =>
      slack()
        .sandbox.records.ephemerals(target.managerSlack)
        .find((m) => m.text.includes("already requested")),
    );
    await stack.services.jobs.drain();
    const posted = slack()
      .sandbox.records.messages(finance())
      .filter((m) => textOf(m).includes(chargeId));
    expect(posted).toHaveLength(1);
  }, 30_000);
});

describe("Flag issue", () => {
  it("records the flag from the modal, posts it to #finance, and lets finance resolve it there", async () => {
    const card = await cardFor(target.managerSlack, target.accountId);
    const flagButton = buttons(card).find((b) => b.action_id === "reckon.flag_issue")!;
    await slack().driver.click({
      user: target.managerSlack,
      actionId: flagButton.action_id!,
      channel: card.channel,
      messageTs: card.ts,
    });
    const modal = await slack().sandbox.records.waitFor(() =>
      slack()
        .sandbox.records.views(target.managerSlack)
        .find((v) => v.type === "modal" && !v.closed),
    );

    // "Something else" needs a note; a bad amount is refused beside its field. Nothing is recorded.
    const noNote = await slack().driver.submitView({ viewId: modal.id, values: { flag_reason: "other" } });
    expect(noNote.body).toMatchObject({ response_action: "errors", errors: { flag_note: expect.any(String) } });
    const badAmount = await slack().driver.submitView({
      viewId: modal.id,
      values: { flag_reason: "other", flag_note: "looks off", flag_amount: "twelve" },
    });
    expect(badAmount.body).toMatchObject({ response_action: "errors", errors: { flag_amount: expect.any(String) } });
    const before = await queryRows<{ n: number }>(stack.services.db, sql`select count(*)::int as n from flags`);
    expect(before[0]!.n).toBe(0);

    const submitted = await slack().driver.submitView({
      viewId: modal.id,
      values: { flag_reason: "other", flag_note: "Invoice says 40 seats, contract 30", flag_amount: "1,250.00" },
    });
    expect(submitted.status).toBe(200);
    await slack().driver.redeliver(submitted);
    const posted = await slack().sandbox.records.waitFor(() =>
      slack()
        .sandbox.records.messages(finance())
        .find((m) => textOf(m).includes("contract 30")),
    );
    expect(textOf(posted)).toContain("1,250.00");

    // One flag, in the API for the account, remembering its thread.
    type FlagList = { flags: Array<{ status: string; slackThread: unknown }> };
    const flags = (await (await stack.fetch(`/v1/accounts/${target.accountId}/flags`)).json()) as FlagList;
    expect(flags.flags).toHaveLength(1);
    expect(flags.flags[0]).toMatchObject({ status: "open", slackThread: { channelId: posted.channel, ts: posted.ts } });

    // A viewer cannot resolve it; finance can, once.
    const resolve = buttons(posted).find((b) => b.action_id === "reckon.resolve_flag")!;
    await slack().driver.click({
      user: viewerSlack,
      actionId: resolve.action_id!,
      channel: posted.channel,
      messageTs: posted.ts,
    });
    await slack().sandbox.records.waitFor(() => slack().sandbox.records.ephemerals(viewerSlack).length > 0);
    await slack().driver.click({
      user: financeSlack,
      actionId: resolve.action_id!,
      channel: posted.channel,
      messageTs: posted.ts,
    });
    const reply = await slack().sandbox.records.waitFor(
      () => slack().sandbox.records.thread(posted.channel, posted.ts)[0],
    );
    expect(reply.text).toContain("Resolved by");
    const parent = slack().sandbox.records.message(posted.channel, posted.ts)!;
    expect(buttons(parent).map((b) => b.action_id)).not.toContain("reckon.resolve_flag");
    const after = (await (await stack.fetch(`/v1/accounts/${target.accountId}/flags`)).json()) as FlagList;
    expect(after.flags[0]!.status).toBe("resolved");
  }, 60_000);
});

describe("the web view's Slack page (embedded default)", () => {
  it("shows what the bot posted, rendered as Block Kit, and sends /billing as the signed-in user", async () => {
    const page = await stack.fetch("/slack", {}, "finance");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Payment retry");
    expect(html).toContain("Flag:");
    expect(html).toMatch(/class="sk-/);

    const sent = await stack.fetch(
      "/slack/command",
      { method: "POST", body: new URLSearchParams({ text: "overdue" }), redirect: "manual" },
      "finance",
    );
    expect(sent.status).toBe(303);
    const after = await (await stack.fetch(sent.headers.get("location")!, {}, "finance")).text();
    expect(after).toContain("Sent: /billing overdue");
    expect(after).toMatch(/Overdue|Nothing overdue/);
  }, 30_000);

  it("signed out, sends people to sign in", async () => {
    const page = await stack.fetch("/slack", { redirect: "manual" }, null);
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toContain("/sign-in");
  });
});
