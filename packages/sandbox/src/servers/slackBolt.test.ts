// The driver and the Slack sandbox against a real Bolt app: signed requests in, Web API calls out, all recorded.
import { App, isValidSlackRequest, LogLevel } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackDriver, type SlackDelivery, type SlackDriver, signSlackRequest } from "../slack/driver.js";
import { type RunningSlackSandbox, startSlackSandbox } from "../slack/start.js";

let slack: RunningSlackSandbox;
let app: App;
let driver: SlackDriver;
const retriesSeen: Array<{ num: number | undefined; reason: string | undefined }> = [];
const flagModal = {
  type: "modal" as const,
  callback_id: "flag_issue",
  private_metadata: "",
  title: { type: "plain_text" as const, text: "Flag issue" },
  submit: { type: "plain_text" as const, text: "Flag" },
  blocks: [
    {
      type: "input" as const,
      block_id: "reason",
      label: { type: "plain_text" as const, text: "Reason" },
      element: {
        type: "static_select" as const,
        action_id: "reason_select",
        options: [
          { text: { type: "plain_text" as const, text: "Wrong amount" }, value: "wrong_amount" },
          { text: { type: "plain_text" as const, text: "Duplicate" }, value: "duplicate" },
        ],
      },
    },
    {
      type: "input" as const,
      block_id: "note",
      optional: true,
      label: { type: "plain_text" as const, text: "Note" },
      element: { type: "plain_text_input" as const, action_id: "note_input", multiline: true },
    },
  ],
};

beforeAll(async () => {
  slack = await startSlackSandbox();
  const { bot } = slack.workspace;
  app = new App({
    signingSecret: slack.signingSecret,
    authorize: async () => ({ botToken: slack.botToken, botId: bot.botId, botUserId: bot.userId }),
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.command("/billing", async ({ ack, command, client, respond }) => {
    await ack({ text: `Looking up ${command.text}…` });
    await client.chat.postMessage({
      channel: "#finance",
      text: `Acme Corp: invoice 1042 failed (asked by <@${command.user_id}>)`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "*Acme Corp*: invoice 1042 payment failed" } },
        {
          type: "actions",
          block_id: "account_actions",
          elements: [
            {
              type: "button",
              action_id: "flag_issue",
              text: { type: "plain_text", text: "Flag issue" },
              value: "acct_1",
            },
          ],
        },
      ],
    });
    await respond({ replace_original: true, text: "Posted to #finance" });
  });
  app.action("flag_issue", async ({ ack, body, client, respond }) => {
    await ack();
    if (body.type !== "block_actions") return;
    const message = body.message!;
    const channel = body.channel!.id;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: { ...flagModal, private_metadata: JSON.stringify({ channel, ts: message.ts }) },
    });
    await respond({ replace_original: true, text: "Flag in progress", blocks: [] });
  });
  app.view("flag_issue", async ({ ack, view, client }) => {
    const reason = view.state.values.reason?.reason_select?.selected_option?.value;
    if (!reason) {
      await ack({ response_action: "errors", errors: { reason: "Pick a reason" } });
      return;
    }
    await ack();
    const { channel, ts } = JSON.parse(view.private_metadata) as { channel: string; ts: string };
    const note = view.state.values.note?.note_input?.value ?? "";
    await client.chat.postMessage({ channel, thread_ts: ts, text: `Flagged: ${reason} ${note}`.trim() });
  });
  app.event("app_home_opened", async ({ event, client, context }) => {
    retriesSeen.push({ num: context.retryNum, reason: context.retryReason });
    await client.views.publish({
      user_id: event.user,
      view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Your portfolio*" } }] },
    });
  });
  const server = (await app.start(0)) as { address(): { port: number } };
  driver = createSlackDriver({ url: `http://127.0.0.1:${server.address().port}/slack/events`, slack });
});
afterAll(async () => {
  await app.stop();
  await slack.stop();
});
beforeEach(() => {
  slack.records.clear();
  slack.faults.reset();
  retriesSeen.length = 0;
});

const ava = () => slack.workspace.user("ava.manager")!;

