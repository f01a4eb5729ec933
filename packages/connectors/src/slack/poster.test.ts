// The Slack poster against the Slack sandbox: messages land where asked, edits replace them, and every way Slack
// fails becomes a typed error that says whether a retry can help and whether Slack answered at all.
import { type RunningSlackSandbox, startSlackSandbox } from "@reckon/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackCallError } from "./errors";
import { createSlackPoster, type SlackPoster } from "./poster";

let slack: RunningSlackSandbox;
let poster: SlackPoster;
let finance: string;
let ava: string;

beforeAll(async () => {
  slack = await startSlackSandbox();
  poster = createSlackPoster({ token: slack.botToken, slackApiUrl: slack.apiUrl, timeoutMs: 500 });
  finance = slack.workspace.channel("finance")!.id;
  ava = slack.workspace.user("ava.manager")!.id;
});
afterAll(() => slack.stop());
beforeEach(() => {
  slack.faults.reset();
  slack.records.clear();
});

const section = (text: string) => ({ type: "section" as const, text: { type: "mrkdwn" as const, text } });

async function failure(promise: Promise<unknown>): Promise<SlackCallError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlackCallError);
  return error as SlackCallError;
}

describe("Slack poster", () => {
  it("posts to a channel and to a person's direct messages, then edits in place", async () => {
    const posted = await poster.postMessage({ channel: finance, text: "Digest", blocks: [section("*At risk*: 2")] });
    expect(posted.channel).toBe(finance);
    const dm = await poster.postMessage({ channel: ava, text: "Your digest" });
    expect(dm.channel).toMatch(/^D/);
    expect(slack.records.messages(dm.channel).map((m) => m.text)).toEqual(["Your digest"]);

    const reply = await poster.postMessage({ channel: finance, text: "in the thread", threadTs: posted.ts });
    expect(slack.records.message(finance, reply.ts)?.threadTs).toBe(posted.ts);

    await expect(poster.update({ ...posted, text: "Digest (edited)" })).resolves.toEqual(posted);
    const message = slack.records.message(finance, posted.ts)!;
    expect(message.text).toBe("Digest (edited)");
    expect(message.blocks).toEqual([section("*At risk*: 2")]);
    expect(message.edits).toHaveLength(1);
  });

  it("shows an ephemeral message to one person only", async () => {
    const { ts } = await poster.postEphemeral({
      channel: finance,
      user: ava,
      text: "only you",
      blocks: [section("hi")],
    });
    expect(slack.records.ephemerals(ava).map((m) => [m.ts, m.text])).toEqual([[ts, "only you"]]);
    expect(slack.records.messages(finance)).toEqual([]);
  });

  it("turns Slack's refusals into errors a retry cannot fix, answered by Slack", async () => {
    const unknown = await failure(poster.postMessage({ channel: "C0NOSUCHONE", text: "x" }));
    expect(unknown).toMatchObject({
      kind: "invalid",
      slackError: "channel_not_found",
      answered: true,
      retryable: false,
    });
    const notMine = await failure(poster.update({ channel: finance, ts: "1700000000.000001", text: "x" }));
    expect(notMine).toMatchObject({ kind: "invalid", slackError: "message_not_found", method: "chat.update" });

    slack.faults.revokeToken();
    expect(await failure(poster.postMessage({ channel: finance, text: "x" }))).toMatchObject({
      kind: "revoked",
      slackError: "token_revoked",
      retryable: false,
    });
  });

  it("says when waiting can help: rate limits with their Retry-After, outages, Slack's own errors", async () => {
    slack.faults.rateLimitNext(1, 7, "chat.postMessage");
    expect(await failure(poster.postMessage({ channel: finance, text: "x" }))).toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 7_000,
      status: 429,
      retryable: true,
      answered: true,
    });
    slack.faults.failNext(1, 503);
    expect(await failure(poster.postMessage({ channel: finance, text: "x" }))).toMatchObject({
      kind: "transient",
      status: 503,
      answered: true,
    });
    slack.faults.errorNext("fatal_error", 1, "chat.postMessage");
    expect(await failure(poster.postMessage({ channel: finance, text: "x" }))).toMatchObject({
      kind: "transient",
      slackError: "fatal_error",
    });
    // One request each: the SDK neither retried nor waited out the 429.
    expect(slack.faults.requests("chat.postMessage").map((r) => r.status)).toEqual([429, 503, 200]);
    expect(slack.records.messages(finance)).toEqual([]);
  });

  it("counts a call that got no answer in time as unanswered: it may still have been posted", async () => {
    slack.faults.delayNext(1, 1_500, "chat.postMessage");
    const late = await failure(poster.postMessage({ channel: finance, text: "slow" }));
    expect(late).toMatchObject({ kind: "transient", status: null, answered: false, retryable: true });
    expect(late.message).toContain("no answer in time");
    // Slack finished the post after we stopped waiting.
    await slack.records.waitFor(() => slack.records.messages(finance).length === 1);
  });

  it("counts a refused connection as unanswered", async () => {
    const nowhere = createSlackPoster({ token: slack.botToken, slackApiUrl: "http://127.0.0.1:9/api/" });
    expect(await failure(nowhere.postMessage({ channel: finance, text: "x" }))).toMatchObject({
      kind: "transient",
      answered: false,
    });
  });
});
