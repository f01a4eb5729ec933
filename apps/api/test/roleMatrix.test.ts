// The SPEC's role matrix, generated: every operation in the OpenAPI document is called as every role, as another
// tenant's admin and signed out, and the answer must be what the permission table says (2xx / 403 / 404 / 401).
import { createHmac } from "node:crypto";
import {
  createApiToken,
  createUser,
  permissionMatrix,
  provisionTenant,
  systemContext,
  type UserRole,
  userContext,
} from "@reckon/core";
import { queryRows, userRoles } from "@reckon/db";
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortfolioResponse } from "../src/routes/portfolio";
import { hubspotRequest } from "./crmDriver";
import { startTestStack, type TestStack } from "./stack";

type Caller = UserRole | "other_tenant" | "signed_out";
const callers: Caller[] = [...userRoles, "other_tenant", "signed_out"];

interface Call {
  path: string;
  init?: RequestInit;
  /** A CRM card's request: sent as hubspot.fetch would for the caller's HubSpot user (signed out: unsigned). */
  crm?: { method?: "GET" | "POST"; body?: unknown };
  /** The path names one of this tenant's records: another tenant's caller must get 404. */
  tenantRecord?: boolean;
}
/** Builds a valid request for a caller; called once per call, so each may create what it consumes. */
type Example = (caller: Caller) => Promise<Call> | Call;

let stack: TestStack;
let otherTenantToken: string;
let ownAccount: string; // owned by the account manager
let othersAccount: string; // owned by someone else
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** A token of the caller's own, to revoke. */
async function tokenOf(caller: Caller): Promise<string> {
  if (caller === "signed_out") return "00000000-0000-4000-8000-000000000000";
  const response = await send(caller, "/v1/tokens", json("POST", { name: `matrix ${unique()}` }));
  return ((await response.json()) as { id: string }).id;
}

const examples: Record<string, Example> = {
  "GET /healthz": () => ({ path: "/healthz" }),
  "GET /v1/portfolio": () => ({ path: "/v1/portfolio?limit=5" }),
  "GET /v1/portfolio/totals": () => ({ path: "/v1/portfolio/totals?status=at_risk" }),
  "GET /v1/accounts/{accountId}": (caller) => ({ path: `/v1/accounts/${accountFor(caller)}`, tenantRecord: true }),
  "GET /v1/accounts/{accountId}/forecast": (caller) => ({
    path: `/v1/accounts/${accountFor(caller)}/forecast`,
    tenantRecord: true,
  }),
  "GET /v1/metrics": () => ({ path: "/v1/metrics" }),
  "GET /v1/forecast": () => ({ path: "/v1/forecast?limit=5" }),
  "GET /v1/sync/status": () => ({ path: "/v1/sync/status" }),
  "POST /v1/sync": () => ({ path: "/v1/sync", init: json("POST", { reason: "manual" }) }),
  "GET /v1/me": () => ({ path: "/v1/me" }),
  "GET /v1/tokens": () => ({ path: "/v1/tokens" }),
  "POST /v1/tokens": () => ({ path: "/v1/tokens", init: json("POST", { name: `matrix ${unique()}` }) }),
  "DELETE /v1/tokens/{tokenId}": async (caller) => ({
    path: `/v1/tokens/${await tokenOf(caller === "other_tenant" ? "other_tenant" : caller)}`,
    init: { method: "DELETE" },
  }),
  "GET /v1/users": () => ({ path: "/v1/users" }),
  "POST /v1/users": () => ({
    path: "/v1/users",
    init: json("POST", { email: `matrix-${unique()}@example.com`, name: "Matrix", role: "viewer" }),
  }),
  "PATCH /v1/users/{userId}": () => ({
    path: `/v1/users/${stack.as.viewer.id}`,
    init: json("PATCH", { name: `Vic ${unique()}` }),
    tenantRecord: true,
  }),
  "POST /v1/users/{userId}/identities": () => ({
    path: `/v1/users/${stack.as.viewer.id}/identities`,
    init: json("POST", { provider: "slack", externalId: `T1:U${unique()}` }),
    tenantRecord: true,
  }),
  "DELETE /v1/users/{userId}/identities/{provider}/{externalId}": async () => {
    const externalId = `T1:U${unique()}`;
    await send("admin", `/v1/users/${stack.as.viewer.id}/identities`, json("POST", { provider: "slack", externalId }));
    return {
      path: `/v1/users/${stack.as.viewer.id}/identities/slack/${externalId}`,
      init: { method: "DELETE" },
      tenantRecord: true,
    };
  },
  "GET /v1/audit": () => ({ path: "/v1/audit?limit=5" }),
  // Exports filter down to one account so no caller runs out of its 100-record allowance.
  "POST /v1/exports/portfolio.csv": (caller) => ({
    path: "/v1/exports/portfolio.csv",
    init: json("POST", { q: nameFor(caller) }),
  }),
  "POST /v1/exports/portfolio.pdf": (caller) => ({
    path: "/v1/exports/portfolio.pdf",
    init: json("POST", { q: nameFor(caller) }),
  }),
  "POST /v1/exports/accounts/{accountId}/{dataset}": (caller) => ({
    path: `/v1/exports/accounts/${accountFor(caller)}/payments`,
    init: { method: "POST" },
    tenantRecord: true,
  }),
  "POST /v1/exports/accounts/{accountId}/forecast.pdf": (caller) => ({
    path: `/v1/exports/accounts/${accountFor(caller)}/forecast.pdf`,
    init: { method: "POST" },
    tenantRecord: true,
  }),
  "GET /v1/exports/allowance": () => ({ path: "/v1/exports/allowance" }),
};

