// The bot starts, serves Slack's signed requests, refuses unsigned ones, and acknowledges /billing.
import { createHmac, randomBytes } from "node:crypto";
import { createLogger, createSecretBox } from "@reckon/core";
import type { DatabaseHandle } from "@reckon/db";
import { freshPglite } from "@reckon/db/testing";
import type { App } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackBot } from "./app";

const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5";
let database: DatabaseHandle;
let app: App;
let url = "";

beforeAll(async () => {
  database = await freshPglite();
  const services = {
    db: database.db,
    log: createLogger("silent"),
    secrets: createSecretBox(randomBytes(32).toString("base64")),
    clock: () => new Date(),
  };
  // Help and signature checks queue nothing: an enqueue here would be a bug the test should see.
  const jobs = {
    enqueue: async () => {
      throw new Error("nothing should be queued");
    },
  };
  app = createSlackBot({ services, jobs, signingSecret, token: "xoxb-test", botId: "B1", botUserId: "U0BOT" }).app;
  const server = (await app.start(0)) as { address(): { port: number } };
  url = `http://127.0.0.1:${server.address().port}/slack/events`;
});
afterAll(async () => {
  await app.stop();
  await database.close();
});

function signed(body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  };
}

describe("slack bot", () => {
  const body = new URLSearchParams({
    command: "/billing",
    text: "help",
    user_id: "U1",
    team_id: "T1",
    channel_id: "C1",
    response_url: "http://127.0.0.1:9/response",
    trigger_id: "1.2.3",
  }).toString();

  it("acknowledges a signed /billing command", async () => {
    const response = await fetch(url, { method: "POST", headers: signed(body), body });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ response_type: "ephemeral" });
  });

  it("refuses a request with a bad signature", async () => {
    const headers = { ...signed(body), "x-slack-signature": "v0=deadbeef" };
    const response = await fetch(url, { method: "POST", headers, body });
    expect(response.status).toBe(401);
  });

  it("refuses a replayed request older than five minutes", async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: signed(body, Math.floor(Date.now() / 1000) - 600),
      body,
    });
    expect(response.status).toBe(401);
  });
});
