// The Slack sandbox's interaction surfaces: modals and App Home through views.*, response URLs, and its place in
// startSandbox.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { startSandbox } from "../sandbox.js";
import { type RunningSlackSandbox, startSlackSandbox } from "../slack/start.js";

let slack: RunningSlackSandbox;
let web: WebClient;
let clock = new Date("2026-11-25T15:00:00Z");

beforeAll(async () => {
  slack = await startSlackSandbox({ now: () => clock });
  web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(() => slack.stop());
beforeEach(() => {
  slack.faults.reset();
  slack.records.clear();
  clock = new Date(clock.getTime() + 60_000);
});

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("Slack sandbox: views", () => {
  const modal = {
    type: "modal" as const,
    callback_id: "flag_issue",
    title: { type: "plain_text" as const, text: "Flag issue" },
    submit: { type: "plain_text" as const, text: "Flag" },
    blocks: [
      {
        type: "input" as const,
        block_id: "note",
        label: { type: "plain_text" as const, text: "Note" },
        element: { type: "plain_text_input" as const, action_id: "note_input" },
      },
    ],
  };

  it("opens a modal once per fresh trigger id and refuses unknown, used and expired ones", async () => {
    const fin = slack.workspace.user("fin.ledger")!;
    const trigger = slack.issueTriggerId(fin.id);
    const opened = await web.views.open({ trigger_id: trigger, view: modal });
    expect(opened.view).toMatchObject({ type: "modal", callback_id: "flag_issue", state: { values: {} } });
    expect(opened.view!.id).toMatch(/^V0/);
    expect(slack.records.views(fin.id).map((v) => v.view.id)).toEqual([opened.view!.id]);
    const errorOf = (trigger_id: string) =>
      web.views.open({ trigger_id, view: modal }).catch((e: { data: { error: string } }) => e.data.error);
    expect(await errorOf(trigger)).toBe("exchanged_trigger_id");
    expect(await errorOf("123.456.abc")).toBe("invalid_trigger_id");
    const late = slack.issueTriggerId(fin.id);
    clock = new Date(clock.getTime() + 3_001);
    expect(await errorOf(late)).toBe("expired_trigger_id");
    const noSubmit = await web.views
      .open({ trigger_id: slack.issueTriggerId(fin.id), view: { ...modal, submit: undefined } })
      .catch((e: { data: unknown }) => e.data);
    expect(noSubmit).toMatchObject({ error: "invalid_arguments" });
  });

  it("updates a view by id with hash checks, and publishes one App Home per user", async () => {
    const opened = await web.views.open({ trigger_id: slack.issueTriggerId("U0X"), view: modal });
    const updated = await web.views.update({
      view_id: opened.view!.id!,
      hash: opened.view!.hash!,
      view: { ...modal, title: { type: "plain_text", text: "Flag issue (2)" } },
    });
    expect(updated.view).toMatchObject({ id: opened.view!.id, title: { text: "Flag issue (2)" } });
    await expect(
      web.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view: modal }),
    ).rejects.toMatchObject({ data: { error: "hash_conflict" } });
    const ava = slack.workspace.user("ava.manager")!;
    const home = { type: "home" as const, blocks: [section("*Your portfolio*")] };
    const first = await web.views.publish({ user_id: ava.id, view: home });
    const second = await web.views.publish({ user_id: ava.id, view: { ...home, blocks: [section("updated")] } });
    expect(second.view!.id).toBe(first.view!.id);
    expect(slack.records.homeView(ava.id)).toMatchObject({ versions: [{ blocks: [section("*Your portfolio*")] }] });
    expect(slack.records.homeView(ava.id)!.view.blocks).toEqual([section("updated")]);
  });
});

describe("Slack sandbox: response URLs", () => {
  const post = (url: string, body: unknown) =>
    fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  it("posts ephemeral by default and in_channel on request, and takes five posts at most", async () => {
    const ava = slack.workspace.user("ava.manager")!;
    const finance = slack.workspace.channel("finance")!;
    const url = slack.issueResponseUrl({ kind: "command", channel: finance.id, user: ava.id, originalTs: null });
    expect(url).toMatch(new RegExp(`^${slack.origin}/commands/${slack.workspace.team.id}/\\d+/[\\w-]+$`));
    expect((await post(url, { text: "Looking that up" })).status).toBe(200);
    await post(url, { text: "Replaced", replace_original: true });
    await post(url, { response_type: "in_channel", text: "Portfolio", blocks: [section("*3 overdue*")] });
    expect(slack.records.ephemerals(ava.id).map((m) => [m.text, m.edits.length])).toEqual([["Replaced", 1]]);
    expect(slack.records.messages("finance").map((m) => [m.text, m.via])).toEqual([["Portfolio", "response_url"]]);
    expect((await post(url, {})).status).toBe(400);
    await post(url, { text: "4" });
    const sixth = await post(url, { text: "6" });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: "used_url" });
    expect(slack.records.responses().map((r) => r.outcome)).toEqual([
      "posted",
      "replaced",
      "posted",
      "rejected",
      "posted",
      "rejected",
    ]);
  });

  it("replaces or deletes the message an action came from, and expires after 30 minutes", async () => {
    const fin = slack.workspace.user("fin.ledger")!;
    const original = await web.chat.postMessage({
      channel: "finance",
      text: "Approve retry?",
      blocks: [section("v1")],
    });
    const context = { kind: "action" as const, channel: original.channel!, user: fin.id, originalTs: original.ts! };
    await post(slack.issueResponseUrl(context), { replace_original: true, text: "Approved by Fin" });
    const message = slack.records.message("finance", original.ts!)!;
    expect(message).toMatchObject({ text: "Approved by Fin", blocks: [], edits: [{ text: "Approve retry?" }] });
    await post(slack.issueResponseUrl(context), { delete_original: true });
    expect(slack.records.messages("finance")).toEqual([]);
    const late = slack.issueResponseUrl(context);
    clock = new Date(clock.getTime() + 30 * 60_000 + 1);
    expect(await (await post(late, { text: "too late" })).json()).toEqual({ ok: false, error: "expired_url" });
    expect((await post(`${slack.origin}/actions/T0/1/nope`, { text: "x" })).status).toBe(404);
  });
});

describe("startSandbox", () => {
  it("runs the Slack server beside the others, its people the scenario's account managers", async () => {
    const scenario = generateScenario({ seed: 5, accounts: 4, months: 2, asOf: "2026-11-25" });
    const sandbox = await startSandbox(scenario, { slack: { channels: [{ name: "finance" }, { name: "ar-team" }] } });
    try {
      const client = new WebClient(sandbox.slack.botToken, {
        slackApiUrl: sandbox.slack.apiUrl,
        retryConfig: { retries: 0 },
      });
      const owner = scenario.tenant.owners[0]!;
      const found = await client.users.lookupByEmail({ email: owner.email });
      expect(found.user).toMatchObject({ real_name: owner.name, profile: { email: owner.email } });
      const listed = await client.conversations.list({});
      expect(listed.channels!.map((c) => c.name)).toEqual(["finance", "ar-team"]);
      await client.chat.postMessage({ channel: found.user!.id!, text: "Quarter ends in 14 days" });
      expect(sandbox.slack.records.messages().map((m) => m.text)).toEqual(["Quarter ends in 14 days"]);
    } finally {
      await sandbox.stop();
    }
  });
});
