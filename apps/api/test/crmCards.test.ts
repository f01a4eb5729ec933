// The CRM cards' API as the cards call it: HubSpot's signed hubspot.fetch and Salesforce's Named Credential callout,
// the user each acts as, linking (explicit id, then an admin confirming a suggestion), the card's content and its
// Retry payment and Flag issue actions, and every refusal in between.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HubspotCaller, hubspotFetch, hubspotRequest, type SalesforceCaller, salesforceFetch } from "./crmDriver";
import { startTestStack, type TestStack } from "./stack";

const clientSecret = "test-hubspot-app-client-secret-0001";
const portalId = "24680135";
const orgId = "00D5g000004XyzAEAS";

let stack: TestStack;
/** An account the account manager owns, with its QuickBooks and Stripe customers. */
let own: { id: string; name: string; quickbooks: string; stripe: string };
/** An account someone else owns. */
let others: { id: string; name: string; quickbooks: string };
let salesforceToken: string;

const hubspotAs = (email: string, userId = `u${email.length}${email.charCodeAt(0)}`): HubspotCaller => ({
  clientSecret,
  portalId,
  userId,
  userEmail: email,
});
const card = (recordId: string, hints: Record<string, string> = {}) =>
  `/v1/crm/hubspot/records/${recordId}/card${Object.keys(hints).length ? `?${new URLSearchParams(hints)}` : ""}`;
const json = async (response: Response) => (await response.json()) as Record<string, unknown> & { detail?: string };

async function audit(action: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    stack.services.db,
    sql`select count(*)::int as n from audit_log where action = ${action}`,
  );
  return row!.n;
}