let metricKey: string;
let linked: { id: string; stripe: string };
let dayCounter = 0;
/** A distinct past day per call, so every FX rate the matrix creates is its own row. */
const uniqueDay = () => new Date(Date.UTC(2020, 0, 1) + dayCounter++ * 86_400_000).toISOString().slice(0, 10);

Object.assign(examples, {
  "GET /v1/settings": () => ({ path: "/v1/settings" }),
  "PATCH /v1/settings": () => ({ path: "/v1/settings", init: json("PATCH", { timeZone: "UTC" }) }),
  "PUT /v1/settings/fx-rates": () => ({
    path: "/v1/settings/fx-rates",
    init: json("PUT", { rates: [{ from: "EUR", to: "USD", rate: "1.08", effectiveOn: uniqueDay() }] }),
  }),
  "DELETE /v1/settings/fx-rates/{from}/{to}/{effectiveOn}": async () => {
    const day = uniqueDay();
    await send(
      "admin",
      "/v1/settings/fx-rates",
      json("PUT", { rates: [{ from: "CHF", to: "USD", rate: "1.1", effectiveOn: day }] }),
    );
    return { path: `/v1/settings/fx-rates/CHF/USD/${day}`, init: { method: "DELETE" }, tenantRecord: true };
  },
  "PUT /v1/settings/item-mappings": () => ({
    path: "/v1/settings/item-mappings",
    init: json("PUT", { mappings: [{ quickbooksItemId: `m${unique()}`, metric: metricKey }] }),
  }),
  "DELETE /v1/settings/item-mappings/{quickbooksItemId}": async () => {
    const item = `m${unique()}`;
    await send(
      "admin",
      "/v1/settings/item-mappings",
      json("PUT", { mappings: [{ quickbooksItemId: item, metric: metricKey }] }),
    );
    return { path: `/v1/settings/item-mappings/${item}`, init: { method: "DELETE" }, tenantRecord: true };
  },
  "GET /v1/links/suggestions": () => ({ path: "/v1/links/suggestions?limit=5" }),
  "POST /v1/links/confirm": () => ({
    path: "/v1/links/confirm",
    init: json("POST", { accountId: linked.id, source: "stripe", sourceId: linked.stripe }),
    tenantRecord: true,
  }),
  "GET /v1/connections": () => ({ path: "/v1/connections" }),
  "POST /v1/sync/runs/{runId}/resolve": async () => ({
    path: `/v1/sync/runs/${await partialRun()}/resolve`,
    init: { method: "POST" },
    tenantRecord: true,
  }),
  "PUT /v1/connections/{source}": () => {
    // The whole connection, signing secret included: a PUT replaces it, and the webhook examples need the secret.
    const { host, port, protocol, apiKey, webhookSecret } = stack.demo!.sandbox.stripe;
    return {
      path: "/v1/connections/stripe",
      init: json("PUT", { settings: { host, port, protocol }, secrets: { apiKey, webhookSecret } }),
    };
  },
} satisfies Record<string, Example>);

