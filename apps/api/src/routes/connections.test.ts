// GET /v1/connections and PUT /v1/connections/{source}: admin only; settings in the clear, credentials sealed at rest
// and never in an answer or the audit log.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { ConnectionsResponse } from "./connections";
import type { ConnectionUpdateResponse } from "./connectionsUpdate";

let stack: TestStack;
const put = (body: unknown): RequestInit => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const storedRows = () =>
  queryRows<{ source: string; settings: Record<string, string>; sealed_secrets: string }>(
    stack.services.db,
    sql`select source, settings, sealed_secrets from source_connections
        where tenant_id = ${stack.tenant.tenant.tenantId}::uuid order by source`,
  );
const connectionAudit = () =>
  queryRows<{ actor_user_id: string; target_id: string; details: Record<string, unknown> }>(
    stack.services.db,
    sql`select actor_user_id, target_id, details from audit_log
        where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and action = 'connection.updated' order by id`,
  );
/** Every credential the sandbox handed out: none of them may appear in an answer. */
const sandboxSecrets = () => {
  const { stripe, quickbooks, amplitude } = stack.demo!.sandbox;
  return [stripe.apiKey, quickbooks.clientSecret, quickbooks.refreshToken, amplitude.apiKey, amplitude.secretKey];
};

beforeAll(async () => {
  stack = await startTestStack({ accounts: 6, months: 2 });
});
afterAll(() => stack.stop());