/** A declined charge of the account, delivered to Reckon by the sandbox's webhook as Stripe would. */
async function declinedCharge(stripeCustomer: string): Promise<string> {
  const { charge } = stack.demo!.sandbox.changes.addCharge({ customerId: stripeCustomer, amount: 3_100, failed: true });
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
  stack = await startTestStack({ accounts: 16, months: 2, env: { HUBSPOT_CLIENT_SECRET: clientSecret } });
  // The demo tenant writes back to the sandbox's CRMs, which links records by their explicit ids: these tests link
  // records of their own, so they start from accounts no CRM record is linked to.
  await queryRows(stack.services.db, sql`update accounts set hubspot_company_id = null, salesforce_account_id = null`);
  const rows = await queryRows<{
    id: string;
    name: string;
    owner_id: string | null;
    quickbooks_customer_id: string;
    stripe_customer_id: string | null;
  }>(
    stack.services.db,
    sql`select id, name, owner_id, quickbooks_customer_id, stripe_customer_id from accounts
        where hubspot_company_id is null and salesforce_account_id is null order by name`,
  );
  const mine = rows.find((r) => r.owner_id === stack.as.account_manager.id && r.stripe_customer_id)!;
  // Someone else's account: a small demo tenant has one account manager, so one account moves to the admin's portfolio.
  const theirs = rows.filter((r) => r.owner_id === stack.as.account_manager.id).at(-1)!;
  await queryRows(
    stack.services.db,
    sql`update accounts set owner_id = ${stack.as.admin.id}::uuid where id = ${theirs.id}::uuid`,
  );
  own = { id: mine.id, name: mine.name, quickbooks: mine.quickbooks_customer_id, stripe: mine.stripe_customer_id! };
  others = { id: theirs.id, name: theirs.name, quickbooks: theirs.quickbooks_customer_id };
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe("HubSpot cards", () => {
  it("refuses a portal nobody connected, then acts for it once an admin connects it", async () => {
    const before = await hubspotFetch(stack.url, hubspotAs(stack.as.admin.email), { path: card("9001") });
    expect(before.status).toBe(401);
    expect((await json(before)).detail).toContain("PUT /v1/crm/connections/hubspot");

    const connect = await stack.fetch("/v1/crm/connections/hubspot", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ portalId }),
    });
    expect(connect.status).toBe(200);
    expect(await connect.json()).toMatchObject({ provider: "hubspot", externalId: portalId, writeBack: false });
    // Not an admin's to do for anyone else.
    const asFinance = await stack.fetch(
      "/v1/crm/connections/hubspot",
      { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ portalId }) },
      "finance",
    );
    expect(asFinance.status).toBe(403);

    const after = await hubspotFetch(stack.url, hubspotAs(stack.as.admin.email), { path: card("9001") });
    expect(after.status).toBe(200);
    expect(await json(after)).toMatchObject({ state: "unlinked", canLink: true, viewer: { role: "admin" } });
  });

  it("checks the v3 signature: missing, wrong secret, changed query, changed body and stale timestamps are 401", async () => {
    const caller = hubspotAs(stack.as.admin.email);
    const unsigned = await fetch(`${stack.url}${card("9001")}?portalId=${portalId}&userId=1`);
    expect(unsigned.status).toBe(401);

    const wrongSecret = await hubspotFetch(
      stack.url,
      { ...caller, clientSecret: "not-the-secret" },
      { path: card("9001") },
    );
    expect(wrongSecret.status).toBe(401);
    expect((await json(wrongSecret)).detail).toContain("signature does not match");

    // Signed for one record, sent for another.
    const signed = hubspotRequest(stack.url, caller, { path: card("9001") });
    const tampered = await fetch(signed.url.replace("/records/9001/", "/records/9002/"), signed.init);
    expect(tampered.status).toBe(401);

    const flag = hubspotRequest(stack.url, caller, {
      method: "POST",
      path: "/v1/crm/hubspot/records/9001/flags",
      body: { reason: "other", note: "signed" },
    });
    const changedBody = await fetch(flag.url, {
      ...flag.init,
      body: JSON.stringify({ reason: "other", note: "forged" }),
    });
    expect(changedBody.status).toBe(401);

    const stale = await hubspotFetch(
      stack.url,
      { ...caller, timestamp: Date.now() - 6 * 60_000 },
      { path: card("9001") },
    );
    expect(stale.status).toBe(401);
    expect((await json(stale)).detail).toContain("5 minutes");
  });

  it("maps a HubSpot user by email on the first visit, and tells an unknown one which id to map", async () => {
    const mappedBefore = await audit("identity.mapped");
    const manager = hubspotAs(stack.as.account_manager.email, "51001");
    const first = await hubspotFetch(stack.url, manager, { path: card("9001") });
    expect(first.status).toBe(200);
    expect(await json(first)).toMatchObject({ viewer: { role: "account_manager" } });
    expect(await audit("identity.mapped")).toBe(mappedBefore + 1);
    // Mapped now: the next visit needs no email.
    const again = await hubspotFetch(stack.url, { ...manager, userEmail: "" }, { path: card("9001") });
    expect(again.status).toBe(200);
    expect(await audit("identity.mapped")).toBe(mappedBefore + 1);

    const stranger = await hubspotFetch(stack.url, hubspotAs("nobody@elsewhere.example", "77"), { path: card("9001") });
    expect(stranger.status).toBe(403);
    expect((await json(stranger)).detail).toContain(`${portalId}:77`);
  });

  it("links a record by its explicit QuickBooks customer id and shows the account's card", async () => {
    const response = await hubspotFetch(stack.url, hubspotAs(stack.as.account_manager.email, "51001"), {
      path: card("7001", { quickbooksCustomerId: own.quickbooks, name: "ignored when the id matches" }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      state: string;
      account: { id: string; name: string; webUrl: string };
      invoices: unknown[];
      payments: unknown[];
      actions: { retry: boolean; flag: boolean };
      flagReasons: Array<{ value: string }>;
      lastSync: Array<{ source: string }>;
    };
    expect(body.state).toBe("linked");
    expect(body.account).toMatchObject({ id: own.id, name: own.name });
    expect(body.account.webUrl).toMatch(new RegExp(`/accounts/${own.id}$`));
    expect(body.invoices.length).toBeGreaterThan(0);
    expect(body.actions).toEqual({ retry: true, flag: true });
    expect(body.flagReasons.map((r) => r.value)).toContain("other");
    expect(body.lastSync.map((s) => s.source).sort()).toEqual(["amplitude", "quickbooks", "stripe"]);
    const [row] = await queryRows<{ hubspot_company_id: string; link_methods: Record<string, string> }>(
      stack.services.db,
      sql`select hubspot_company_id, link_methods from accounts where id = ${own.id}::uuid`,
    );
    expect(row).toMatchObject({ hubspot_company_id: "7001", link_methods: { hubspot: "explicit" } });
  });

  it("keeps another portfolio's account closed to an account manager", async () => {
    // The record names the other account: linked by the explicit id, but the card stays closed to this manager.
    const response = await hubspotFetch(stack.url, hubspotAs(stack.as.account_manager.email, "51001"), {
      path: card("7002", { quickbooksCustomerId: others.quickbooks }),
    });
    expect(response.status).toBe(404);
    const asFinance = await hubspotFetch(stack.url, hubspotAs(stack.as.finance.email, "51002"), { path: card("7002") });
    expect(asFinance.status).toBe(200);
    expect(await json(asFinance)).toMatchObject({ state: "linked", actions: { retry: false, flag: true } });
  });

  it("offers an admin the accounts that look like an unlinked record, and links the one they confirm", async () => {
    const [candidate] = await queryRows<{ id: string; name: string }>(
      stack.services.db,
      sql`select id, name from accounts where hubspot_company_id is null order by name limit 1`,
    );
    const hints = { name: candidate!.name.toUpperCase().replaceAll(" ", "  ") };
    const asAdmin = await hubspotFetch(stack.url, hubspotAs(stack.as.admin.email, "51000"), {
      path: card("7003", hints),
    });
    const unlinked = (await asAdmin.json()) as {
      state: string;
      suggestions: Array<{ accountId: string; matchedOn: string }>;
    };
    expect(unlinked.state).toBe("unlinked");
    expect(unlinked.suggestions[0]).toEqual({ accountId: candidate!.id, name: candidate!.name, matchedOn: "name" });

    // Account managers are told to ask an admin, and see no other portfolio's names.
    const asManager = await hubspotFetch(stack.url, hubspotAs(stack.as.account_manager.email, "51001"), {
      path: card("7003", hints),
    });
    expect(await json(asManager)).toMatchObject({ state: "unlinked", canLink: false, suggestions: [] });
    const managerLinks = await hubspotFetch(stack.url, hubspotAs(stack.as.account_manager.email, "51001"), {
      method: "POST",
      path: "/v1/crm/hubspot/records/7003/link",
      body: { accountId: candidate!.id },
    });
    expect(managerLinks.status).toBe(403);

    const link = await hubspotFetch(stack.url, hubspotAs(stack.as.admin.email, "51000"), {
      method: "POST",
      path: "/v1/crm/hubspot/records/7003/link",
      body: { accountId: candidate!.id },
    });
    expect(link.status).toBe(200);
    expect(await json(link)).toMatchObject({ account: { id: candidate!.id }, replaced: null });
    const linked = await hubspotFetch(stack.url, hubspotAs(stack.as.admin.email, "51000"), { path: card("7003") });
    expect(await json(linked)).toMatchObject({ state: "linked", account: { id: candidate!.id } });

    // The record belongs to that account now: linking another account to it is refused.
    const conflict = await hubspotFetch(stack.url, hubspotAs(stack.as.admin.email, "51000"), {
      method: "POST",
      path: "/v1/crm/hubspot/records/7003/link",
      body: { accountId: own.id },
    });
    expect(conflict.status).toBe(409);
  });

  it("requests a payment retry from the card once, and shows it as requested", async () => {
    const chargeId = await declinedCharge(own.stripe);
    const manager = hubspotAs(stack.as.account_manager.email, "51001");
    const before = (await (await hubspotFetch(stack.url, manager, { path: card("7001") })).json()) as {
      payments: Array<{ id: string; retry: { state: string } }>;
    };
    expect(before.payments.find((p) => p.id === chargeId)?.retry.state).toBe("available");

    const request = {
      method: "POST" as const,
      path: "/v1/crm/hubspot/records/7001/payment-retries",
      body: { paymentId: chargeId },
    };
    const first = await hubspotFetch(stack.url, manager, request);
    expect(first.status).toBe(201);
    const second = await hubspotFetch(stack.url, manager, request);
    expect(second.status).toBe(200);
    const rows = await queryRows<{ status: string; requested_via: string }>(
      stack.services.db,
      sql`select status, requested_via from payment_retry_requests where payment_source_id = ${chargeId}`,
    );
    expect(rows).toEqual([{ status: "requested", requested_via: "crm" }]);

    const after = (await (await hubspotFetch(stack.url, manager, { path: card("7001") })).json()) as {
      payments: Array<{ id: string; retry: { state: string; requestId: string | null } }>;
    };
    expect(after.payments.find((p) => p.id === chargeId)?.retry.state).toBe("requested");

    // Finance approves in Slack or the API, never from a request of their own: their card offers no Retry.
    const asFinance = await hubspotFetch(stack.url, hubspotAs(stack.as.finance.email, "51002"), request);
    expect(asFinance.status).toBe(403);
  });

  it("flags an issue from the card, refusing bad input without recording anything", async () => {
    const manager = hubspotAs(stack.as.account_manager.email, "51001");
    const countFlags = async () =>
      (
        await queryRows<{ n: number }>(
          stack.services.db,
          sql`select count(*)::int as n from flags where account_id = ${own.id}::uuid`,
        )
      )[0]!.n;
    const before = await countFlags();
    for (const body of [
      { reason: "other" },
      { reason: "made_up" },
      { reason: "refund", amount: { minor: "-5", currency: "USD" } },
    ]) {
      const bad = await hubspotFetch(stack.url, manager, {
        method: "POST",
        path: "/v1/crm/hubspot/records/7001/flags",
        body,
      });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    expect(await countFlags()).toBe(before);

    const flagged = await hubspotFetch(stack.url, manager, {
      method: "POST",
      path: "/v1/crm/hubspot/records/7001/flags",
      body: { reason: "refund", note: "customer says it was refunded", amount: { minor: "12000", currency: "USD" } },
    });
    expect(flagged.status).toBe(201);
    expect(await countFlags()).toBe(before + 1);
    const [flag] = await queryRows<{ raised_via: string }>(
      stack.services.db,
      sql`select raised_via from flags where account_id = ${own.id}::uuid order by created_at desc limit 1`,
    );
    expect(flag!.raised_via).toBe("crm");
    const view = (await (await hubspotFetch(stack.url, manager, { path: card("7001") })).json()) as {
      flags: Array<{ reason: string; note: string | null; raisedBy: string | null }>;
      openFlagCount: number;
    };
    expect(view.flags[0]).toMatchObject({ reason: "refund", note: "customer says it was refunded" });
    expect(view.openFlagCount).toBeGreaterThan(0);

    const viewer = await hubspotFetch(stack.url, hubspotAs(stack.as.viewer.email, "51003"), {
      method: "POST",
      path: "/v1/crm/hubspot/records/7001/flags",
      body: { reason: "refund" },
    });
    expect(viewer.status).toBe(403);
  });

  it("answers bad record ids and unlinked actions with a 4xx", async () => {
    const admin = hubspotAs(stack.as.admin.email, "51000");
    const badId = await hubspotFetch(stack.url, admin, { path: "/v1/crm/hubspot/records/not-an-id!/card" });
    expect(badId.status).toBe(400);
    const unlinked = await hubspotFetch(stack.url, admin, {
      method: "POST",
      path: "/v1/crm/hubspot/records/5555/flags",
      body: { reason: "refund" },
    });
    expect(unlinked.status).toBe(404);
    expect((await json(unlinked)).detail).toContain("not linked");
  });
});

describe("Salesforce cards", () => {
  const sf = (token: string, email: string, userId = "005000000000001"): SalesforceCaller => ({
    token,
    orgId,
    userId,
    email,
  });
  const sfCard = (recordId: string, query = "") => `/v1/crm/salesforce/records/${recordId}/card${query}`;

  it("issues a card token once, stores it hashed, and acts for the org with it", async () => {
    const connect = await stack.fetch("/v1/crm/connections/salesforce", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      // The demo tenant connected the sandbox's org at start-up (and got a token for it): another org, a new token.
      body: JSON.stringify({ orgId: orgId.slice(0, 15) }),
    });
    expect(connect.status).toBe(200);
    const body = (await connect.json()) as { externalId: string; cardToken: string };
    // The 15-character org id is stored in its 18-character form.
    expect(body.externalId).toBe(orgId);
    expect(body.cardToken).toMatch(/^rk_sf_/);
    salesforceToken = body.cardToken;
    const [stored] = await queryRows<{ card_token_hash: string }>(
      stack.services.db,
      sql`select card_token_hash from crm_connections where provider = 'salesforce'`,
    );
    expect(stored!.card_token_hash).not.toContain(salesforceToken);

    // Editing the connection keeps the token unless asked to rotate it.
    const edit = await stack.fetch("/v1/crm/connections/salesforce", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orgId, settings: { loginUrl: "https://test.salesforce.com" } }),
    });
    expect(((await edit.json()) as { cardToken: string | null }).cardToken).toBeNull();

    const response = await salesforceFetch(stack.url, sf(salesforceToken, stack.as.finance.email), {
      path: sfCard("001000000000AAAAA2", `?quickbooksCustomerId=${encodeURIComponent(others.quickbooks)}`),
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ state: "linked", viewer: { role: "finance" } });
  });

  it("refuses an unknown token, another org's id and missing headers", async () => {
    const unknown = await salesforceFetch(stack.url, sf("rk_sf_not-a-token", stack.as.admin.email), {
      path: sfCard("001000000000AAAAA2"),
    });
    expect(unknown.status).toBe(401);
    const otherOrg = await salesforceFetch(
      stack.url,
      { ...sf(salesforceToken, stack.as.admin.email), orgId: "00D5g000004OtherAAA" },
      { path: sfCard("001000000000AAAAA2") },
    );
    expect(otherOrg.status).toBe(401);
    const noUser = await fetch(`${stack.url}${sfCard("001000000000AAAAA2")}`, {
      headers: { authorization: `Bearer ${salesforceToken}`, "x-reckon-salesforce-org": orgId },
    });
    expect(noUser.status).toBe(401);
    // An API token is not a card token.
    const apiToken = await salesforceFetch(stack.url, sf(stack.as.admin.token, stack.as.admin.email), {
      path: sfCard("001000000000AAAAA2"),
    });
    expect(apiToken.status).toBe(401);
  });

  it("reads a 15-character record id as its 18-character form", async () => {
    const response = await salesforceFetch(stack.url, sf(salesforceToken, stack.as.finance.email), {
      path: sfCard("001000000000AAA"),
    });
    expect(await json(response)).toMatchObject({ state: "linked", recordId: "001000000000AAAAA2" });
  });
});