/** A partial sync run of this tenant's, to resolve. */
async function partialRun(): Promise<string> {
  const [run] = await queryRows<{ id: string }>(
    stack.services.db,
    sql`insert into sync_runs (tenant_id, source, mode, status, counts, started_at, finished_at, touched, missed)
        values (${stack.tenant.tenant.tenantId}::uuid, 'stripe', 'incremental', 'partial', '{}'::jsonb, now(), now(),
                ${JSON.stringify([linked.stripe])}::jsonb, '["everything after customers page 1"]'::jsonb)
        returning id`,
  );
  return run!.id;
}

/**
 * Webhooks: the provider's signature over the body is the credential, not a user. Each example is a freshly signed
 * delivery, answered the same whoever sends it; without the signature every caller gets 401 (tested below).
 */
Object.assign(examples, {
  "POST /webhooks/stripe/{tenant}": () => {
    const { sandbox, slug } = stack.demo!;
    const { events } = sandbox.changes.addCharge({ customerId: linked.stripe, amount: 100, deliver: false });
    const body = JSON.stringify(events[0]);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: sandbox.stripe.webhookSecret });
    return {
      path: `/webhooks/stripe/${slug}`,
      init: { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body },
    };
  },
  "POST /webhooks/quickbooks": () => {
    const { sandbox } = stack.demo!;
    const invoice = sandbox.scenario.quickbooks.invoices.find((i) => i.Balance > 100 && !i.status)!;
    const change = sandbox.changes.addQuickbooksPayment({ invoiceId: invoice.Id, amount: 1, deliver: false });
    const body = JSON.stringify(change.body);
    const signature = createHmac("sha256", sandbox.webhooks.intuitVerifierToken).update(body).digest("base64");
    return {
      path: "/webhooks/quickbooks",
      init: { method: "POST", headers: { "content-type": "application/json", "intuit-signature": signature }, body },
    };
  },
} satisfies Record<string, Example>);

/**
 * Flags and payment retries: each call gets its own open flag, failed payment or retry request, made by an admin
 * (or put in the sandbox's Stripe and stored as a sync would), so every allowed caller has something to act on.
 */
let retryAccounts: { own: { id: string; stripe: string }; others: { id: string; stripe: string } };
const retryAccountFor = (caller: Caller) => (caller === "account_manager" ? retryAccounts.own : retryAccounts.others);

/** A declined Stripe charge of the account, in the sandbox and stored in Reckon. */
async function failedCharge(account: { stripe: string }): Promise<string> {
  const { charge } = stack.demo!.sandbox.changes.addCharge({
    customerId: account.stripe,
    amount: 1_000,
    failed: true,
    deliver: false,
  });
  await queryRows(
    stack.services.db,
    sql`insert into payments (tenant_id, source, source_id, payment_intent_id, customer_source_id, amount_minor,
          currency, status, failure_code, failure_message, source_created_at, source_updated_at)
        values (${stack.tenant.tenant.tenantId}::uuid, 'stripe', ${charge.id}, ${String(charge.payment_intent)},
                ${account.stripe}, ${charge.amount}, ${charge.currency.toUpperCase()}, 'failed', ${charge.failure_code},
                ${charge.failure_message}, now(), now())`,
  );
  return charge.id;
}