describe("GET /v1/connections", () => {
  it("lists each source with its settings and without its credentials", async () => {
    const response = await stack.fetch("/v1/connections");
    expect(response.status).toBe(200);
    const text = await response.text();
    const body = JSON.parse(text) as ConnectionsResponse;
    expect(body.connections.map((c) => [c.source, c.status])).toEqual([
      ["amplitude", "connected"],
      ["quickbooks", "connected"],
      ["stripe", "connected"],
    ]);
    expect(body.connections.find((c) => c.source === "amplitude")?.settings).toEqual({
      baseUrl: stack.demo!.sandbox.amplitude.baseUrl,
    });
    for (const secret of sandboxSecrets()) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/apiKey|secretKey|clientSecret|refreshToken|sealed/);
  });

  it.each(["finance", "account_manager", "viewer"] as const)("refuses %s with 403", async (role) => {
    const response = await stack.fetch("/v1/connections", {}, role);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("PUT /v1/connections/{source}", () => {
  const amplitude = () => ({
    settings: { baseUrl: stack.demo!.sandbox.amplitude.baseUrl },
    secrets: { apiKey: stack.demo!.sandbox.amplitude.apiKey, secretKey: stack.demo!.sandbox.amplitude.secretKey },
  });

  it.each(["finance", "account_manager", "viewer"] as const)(
    "refuses %s with 403 and changes nothing",
    async (role) => {
      const before = await storedRows();
      const response = await stack.fetch("/v1/connections/amplitude", put(amplitude()), role);
      expect(response.status).toBe(403);
      expect(await storedRows()).toEqual(before);
      expect(await connectionAudit()).toEqual([]);
    },
  );

  it.each([
    ["an unknown source", "/v1/connections/paypal", () => amplitude()],
    [
      "a settings value the source refuses",
      "/v1/connections/amplitude",
      () => ({ ...amplitude(), settings: { baseUrl: "nope" } }),
    ],
    ["missing credentials", "/v1/connections/amplitude", () => ({ ...amplitude(), secrets: { apiKey: "k" } })],
    ["an empty credential", "/v1/connections/stripe", () => ({ settings: {}, secrets: { apiKey: "" } })],
    [
      "a string for a port",
      "/v1/connections/stripe",
      () => ({ settings: { port: "eighty" }, secrets: { apiKey: "k" } }),
    ],
    ["no secrets", "/v1/connections/stripe", () => ({ settings: {} })],
    ["secrets as a string", "/v1/connections/stripe", () => ({ settings: {}, secrets: "sk_live" })],
    ["an unknown top-level field", "/v1/connections/stripe", () => ({ settings: {}, secrets: { apiKey: "k" }, id: 1 })],
    ["malformed JSON", "/v1/connections/stripe", () => '{"settings":'],
  ])("refuses %s with 400 and changes nothing", async (_, path, body) => {
    const before = await storedRows();
    const response = await stack.fetch(path, put(body()));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await storedRows()).toEqual(before);
  });

  it("names the refused field in the problem", async () => {
    const response = await stack.fetch(
      "/v1/connections/quickbooks",
      put({ settings: { baseUrl: "https://qb.example.com/", tokenUrl: "https://qb.example.com/t" }, secrets: {} }),
    );
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(["settings.realmId", "secrets.clientId", "secrets.refreshToken"]),
    );
  });

  it("seals the credentials, answers the settings only, and audits the setting keys only", async () => {
    const plaintext = "amp-secret-that-must-never-be-shown-31337";
    const body = { ...amplitude(), secrets: { ...amplitude().secrets, secretKey: plaintext } };
    const response = await stack.fetch("/v1/connections/amplitude", put(body));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(plaintext);
    expect(text).not.toContain(body.secrets.apiKey);
    expect(JSON.parse(text) as ConnectionUpdateResponse).toEqual({
      source: "amplitude",
      status: "connected",
      settings: { baseUrl: body.settings.baseUrl },
      updatedAt: expect.any(String),
    });
    const row = (await storedRows()).find((r) => r.source === "amplitude")!;
    expect(row.sealed_secrets).not.toContain(plaintext);
    expect(row.sealed_secrets).not.toContain(Buffer.from(plaintext).toString("base64").slice(0, 16));
    expect(stack.services.secrets.open(row.sealed_secrets)).toEqual(body.secrets);
    expect(await connectionAudit()).toEqual([
      {
        actor_user_id: stack.as.admin.id,
        target_id: "amplitude",
        details: { source: "amplitude", settings: ["baseUrl"] },
      },
    ]);
    const list = await (await stack.fetch("/v1/connections")).text();
    expect(list).not.toContain(plaintext);
    const auditText = JSON.stringify(
      await queryRows(stack.services.db, sql`select details from audit_log where action = 'connection.updated'`),
    );
    expect(auditText).not.toContain(plaintext);
  });

  it("keeps the Stripe webhook secret when an update leaves it out: signed webhooks are still accepted", async () => {
    const sandbox = stack.demo!.sandbox;
    const webhook = async () => {
      const { events } = sandbox.changes.addCharge({
        customerId: sandbox.scenario.stripe.customers[0]!.id,
        amount: 1234,
        deliver: false,
      });
      const body = JSON.stringify(events[0]);
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret: sandbox.stripe.webhookSecret,
      });
      const answer = await fetch(`${stack.url}/webhooks/stripe/${stack.demo!.slug}`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body,
      });
      return answer.status;
    };
    const stripeSettings = { host: sandbox.stripe.host, port: String(sandbox.stripe.port), protocol: "http" };
    const sealedStripe = async () =>
      stack.services.secrets.open((await storedRows()).find((r) => r.source === "stripe")!.sealed_secrets);
    expect(await webhook()).toBe(200);
    // The admin re-enters the API key only.
    const kept = await stack.fetch(
      "/v1/connections/stripe",
      put({ settings: stripeSettings, secrets: { apiKey: sandbox.stripe.apiKey } }),
    );
    expect(kept.status).toBe(200);
    expect(await kept.text()).not.toContain(sandbox.stripe.webhookSecret);
    expect(await sealedStripe()).toEqual({
      apiKey: sandbox.stripe.apiKey,
      webhookSecret: sandbox.stripe.webhookSecret,
    });
    expect(await webhook()).toBe(200);
    // An explicit null removes it: from then on deliveries are refused.
    const removed = await stack.fetch(
      "/v1/connections/stripe",
      put({ settings: stripeSettings, secrets: { apiKey: sandbox.stripe.apiKey, webhookSecret: null } }),
    );
    expect(removed.status).toBe(200);
    expect(await sealedStripe()).toEqual({ apiKey: sandbox.stripe.apiKey });
    expect(await webhook()).toBe(401);
    await stack.services.jobs.drain();
  });
});
