// The Slack Web API fake through the official @slack/web-api client and raw requests: auth, bodies, messages,
// directory pagination and fault switches.
import { ErrorCode, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSlackSandbox, startSlackSandbox } from "../slack/start.js";

let slack: RunningSlackSandbox;
let web: WebClient;
let clock = new Date("2026-11-25T15:00:00Z");
const seed = {
  now: () => clock,
  users: [
    { email: "ava.manager@acme.example.com", realName: "Ava Manager", tz: "America/New_York" },
    { email: "fin.ledger@acme.example.com", realName: "Fin Ledger", tz: "Europe/London" },
    { email: "outsider@acme.example.com" },
  ],
  channels: [
    { name: "general" },
    { name: "finance", members: ["fin.ledger@acme.example.com", "ava.manager@acme.example.com"] },
    { name: "random", botIsMember: false },
    { name: "old-billing", isArchived: true },
    { name: "secret-deals", isPrivate: true, botIsMember: false },
    { name: "finance-leads", isPrivate: true },
  ],
};

beforeAll(async () => {
  slack = await startSlackSandbox(seed);
  web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(() => slack.stop());
beforeEach(() => {
  slack.faults.reset();
  slack.records.clear();
  clock = new Date(clock.getTime() + 60_000);
});

const call = (method: string, init: RequestInit = {}) => fetch(`${slack.apiUrl}${method}`, { method: "POST", ...init });
const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("Slack sandbox: auth and bodies", () => {
  it("answers a missing or wrong token as Slack does: HTTP 200, ok false", async () => {
    const missing = await call("auth.test");
    expect(missing.status).toBe(200);
    expect(await missing.json()).toEqual({ ok: false, error: "not_authed" });
    const wrong = new WebClient("xoxb-wrong", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(wrong.auth.test()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: "invalid_auth" },
    });
    // A token in a form body counts; in a JSON body it does not (Slack wants the header for JSON).
    const inForm = await call("auth.test", { body: new URLSearchParams({ token: slack.botToken }) });
    expect(await inForm.json()).toMatchObject({ ok: true, user_id: slack.workspace.bot.userId });
    const inJson = await call("auth.test", {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: slack.botToken }),
    });
    expect(await inJson.json()).toMatchObject({ ok: false, error: "not_authed" });
    expect(slack.faults.requests("auth.test").map((r) => r.error)).toEqual([
      "not_authed",
      "invalid_auth",
      null,
      "not_authed",
    ]);
  });

  it("answers auth.test with the bot's identity and unknown methods with unknown_method", async () => {
    await expect(web.auth.test()).resolves.toMatchObject({
      ok: true,
      team_id: slack.workspace.team.id,
      user_id: slack.workspace.bot.userId,
      bot_id: slack.workspace.bot.botId,
      url: "https://reckon-sandbox.slack.com/",
    });
    const answer = await call("chat.fly", { headers: { Authorization: `Bearer ${slack.botToken}` } });
    expect(await answer.json()).toEqual({ ok: false, error: "unknown_method", req_method: "chat.fly" });
  });

  it("takes form bodies with blocks as a JSON string (what @slack/web-api sends) and JSON bodies alike", async () => {
    const viaClient = await web.chat.postMessage({ channel: "#finance", text: "form", blocks: [section("*form*")] });
    const viaJson = await call("chat.postMessage", {
      headers: { Authorization: `Bearer ${slack.botToken}`, "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: "finance", text: "json", blocks: [section("_json_")] }),
    }).then((r) => r.json());
    const finance = slack.workspace.channel("finance")!;
    expect(viaClient).toMatchObject({ ok: true, channel: finance.id });
    expect(viaJson).toMatchObject({ ok: true, channel: finance.id, message: { text: "json", bot_id: "B0RECKONBOT" } });
    expect(slack.records.messages("#finance").map((m) => [m.text, m.blocks])).toEqual([
      ["form", [section("*form*")]],
      ["json", [section("_json_")]],
    ]);
    const broken = await call("chat.postMessage", {
      headers: { Authorization: `Bearer ${slack.botToken}`, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(await broken.json()).toEqual({ ok: false, error: "invalid_json" });
  });
});

describe("Slack sandbox: messages", () => {
  it("gives every message a Slack-style ts, unique and increasing even within one millisecond", async () => {
    const posted = [];
    for (let i = 0; i < 25; i++) posted.push(await web.chat.postMessage({ channel: "general", text: `n${i}` }));
    const stamps = posted.map((p) => p.ts!);
    for (const ts of stamps) expect(ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(new Set(stamps).size).toBe(25);
    expect([...stamps].sort((a, b) => Number(a) - Number(b))).toEqual(stamps);
    expect(Number(stamps[0]!.split(".")[0])).toBe(Math.floor(clock.getTime() / 1000));
  });

  it("threads replies, resolves a reply's ts to its parent, and posts to the channel when thread_ts matches nothing", async () => {
    const parent = await web.chat.postMessage({ channel: "finance", text: "Approval needed" });
    const reply = await web.chat.postMessage({ channel: "finance", text: "first", thread_ts: parent.ts });
    await web.chat.postMessage({ channel: "finance", text: "second", thread_ts: reply.ts });
    expect(reply.message).toMatchObject({ thread_ts: parent.ts, parent_user_id: slack.workspace.bot.userId });
    expect(slack.records.thread("finance", parent.ts!).map((m) => m.text)).toEqual(["first", "second"]);
    // A float thread_ts loses its trailing zeros: Slack then posts to the channel, not the thread.
    const lost = await call("chat.postMessage", {
      headers: { Authorization: `Bearer ${slack.botToken}`, "Content-Type": "application/json" },
      body: `{"channel":"finance","text":"lost","thread_ts":${Number("1764082800.000100")}}`,
    }).then((r) => r.json() as Promise<{ ts: string; message: { thread_ts?: string } }>);
    expect(lost.message.thread_ts).toBeUndefined();
    expect(slack.records.message("finance", lost.ts)).toMatchObject({
      threadTs: null,
      unmatchedThreadTs: "1764082800.0001",
    });
  });

  it("keeps the edit history of chat.update, and keeps blocks an update leaves out", async () => {
    const posted = await web.chat.postMessage({ channel: "finance", text: "Retry requested", blocks: [section("v1")] });
    await web.chat.update({
      channel: posted.channel!,
      ts: posted.ts!,
      text: "Retry approved",
      blocks: [section("v2")],
    });
    const answer = await web.chat.update({ channel: posted.channel!, ts: posted.ts!, text: "Retry succeeded" });
    expect(answer).toMatchObject({ ok: true, ts: posted.ts, text: "Retry succeeded" });
    const message = slack.records.message("finance", posted.ts!)!;
    expect(message).toMatchObject({ text: "Retry succeeded", blocks: [section("v2")] });
    expect(message.edited?.user).toBe(slack.workspace.bot.userId);
    expect(message.edits.map((e) => [e.text, e.blocks])).toEqual([
      ["Retry requested", [section("v1")]],
      ["Retry approved", [section("v2")]],
    ]);
    await expect(web.chat.update({ channel: "finance", ts: "1.000000", text: "x" })).rejects.toMatchObject({
      data: { error: "message_not_found" },
    });
  });

  it("answers channel_not_found, not_in_channel, is_archived and no_text", async () => {
    const errorOf = (args: { channel: string; text?: string }) =>
      web.chat.postMessage(args as never).then(
        () => "ok",
        (e: { data: { error: string } }) => e.data.error,
      );
    expect(await errorOf({ channel: "C0NOPE", text: "x" })).toBe("channel_not_found");
    expect(await errorOf({ channel: "secret-deals", text: "x" })).toBe("channel_not_found");
    expect(await errorOf({ channel: "random", text: "x" })).toBe("not_in_channel");
    expect(await errorOf({ channel: "old-billing", text: "x" })).toBe("is_archived");
    expect(await errorOf({ channel: "finance" })).toBe("no_text");
    expect(await errorOf({ channel: "finance-leads", text: "x" })).toBe("ok");
    expect(slack.records.messages().length).toBe(1);
  });

  it("rejects malformed blocks with Slack's invalid_blocks and a json-pointer", async () => {
    const bad = await web.chat
      .postMessage({
        channel: "finance",
        text: "x",
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: "ok" } },
          { type: "header", text: { type: "mrkdwn", text: "no" } },
        ],
      } as never)
      .catch((e: { data: unknown }) => e.data);
    expect(bad).toMatchObject({ ok: false, error: "invalid_blocks" });
    expect((bad as { response_metadata: { messages: string[] } }).response_metadata.messages[0]).toMatch(
      /^\[ERROR\] .* \[json-pointer:\/blocks\/1\/text\/type\]$/,
    );
    const notJson = await call("chat.postMessage", {
      body: new URLSearchParams({ token: slack.botToken, channel: "finance", text: "x", blocks: "[{oops" }),
    }).then((r) => r.json());
    expect(notJson).toMatchObject({ ok: false, error: "invalid_blocks_format" });
    const missing = await call("chat.postMessage", { body: new URLSearchParams({ token: slack.botToken, text: "x" }) });
    expect(await missing.json()).toEqual({
      ok: false,
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] missing required field: channel"] },
    });
  });

  it("posts to a user id in the bot's direct message, and ephemeral messages only to members", async () => {
    const ava = slack.workspace.user("ava.manager@acme.example.com")!;
    const dm = await web.chat.postMessage({ channel: ava.id, text: "Your digest" });
    expect(dm.channel).toMatch(/^D0/);
    await expect(web.conversations.info({ channel: dm.channel! })).resolves.toMatchObject({
      channel: { is_im: true, user: ava.id },
    });
    const eph = await web.chat.postEphemeral({ channel: "finance", user: ava.id, text: "Only you" });
    expect(eph.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(slack.records.ephemerals(ava.email).map((m) => m.text)).toEqual(["Only you"]);
    expect(slack.records.messages("finance")).toEqual([]);
    await expect(
      web.chat.postEphemeral({ channel: "finance", user: "outsider@acme.example.com", text: "x" }),
    ).rejects.toMatchObject({ data: { error: "user_not_found" } });
    const outsider = slack.workspace.user("outsider")!;
    await expect(web.chat.postEphemeral({ channel: "finance", user: outsider.id, text: "x" })).rejects.toMatchObject({
      data: { error: "user_not_in_channel" },
    });
  });
});

describe("Slack sandbox: directory", () => {
  it("pages conversations.list with next_cursor, as the client's paginate() follows it", async () => {
    const first = await web.conversations.list({ limit: 2 });
    expect(first.channels!.map((c) => c.name)).toEqual(["general", "finance"]);
    expect(first.response_metadata!.next_cursor).not.toBe("");
    const names: string[] = [];
    for await (const page of web.paginate("conversations.list", {
      limit: 2,
      types: "public_channel,private_channel",
    })) {
      names.push(...(page as unknown as { channels: Array<{ name: string }> }).channels.map((c) => c.name));
    }
    // The private channel the bot is not in stays invisible; the one it is in shows up.
    expect(names).toEqual(["general", "finance", "random", "old-billing", "finance-leads"]);
    const active = await web.conversations.list({ exclude_archived: true, limit: 100 });
    expect(active.channels!.map((c) => c.name)).toEqual(["general", "finance", "random"]);
    expect(active.response_metadata!.next_cursor).toBe("");
    await expect(web.conversations.list({ cursor: "bm9wZQ==" })).rejects.toMatchObject({
      data: { error: "invalid_cursor" },
    });
    expect(slack.faults.requests("conversations.list").length).toBe(1 + 3 + 1 + 1);
  });

  it("answers users.info and users.lookupByEmail with the seeded people, for mapping to Reckon users", async () => {
    const fin = slack.workspace.user("fin.ledger@acme.example.com")!;
    expect(fin.id).toMatch(/^U0[A-Z0-9]{9}$/);
    const info = await web.users.info({ user: fin.id });
    expect(info.user).toMatchObject({
      id: fin.id,
      name: "fin.ledger",
      real_name: "Fin Ledger",
      tz: "Europe/London",
      tz_offset: 0,
      profile: { email: "fin.ledger@acme.example.com" },
    });
    const byEmail = await web.users.lookupByEmail({ email: "AVA.MANAGER@acme.example.com" });
    expect(byEmail.user).toMatchObject({ real_name: "Ava Manager", tz_offset: -5 * 3600 });
    await expect(web.users.info({ user: "U0NOBODY" })).rejects.toMatchObject({ data: { error: "user_not_found" } });
    await expect(web.users.lookupByEmail({ email: "x@y.z" })).rejects.toMatchObject({
      data: { error: "users_not_found" },
    });
    const everyone = await web.users.list({ limit: 2 });
    expect(everyone.members!.length).toBe(2);
    expect(everyone.response_metadata!.next_cursor).not.toBe("");
  });
});

describe("Slack sandbox: faults", () => {
  it("answers a rate-limit fault with 429, Retry-After and ratelimited, for one method only when asked", async () => {
    slack.faults.rateLimitNext(1, 7, "chat.postMessage");
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true });
    const limited = await call("chat.postMessage", { body: new URLSearchParams({ token: slack.botToken }) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("7");
    expect(await limited.json()).toEqual({ ok: false, error: "ratelimited" });
    slack.faults.rateLimitNext(1, 3);
    const strict = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true });
    await expect(strict.chat.postMessage({ channel: "finance", text: "x" })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 3,
    });
    await expect(strict.chat.postMessage({ channel: "finance", text: "x" })).resolves.toMatchObject({ ok: true });
    expect(slack.faults.requests().map((r) => r.status)).toEqual([200, 429, 429, 200]);
  });

  it("the client waits out Retry-After and retries, and the post lands once", async () => {
    slack.faults.rateLimitNext(1, 1);
    const patient = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const started = Date.now();
    await patient.chat.postMessage({ channel: "finance", text: "after the limit" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(slack.records.messages("finance").map((m) => m.text)).toEqual(["after the limit"]);
  });

  it("fails, errors and revokes on request", async () => {
    slack.faults.failNext(1, 503);
    await expect(web.auth.test()).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    slack.faults.errorNext("fatal_error");
    await expect(web.auth.test()).rejects.toMatchObject({ data: { error: "fatal_error" } });
    slack.faults.revokeToken();
    await expect(web.auth.test()).rejects.toMatchObject({ data: { error: "token_revoked" } });
    slack.faults.reset();
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true });
  });
});
