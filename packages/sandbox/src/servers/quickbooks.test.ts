import QuickBooks from "node-quickbooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { type RunningSandbox, startSandbox } from "../sandbox.js";
import type { QboCustomer, QboInvoice } from "../scenario.js";

let sandbox: RunningSandbox;
let qbo: QuickBooks;
const asOf = new Date("2026-11-25T00:00:00Z");

/** node-quickbooks answers through callbacks; its error argument is the axios error, the body comes second. */
function call<T>(
  run: (callback: (error: unknown, data: unknown) => void) => void,
): Promise<{ error: unknown; data: T }> {
  return new Promise((resolve) => run((error, data) => resolve({ error, data: data as T })));
}

beforeAll(async () => {
  sandbox = await startSandbox(generateScenario({ seed: 5, accounts: 30, months: 6, asOf: "2026-11-25" }), {
    now: () => asOf,
  });
  QuickBooks.V3_ENDPOINT_BASE_URL = sandbox.quickbooks.baseUrl;
  QuickBooks.TOKEN_URL = sandbox.quickbooks.tokenUrl;
  const q = sandbox.quickbooks;
  qbo = new QuickBooks(
    q.clientId,
    q.clientSecret,
    q.accessToken,
    false,
    q.realmId,
    true,
    false,
    "75",
    "2.0",
    q.refreshToken,
  );
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.faults.reset());

describe("QuickBooks sandbox through node-quickbooks", () => {
  it("pages through every invoice with fetchAll", async () => {
    const { error, data } = await call<{ QueryResponse: { Invoice: QboInvoice[] } }>((cb) =>
      qbo.findInvoices(
        [
          { field: "fetchAll", value: true },
          { field: "limit", value: 40 },
        ],
        cb,
      ),
    );
    expect(error).toBeNull();
    const invoices = sandbox.scenario.quickbooks.invoices;
    expect(data.QueryResponse.Invoice.map((i) => i.Id)).toEqual(invoices.map((i) => i.Id));
    const pages = Math.floor(invoices.length / 40) + 1;
    expect(sandbox.faults.requestCount("quickbooks")).toBe(pages);
    expect(sandbox.faults.requests("quickbooks")[0]!.url).toContain("startposition%201%20maxresults%2040");
  });

  it("filters by MetaData.LastUpdatedTime, counts, and orders", async () => {
    const since = "2026-10-01T00:00:00-08:00";
    const { data } = await call<{ QueryResponse: { Invoice?: QboInvoice[] } }>((cb) =>
      qbo.findInvoices(
        [
          { field: "Metadata.LastUpdatedTime", value: since, operator: ">=" },
          { field: "desc", value: "TxnDate" },
        ],
        cb,
      ),
    );
    const expected = sandbox.scenario.quickbooks.invoices.filter(
      (i) => Date.parse(i.MetaData.LastUpdatedTime) >= Date.parse(since),
    );
    expect(data.QueryResponse.Invoice?.length).toBe(Math.min(1000, expected.length));
    const dates = data.QueryResponse.Invoice!.map((i) => i.TxnDate);
    expect(dates).toEqual([...dates].sort().reverse());
    const counted = await call<{ QueryResponse: { totalCount: number } }>((cb) =>
      qbo.findCustomers({ count: true }, cb),
    );
    expect(counted.data.QueryResponse.totalCount).toBe(sandbox.scenario.quickbooks.customers.length);
    const none = await call<{ QueryResponse: object }>((cb) => qbo.findCustomers({ DisplayName: "Nobody Ltd." }, cb));
    expect(none.data.QueryResponse).toEqual({});
  });

  it("reads one invoice and answers a missing one with a Fault", async () => {
    const invoice = sandbox.scenario.quickbooks.invoices[3]!;
    const found = await call<QboInvoice>((cb) => qbo.getInvoice(invoice.Id, cb));
    expect(found.data).toEqual(invoice);
    const missing = await call<unknown>((cb) => qbo.getInvoice("999999", cb));
    expect(missing.error).toBeTruthy();
    expect((missing.error as { response: { status: number; data: unknown } }).response).toMatchObject({
      status: 400,
      data: { Fault: { type: "ValidationFault", Error: [{ code: "610" }] } },
    });
  });

  it("rotates refresh tokens and rejects the old one with invalid_grant", async () => {
    const oldRefresh = qbo.refreshToken;
    const refreshed = await call<{ access_token: string; refresh_token: string; token_type: string }>((cb) =>
      qbo.refreshAccessToken(cb),
    );
    expect(refreshed.error).toBeNull();
    expect(refreshed.data).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(qbo.refreshToken).not.toBe(oldRefresh);
    expect(qbo.token).toBe(refreshed.data.access_token);
    const reuse = await fetch(sandbox.quickbooks.tokenUrl, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${sandbox.quickbooks.clientId}:${sandbox.quickbooks.clientSecret}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: String(oldRefresh) }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
    const after = await call<QboCustomer>((cb) => qbo.getCustomer("1", cb));
    expect(after.data.Id).toBe("1");
  });

  it("answers an expired access token with a 401 AuthenticationFault", async () => {
    sandbox.faults.expireQuickbooksAccessTokens();
    const denied = await call<unknown>((cb) => qbo.getCustomer("1", cb));
    expect((denied.error as { response: { status: number; data: unknown } }).response).toMatchObject({
      status: 401,
      data: { Fault: { type: "AuthenticationFault", Error: [{ code: "3200" }] } },
    });
    await call((cb) => qbo.refreshAccessToken(cb));
    expect((await call<QboCustomer>((cb) => qbo.getCustomer("1", cb))).error).toBeNull();
  });

  it("serves ChangeDataCapture within 30 days, deleted entities included", async () => {
    sandbox.scenario.quickbooks.customers.push({
      ...sandbox.scenario.quickbooks.customers[0]!,
      Id: "9001",
      status: "Deleted",
      MetaData: { CreateTime: "2026-01-01T00:00:00-08:00", LastUpdatedTime: "2026-11-20T10:00:00-08:00" },
    });
    const since = "2026-11-01T00:00:00Z";
    const { data } = await call<{ CDCResponse: Array<{ QueryResponse: Array<Record<string, unknown>> }> }>((cb) =>
      qbo.changeDataCapture(["Invoice", "Customer"], since, cb),
    );
    const [invoices, customers] = data.CDCResponse[0]!.QueryResponse;
    const changed = sandbox.scenario.quickbooks.invoices.filter(
      (i) => Date.parse(i.MetaData.LastUpdatedTime) >= Date.parse(since),
    );
    expect((invoices!.Invoice as QboInvoice[]).map((i) => i.Id).sort()).toEqual(changed.map((i) => i.Id).sort());
    expect(customers!.Customer).toContainEqual({ Id: "9001", status: "Deleted", MetaData: expect.any(Object) });
    const query = await call<{ QueryResponse: { totalCount: number } }>((cb) => qbo.findCustomers({ count: true }, cb));
    expect(query.data.QueryResponse.totalCount).toBe(sandbox.scenario.quickbooks.customers.length - 1);
    const tooOld = await call<unknown>((cb) => qbo.changeDataCapture("Invoice", "2026-09-01T00:00:00Z", cb));
    expect((tooOld.error as { response: { status: number } }).response.status).toBe(400);
  });

  it("rejects a malformed query with a ValidationFault", async () => {
    const url = `${sandbox.quickbooks.baseUrl}${sandbox.quickbooks.realmId}/query?query=${encodeURIComponent("select * frm Invoice")}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${qbo.token}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ Fault: { type: "ValidationFault", Error: [{ code: "4000" }] } });
  });

  it("throttles on demand and beyond 500 requests a minute per realm", async () => {
    sandbox.faults.rateLimitNext("quickbooks", 1, 7);
    const url = `${sandbox.quickbooks.baseUrl}${sandbox.quickbooks.realmId}/customer/1`;
    const headers = { Authorization: `Bearer ${qbo.token}` };
    const first = await fetch(url, { headers });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("7");
    expect(await first.json()).toMatchObject({ Fault: { Error: [{ code: "3001" }] } });
    let statuses: number[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => fetch(url, { headers }).then((r) => r.status)),
      );
      statuses = statuses.concat(answers);
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(500);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(90);
  });
});

describe("a revoked QuickBooks grant", () => {
  it("answers every refresh with invalid_grant and every call with a 401", async () => {
    const own = await startSandbox(generateScenario({ seed: 5, accounts: 3, months: 1, asOf: "2026-11-25" }), {
      now: () => asOf,
    });
    try {
      const q = own.quickbooks;
      QuickBooks.V3_ENDPOINT_BASE_URL = q.baseUrl;
      QuickBooks.TOKEN_URL = q.tokenUrl;
      const client = new QuickBooks(
        q.clientId,
        q.clientSecret,
        q.accessToken,
        false,
        q.realmId,
        true,
        false,
        "75",
        "2.0",
        q.refreshToken,
      );
      own.faults.revokeQuickbooksGrant();
      const denied = await call<unknown>((cb) => client.getCustomer("1", cb));
      expect((denied.error as { response: { status: number } }).response.status).toBe(401);
      const refused = await call<unknown>((cb) => client.refreshAccessToken(cb));
      expect((refused.error as { response: { status: number; data: unknown } }).response).toMatchObject({
        status: 400,
        data: { error: "invalid_grant" },
      });
      // The company connects the app again: only the new grant's refresh token works, and it rotates as before.
      const granted = own.faults.grantQuickbooksAgain();
      expect(granted).not.toBe(q.refreshToken);
      const stale = await call<unknown>((cb) => client.refreshAccessToken(cb));
      expect((stale.error as { response: { status: number } }).response.status).toBe(400);
      client.refreshToken = granted;
      const fresh = await call<{ access_token: string; refresh_token: string }>((cb) => client.refreshAccessToken(cb));
      expect(fresh.error).toBeNull();
      expect(fresh.data?.refresh_token).not.toBe(granted);
      const customer = await call<unknown>((cb) => client.getCustomer("1", cb));
      expect(customer.error).toBeNull();
    } finally {
      await own.stop();
      QuickBooks.V3_ENDPOINT_BASE_URL = sandbox.quickbooks.baseUrl;
      QuickBooks.TOKEN_URL = sandbox.quickbooks.tokenUrl;
    }
  });
});