async function retryRequest(account: { id: string; stripe: string }): Promise<string> {
  const response = await send(
    "admin",
    `/v1/accounts/${account.id}/payment-retries`,
    json("POST", { paymentId: await failedCharge(account) }),
  );
  return ((await response.json()) as { id: string }).id;
}

async function openFlag(): Promise<string> {
  const response = await send("admin", `/v1/accounts/${othersAccount}/flags`, json("POST", { reason: "refund" }));
  return ((await response.json()) as { id: string }).id;
}

Object.assign(examples, {
  "GET /v1/accounts/{accountId}/flags": (caller) => ({
    path: `/v1/accounts/${accountFor(caller)}/flags?status=open`,
    tenantRecord: true,
  }),
  "POST /v1/accounts/{accountId}/flags": (caller) => ({
    path: `/v1/accounts/${accountFor(caller)}/flags`,
    init: json("POST", { reason: "other", note: `matrix ${unique()}` }),
    tenantRecord: true,
  }),
  "GET /v1/flags": () => ({ path: "/v1/flags?status=open&limit=5" }),
  "POST /v1/flags/{flagId}/resolve": async () => ({
    path: `/v1/flags/${await openFlag()}/resolve`,
    init: json("POST", { resolution: "checked" }),
    tenantRecord: true,
  }),
  "POST /v1/accounts/{accountId}/payment-retries": async (caller) => {
    const account = retryAccountFor(caller);
    return {
      path: `/v1/accounts/${account.id}/payment-retries`,
      init: json("POST", { paymentId: await failedCharge(account) }),
      tenantRecord: true,
    };
  },
  "GET /v1/payment-retries": () => ({ path: "/v1/payment-retries?status=requested&limit=5" }),
  "GET /v1/payment-retries/{retryId}": async (caller) => ({
    path: `/v1/payment-retries/${await retryRequest(retryAccountFor(caller))}`,
    tenantRecord: true,
  }),
  "POST /v1/payment-retries/{retryId}/approve": async () => ({
    path: `/v1/payment-retries/${await retryRequest(retryAccounts.others)}/approve`,
    init: { method: "POST" },
    tenantRecord: true,
  }),
  "POST /v1/payment-retries/{retryId}/reject": async () => ({
    path: `/v1/payment-retries/${await retryRequest(retryAccounts.others)}/reject`,
    init: json("POST", { reason: "not now" }),
    tenantRecord: true,
  }),
} satisfies Record<string, Example>);

/**
 * Slack settings: this tenant's are the sandbox workspace's (set at start-up); the other tenant's admin sets a
 * workspace of their own first, so each admin reads and writes only theirs.
 */
const slackBody = (caller: Caller) =>
  caller === "other_tenant"
    ? { teamId: "T0OTHERTEAM", financeChannelId: null }
    : {
        teamId: stack.slack!.sandbox.workspace.team.id,
        financeChannelId: stack.slack!.sandbox.workspace.channel("finance")!.id,
      };
Object.assign(examples, {
  "GET /v1/settings/slack": async (caller) => {
    if (caller === "other_tenant") await send(caller, "/v1/settings/slack", json("PUT", slackBody(caller)));
    return { path: "/v1/settings/slack" };
  },
  "PUT /v1/settings/slack": (caller) => ({ path: "/v1/settings/slack", init: json("PUT", slackBody(caller)) }),
} satisfies Record<string, Example>);

/**
 * CRM cards: each role's HubSpot user (mapped by email on first use) in this tenant's portal; the other tenant's
 * admin in that tenant's own portal, where this tenant's records are not linked (card: unlinked; actions: 404).
 */