describe("Slack driver signatures, checked by Bolt's verifier", () => {
  it("reproduces Slack's documented example signature", () => {
    // docs.slack.dev "Verifying requests from Slack": the example slash-command body, secret and timestamp.
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const signature = signSlackRequest("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body);
    expect(signature).toBe("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    const check = (s: string) =>
      isValidSlackRequest({
        signingSecret: "8f742231b10e8888abcd99yyyzzz85a5",
        body,
        headers: { "x-slack-signature": s, "x-slack-request-timestamp": 1531420618 },
        nowMilliseconds: 1531420618 * 1000 + 30_000,
      });
    expect(check(signature)).toBe(true);
    expect(check(signature.replace(/.$/, "0"))).toBe(false);
  });

  it("signs what it sends so Bolt's verifier accepts it, and the bad option so it does not", async () => {
    const verify = (delivery: SlackDelivery, headerSignature: string | undefined, timestamp: number) =>
      isValidSlackRequest({
        signingSecret: slack.signingSecret,
        body: delivery.request.body,
        headers: { "x-slack-signature": headerSignature ?? "", "x-slack-request-timestamp": timestamp },
      });
    const now = Math.floor(Date.now() / 1000);
    const good = await driver.urlVerification("challenge-1", { timestamp: now });
    expect(verify(good, signSlackRequest(slack.signingSecret, now, good.request.body), now)).toBe(true);
    expect(good).toMatchObject({ status: 200, body: { challenge: "challenge-1" } });
    expect(verify(good, signSlackRequest("another-secret", now, good.request.body), now)).toBe(false);
  });
});

describe("A Bolt app driven through the Slack sandbox", () => {
  it("acknowledges a slash command, posts with chat.postMessage and responds through the response URL", async () => {
    const delivery = await driver.command({ command: "/billing", text: "Acme Corp", user: ava().email });
    expect(delivery.status).toBe(200);
    expect(delivery.ackMs).toBeLessThan(3_000);
    expect(delivery.body).toEqual({ text: "Looking up Acme Corp…" });
    const posted = await slack.records.waitFor(() => slack.records.messages("#finance")[0]);
    expect(posted).toMatchObject({ via: "chat.postMessage", user: slack.workspace.bot.userId, threadTs: null });
    expect(posted.text).toContain(`<@${ava().id}>`);
    expect(posted.blocks).toHaveLength(2);
    // The acknowledgement was the first (ephemeral) response; respond() replaced it.
    const shown = await slack.records.waitFor(() => slack.records.ephemerals(ava().id).find((m) => m.edits.length));
    expect(shown).toMatchObject({
      via: "command_ack",
      text: "Posted to #finance",
      edits: [{ text: "Looking up Acme Corp…" }],
    });
    expect(slack.records.responses()).toMatchObject([
      { kind: "command", outcome: "replaced", url: delivery.responseUrl },
    ]);
    await slack.records.waitFor(() => slack.faults.requests().length === 2);
    expect(slack.faults.requests().map((r) => [r.method, r.ok])).toEqual([
      ["chat.postMessage", true],
      ["response_url", true],
    ]);
  });

  it("clicks a button on the posted message: views.open takes the trigger id, respond replaces the message", async () => {
    await driver.command({ command: "/billing", text: "Acme Corp", user: ava().id });
    const posted = await slack.records.waitFor(() => slack.records.messages("finance")[0]);
    const click = await driver.click({
      user: ava().id,
      channel: "finance",
      messageTs: posted.ts,
      actionId: "flag_issue",
    });
    expect(click.status).toBe(200);
    const modal = await slack.records.waitFor(() => slack.records.views(ava().id)[0]);
    expect(modal).toMatchObject({
      type: "modal",
      via: "views.open",
      closed: false,
      view: { callback_id: "flag_issue" },
    });
    await slack.records.waitFor(() => posted.edits.length === 1);
    expect(posted).toMatchObject({ text: "Flag in progress", blocks: [] });
    expect(slack.faults.requests("views.open")).toMatchObject([{ ok: true }]);

    const refused = await driver.submitView({ viewId: modal.id });
    expect(refused.body).toEqual({ response_action: "errors", errors: { reason: "Pick a reason" } });
    expect(slack.records.view(modal.id)).toMatchObject({ closed: false, errors: { reason: "Pick a reason" } });
    const submitted = await driver.submitView({
      viewId: modal.id,
      values: { reason: "duplicate", note_input: "twice" },
    });
    expect(submitted.status).toBe(200);
    expect(slack.records.view(modal.id)!.closed).toBe(true);
    const reply = await slack.records.waitFor(() => slack.records.thread("finance", posted.ts)[0]);
    expect(reply.text).toBe("Flagged: duplicate twice");
  });

  it("publishes the App Home when it opens, and hands a retry's number and reason to the app", async () => {
    const opened = await driver.appHomeOpened({ user: ava().id });
    expect(opened.status).toBe(200);
    const home = await slack.records.waitFor(() => slack.records.homeView(ava().id));
    expect(home.view.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: "*Your portfolio*" } }]);
    const again = await driver.redeliver(opened, { retry: { num: 1, reason: "http_timeout" } });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.request.body).event_id).toBe(opened.eventId);
    await slack.records.waitFor(() => retriesSeen.length === 2);
    expect(retriesSeen).toEqual([
      { num: undefined, reason: undefined },
      { num: 1, reason: "http_timeout" },
    ]);
    expect(JSON.parse(opened.request.body).event.view).toBeUndefined();
    const reopened = await driver.appHomeOpened({ user: ava().id });
    expect(JSON.parse(reopened.request.body).event.view.id).toBe(home.id);
    await slack.records.waitFor(() => slack.faults.requests("views.publish").length === 3);
  });

  it("is refused by Bolt with a bad signature, a stale timestamp or none at all, and nothing runs", async () => {
    const input = { command: "/billing", text: "Acme Corp", user: ava().id };
    const bad = await driver.command(input, { signature: "bad" });
    const stale = await driver.command(input, { staleBySeconds: 6 * 60 });
    const missing = await driver.command(input, { signature: "missing" });
    expect([bad.status, stale.status, missing.status]).toEqual([401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.records.messages()).toEqual([]);
    expect(slack.records.ephemerals()).toEqual([]);
    expect(slack.faults.requests()).toEqual([]);
  });
});
