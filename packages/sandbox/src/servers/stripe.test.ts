import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { type RunningSandbox, startSandbox } from "../sandbox.js";

let sandbox: RunningSandbox;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await startSandbox(generateScenario({ seed: 3, accounts: 25, months: 4, asOf: "2026-11-25" }));
  const { apiKey, host, port, protocol } = sandbox.stripe;
  stripe = new Stripe(apiKey, { host, port, protocol, maxNetworkRetries: 0 });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.faults.reset());

describe("Stripe sandbox through the official SDK", () => {
  it("auto-paginates every charge newest first", async () => {
    const seen = [];
    for await (const charge of stripe.charges.list({ limit: 7 })) seen.push(charge);
    const expected = [...sandbox.scenario.stripe.charges].sort(
      (a, b) => b.created - a.created || (a.id < b.id ? 1 : -1),
    );
    expect(seen.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(sandbox.faults.requestCount("stripe")).toBe(
      Math.ceil(expected.length / 7) + (expected.length % 7 === 0 ? 1 : 0),
    );
  });

  it("filters by created range and customer, and pages backwards with ending_before", async () => {
    const charges = sandbox.scenario.stripe.charges;
    const customer = String(charges[0]!.customer);
    const mid = [...charges].sort((a, b) => a.created - b.created)[Math.floor(charges.length / 2)]!.created;
    const recent = await stripe.charges.list({ created: { gte: mid }, limit: 100 });
    expect(recent.data.every((c) => c.created >= mid)).toBe(true);
    expect(recent.data.length).toBe(Math.min(100, charges.filter((c) => c.created >= mid).length));
    const mine = await stripe.charges.list({ customer, limit: 100 });
    expect(mine.data.length).toBe(charges.filter((c) => c.customer === customer).length);
    const first = await stripe.charges.list({ limit: 3 });
    const second = await stripe.charges.list({ limit: 3, starting_after: first.data[2]!.id });
    const back = await stripe.charges.list({ limit: 3, ending_before: second.data[0]!.id });
    expect(back.data.map((c) => c.id)).toEqual(first.data.map((c) => c.id));
    expect(back.has_more).toBe(false);
    expect(first).toMatchObject({ object: "list", has_more: true, url: "/v1/charges" });
  });

  it("filters events by type, with wildcards, and serves objects pushed into the live scenario", async () => {
    const failed = await stripe.events.list({ types: ["charge.failed", "charge.refunded"], limit: 100 });
    expect(failed.data.every((e) => e.type === "charge.failed" || e.type === "charge.refunded")).toBe(true);
    const charges = await stripe.events.list({ type: "charge.*", limit: 100 });
    expect(charges.data.every((e) => e.type.startsWith("charge."))).toBe(true);
    const template = sandbox.scenario.stripe.charges[0]!;
    const created = Math.floor(Date.parse("2026-11-24T12:00:00Z") / 1000);
    const fresh = { ...template, id: "ch_3SandboxPushedCharge0000001", created };
    sandbox.scenario.stripe.charges.push(fresh);
    const retrieved = await stripe.charges.retrieve(fresh.id);
    expect(retrieved.id).toBe(fresh.id);
    const newest = await stripe.charges.list({ limit: 1 });
    expect(newest.data[0]!.id).toBe(fresh.id);
  });

  it("answers retrieve of a missing object with resource_missing", async () => {
    const error = await stripe.customers.retrieve("cus_missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing", param: "id" });
  });

  it("rejects a wrong key with StripeAuthenticationError", async () => {
    const { host, port, protocol } = sandbox.stripe;
    const wrong = new Stripe("sk_test_wrong_key_123456", { host, port, protocol, maxNetworkRetries: 0 });
    await expect(wrong.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const response = await fetch(`http://${host}:${port}/v1/customers`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("answers a rate-limit fault with StripeRateLimitError and Stripe's body, then recovers", async () => {
    sandbox.faults.rateLimitNext("stripe", 1);
    const error = await stripe.charges.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(error).toMatchObject({ statusCode: 429, code: "rate_limit", type: "StripeRateLimitError" });
    await expect(stripe.charges.list()).resolves.toMatchObject({ object: "list" });
    expect(sandbox.faults.requests("stripe").map((r) => r.status)).toEqual([429, 200]);
  });

  it("rejects bad list parameters as Stripe does", async () => {
    await expect(stripe.charges.list({ limit: 101 })).rejects.toMatchObject({ statusCode: 400, param: "limit" });
    const { host, port, apiKey } = sandbox.stripe;
    const response = await fetch(`http://${host}:${port}/v1/charges?colour=blue`, {
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: "Received unknown parameter: colour" } });
  });
});