const hubspotSecret = "matrix-hubspot-client-secret-0000";
const hubspotPortal = { own: "11110001", other: "22220002" };
const hubspotRecordFor = (caller: Caller) => (caller === "account_manager" ? "matrix810001" : "matrix810002");
Object.assign(examples, {
  "GET /v1/crm/connections": () => ({ path: "/v1/crm/connections" }),
  "PUT /v1/crm/connections/{provider}": (caller) => ({
    path: "/v1/crm/connections/hubspot",
    init: json("PUT", { portalId: caller === "other_tenant" ? hubspotPortal.other : hubspotPortal.own }),
  }),
  "GET /v1/crm/{provider}/records/{recordId}/card": (caller) => ({
    path: `/v1/crm/hubspot/records/${hubspotRecordFor(caller)}/card`,
    crm: {},
  }),
  "POST /v1/crm/{provider}/records/{recordId}/payment-retries": async (caller) => ({
    path: `/v1/crm/hubspot/records/${hubspotRecordFor(caller)}/payment-retries`,
    crm: { method: "POST", body: { paymentId: await failedCharge(retryAccountFor(caller)) } },
    tenantRecord: true,
  }),
  "POST /v1/crm/{provider}/records/{recordId}/flags": (caller) => ({
    path: `/v1/crm/hubspot/records/${hubspotRecordFor(caller)}/flags`,
    crm: { method: "POST", body: { reason: "other", note: `matrix ${unique()}` } },
    tenantRecord: true,
  }),
  "POST /v1/crm/{provider}/records/{recordId}/link": () => ({
    path: `/v1/crm/hubspot/records/matrix${Date.now().toString().slice(-8)}${counter++}/link`,
    crm: { method: "POST", body: { accountId: linked.id } },
    tenantRecord: true,
  }),
} satisfies Record<string, Example>);

function crmSend(caller: Caller, call: Call): Promise<Response> {
  if (caller === "signed_out") return fetch(`${stack.url}${call.path}`, { method: call.crm?.method ?? "GET" });
  const user = caller === "other_tenant" ? { email: "admin@other.example.com", id: "9" } : stack.as[caller];
  const { url, init } = hubspotRequest(
    stack.url,
    {
      clientSecret: hubspotSecret,
      portalId: caller === "other_tenant" ? hubspotPortal.other : hubspotPortal.own,
      userId: `${userRoles.indexOf(caller as UserRole) + 100}`,
      userEmail: user.email,
    },
    { path: call.path, ...call.crm },
  );
  return fetch(url, init);
}

const accountNames = new Map<string, string>();
function nameFor(caller: Caller): string {
  return accountNames.get(accountFor(caller))!;
}

/** An account manager is asked about their own account (allowed); everyone else about someone else's. */
function accountFor(caller: Caller): string {
  return caller === "account_manager" ? ownAccount : othersAccount;
}

function send(caller: Caller, path: string, init: RequestInit = {}): Promise<Response> {
  if (caller === "other_tenant") {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${otherTenantToken}`);
    return fetch(`${stack.url}${path}`, { ...init, headers });
  }
  return stack.fetch(path, init, caller === "signed_out" ? null : caller);
}

function expected(access: string, caller: Caller, call: Call): 200 | 401 | 403 | 404 {
  if (access === "public" || access === "signature") return 200;
  if (caller === "signed_out") return 401;
  const role: UserRole = caller === "other_tenant" ? "admin" : caller;
  if (access !== "signed_in" && !permissionMatrix[access as keyof typeof permissionMatrix][role]) return 403;
  if (caller === "other_tenant" && call.tenantRecord) return 404;
  return 200;
}

beforeAll(async () => {
  // Over 50 accounts: the generator gives them two account managers, so "someone else's account" exists.
  stack = await startTestStack({ accounts: 60, months: 2, env: { HUBSPOT_CLIENT_SECRET: hubspotSecret } });
  const all = (await (await stack.fetch("/v1/portfolio?limit=200")).json()) as PortfolioResponse;
  const manager = stack.as.account_manager.id;
  ownAccount = all.rows.find((r) => r.owner?.id === manager)!.accountId;
  othersAccount = all.rows.find((r) => r.owner?.id !== manager)!.accountId;
  for (const row of all.rows) accountNames.set(row.accountId, row.name);
  metricKey = ((await (await stack.fetch("/v1/settings")).json()) as { metrics: Array<{ key: string }> }).metrics[0]!
    .key;
  const [withStripe] = await queryRows<{ id: string; stripe_customer_id: string }>(
    stack.services.db,
    sql`select id, stripe_customer_id from accounts where stripe_customer_id is not null limit 1`,
  );
  linked = { id: withStripe!.id, stripe: withStripe!.stripe_customer_id };
  const stripeLinked = await queryRows<{ id: string; owner_id: string | null; stripe_customer_id: string }>(
    stack.services.db,
    sql`select id, owner_id, stripe_customer_id from accounts where stripe_customer_id is not null order by id`,
  );
  const retryAccount = (mine: boolean) => {
    const row = stripeLinked.find((a) => (a.owner_id === manager) === mine)!;
    return { id: row.id, stripe: row.stripe_customer_id };
  };
  retryAccounts = { own: retryAccount(true), others: retryAccount(false) };
  // A second tenant in the same database, with an admin of its own.
  const tenant = await provisionTenant({
    db: stack.services.db,
    input: {
      slug: "other-co",
      name: "Other Co",
      baseCurrency: "EUR",
      thresholdBps: 500,
      amplitudeGroupType: "org_id",
      // The same metric key, so its item-mapping call is valid in its own tenant.
      metrics: [{ key: metricKey, unit: "unit", eventType: "event", quickbooksItemIds: [] }],
      owners: [],
      accounts: [],
    },
  });
  const created = await createUser({
    ctx: systemContext(stack.services, tenant),
    input: { email: "admin@other.example.com", name: "Other Admin", role: "admin" },
  });
  if (!created.ok) throw new Error("could not create the other tenant's admin");
  const ctx = userContext(
    stack.services,
    {
      tenant_id: tenant.tenantId,
      user_id: created.user.id,
      role: "admin",
      name: "Other Admin",
      email: created.user.email,
    },
    "token",
    "matrix",
  );
  otherTenantToken = (await createApiToken({ ctx, input: { name: "other tenant" } })).token;
  // Each tenant's HubSpot portal; the records the card examples use link to the retry accounts (own / someone else's).
  await send("admin", "/v1/crm/connections/hubspot", json("PUT", { portalId: hubspotPortal.own }));
  await send("other_tenant", "/v1/crm/connections/hubspot", json("PUT", { portalId: hubspotPortal.other }));
  for (const [record, account] of [
    [hubspotRecordFor("account_manager"), retryAccounts.own.id],
    [hubspotRecordFor("admin"), retryAccounts.others.id],
  ] as const) {
    await queryRows(
      stack.services.db,
      sql`update accounts set hubspot_company_id = ${record} where id = ${account}::uuid`,
    );
  }
});
afterAll(() => stack.stop());

describe("role matrix", () => {
  it("has a valid example for every operation in the OpenAPI document, and every operation declares its access", async () => {
    const document = (await (await fetch(`${stack.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { "x-reckon-permission"?: string }>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(operations.length).toBeGreaterThan(15);
    for (const { key, operation } of operations) {
      expect(operation["x-reckon-permission"], `${key} declares no access rule`).toBeDefined();
      expect(examples[key], `${key} has no example in the role matrix`).toBeDefined();
    }
    expect(Object.keys(examples).sort()).toEqual(operations.map((o) => o.key).sort());
  });

  it("answers every operation as the permission table says, for every caller", async () => {
    const document = (await (await fetch(`${stack.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { "x-reckon-permission": string }>>;
    };
    const mismatches: string[] = [];
    let calls = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const key = `${method.toUpperCase()} ${path}`;
        const example = examples[key];
        if (!example) continue; // the test above names it
        for (const caller of callers) {
          const call = await example(caller);
          const response = call.crm ? await crmSend(caller, call) : await send(caller, call.path, call.init);
          calls++;
          const want = expected(operation["x-reckon-permission"], caller, call);
          const got = response.status;
          const ok = want === 200 ? got >= 200 && got < 300 : got === want;
          if (!ok)
            mismatches.push(
              `${key} as ${caller}: expected ${want}, got ${got} ${(await response.text()).slice(0, 200)}`,
            );
          else if (got >= 400) expect(response.headers.get("content-type")).toContain("application/problem+json");
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(calls).toBeGreaterThan(100);
  });

  it("refuses every caller, signed in or not, a webhook without its signature", async () => {
    const document = (await (await fetch(`${stack.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { "x-reckon-permission": string }>>;
    };
    const signed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation["x-reckon-permission"] === "signature")
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(signed.sort()).toEqual(["POST /webhooks/quickbooks", "POST /webhooks/stripe/{tenant}"]);
    const answers: string[] = [];
    for (const key of signed) {
      for (const caller of callers) {
        const call = await examples[key]!(caller);
        const headers = new Headers(call.init?.headers);
        headers.delete("stripe-signature");
        headers.delete("intuit-signature");
        const response = await send(caller, call.path, { ...call.init, headers });
        answers.push(`${key} as ${caller}: ${response.status}`);
      }
    }
    expect(answers).toEqual(signed.flatMap((key) => callers.map((caller) => `${key} as ${caller}: 401`)));
  });

  it("narrows an account manager to their own accounts everywhere and answers 404 for the others'", async () => {
    const manager = stack.as.account_manager.id;
    const mine = (await (
      await stack.fetch("/v1/portfolio?limit=200", {}, "account_manager")
    ).json()) as PortfolioResponse;
    expect(mine.rows.length).toBeGreaterThan(0);
    for (const row of mine.rows) expect(row.owner?.id).toBe(manager);
    const all = (await (await stack.fetch("/v1/portfolio?limit=200")).json()) as PortfolioResponse;
    const someoneElse = all.rows.find((r) => r.owner && r.owner.id !== manager)!;
    // Filtering by another owner or searching for another owner's account name finds nothing.
    const byOwner = (await (
      await stack.fetch(`/v1/portfolio?owner=${someoneElse.owner!.id}`, {}, "account_manager")
    ).json()) as PortfolioResponse;
    expect(byOwner.rows).toEqual([]);
    const search = (await (
      await stack.fetch(`/v1/portfolio?q=${encodeURIComponent(someoneElse.name)}`, {}, "account_manager")
    ).json()) as PortfolioResponse;
    expect(search.rows.map((r) => r.accountId)).not.toContain(someoneElse.accountId);
    expect((await stack.fetch(`/v1/accounts/${someoneElse.accountId}`, {}, "account_manager")).status).toBe(404);
    // Aggregates count their accounts only.
    const forecast = (await (await stack.fetch("/v1/forecast?limit=500", {}, "account_manager")).json()) as {
      accounts: Array<{ accountId: string }>;
    };
    const allowed = new Set(mine.rows.map((r) => r.accountId));
    for (const account of forecast.accounts) expect(allowed.has(account.accountId)).toBe(true);
  });

  it("answers another tenant's caller from its own (empty) tenant, never this one's data", async () => {
    const page = (await (await send("other_tenant", "/v1/portfolio?limit=200")).json()) as PortfolioResponse;
    expect(page.rows).toEqual([]);
    expect((await send("other_tenant", `/v1/accounts/${ownAccount}`)).status).toBe(404);
    const audit = JSON.stringify(await (await send("other_tenant", "/v1/audit?limit=200")).json());
    expect(audit).not.toContain(stack.as.admin.id);
  });
});
