// The Salesforce fake through jsforce 3.10.16 (loginUrl at it): the client-credentials and refresh-token flows,
// SOQL with query locators, retrieve, sObject Collections update, INVALID_SESSION_ID and the daily allowance.
import jsforce from "jsforce";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { startSandbox } from "../sandbox.js";
import { type RunningSalesforceSandbox, startSalesforceSandbox } from "./start.js";

let salesforce: RunningSalesforceSandbox;
const scenario = generateScenario({ seed: 11, accounts: 40, months: 3, asOf: "2026-11-25" });

beforeAll(async () => {
  salesforce = await startSalesforceSandbox(scenario, { salesforce: { queryBatchSize: 10 } });
});
afterAll(() => salesforce.stop());
beforeEach(() => {
  salesforce.faults.reset();
  salesforce.writes.clear();
});

/** A connection authorized with the client-credentials flow, as jsforce 3 does it. */
async function connect(): Promise<InstanceType<typeof jsforce.Connection>> {
  const conn = new jsforce.Connection({ loginUrl: salesforce.loginUrl, version: salesforce.apiVersion });
  await conn.authorize({
    grant_type: "client_credentials",
    client_id: salesforce.clientId,
    client_secret: salesforce.clientSecret,
  });
  return conn;
}

async function rejection(request: PromiseLike<unknown>): Promise<Error & { errorCode?: string }> {
  const error = await request.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { errorCode?: string };
}

const linked = () => salesforce.seeded.filter((r) => r.explicitId !== null);

describe("Salesforce OAuth through jsforce", () => {
  it("authorizes with client credentials and answers the org and user in the identity URL", async () => {
    const conn = new jsforce.Connection({ loginUrl: salesforce.loginUrl, version: salesforce.apiVersion });
    const user = await conn.authorize({
      grant_type: "client_credentials",
      client_id: salesforce.clientId,
      client_secret: salesforce.clientSecret,
    });
    expect(user).toMatchObject({ organizationId: salesforce.orgId, id: salesforce.userId });
    expect(conn.instanceUrl).toBe(salesforce.instanceUrl);
    expect(conn.accessToken).toMatch(/^00D/);
    const token = salesforce.faults.requests().find((r) => r.url === "/services/oauth2/token");
    expect(token?.status).toBe(200);
  });

  it("refuses a wrong secret (invalid_client) and an unknown client (invalid_client_id)", async () => {
    const conn = new jsforce.Connection({ loginUrl: salesforce.loginUrl });
    const wrong = await rejection(
      conn.authorize({ grant_type: "client_credentials", client_id: salesforce.clientId, client_secret: "nope" }),
    );
    expect(wrong.name).toBe("invalid_client");
    const unknown = await rejection(
      conn.authorize({ grant_type: "client_credentials", client_id: "3MVGnope", client_secret: "nope" }),
    );
    expect(unknown.name).toBe("invalid_client_id");
  });

  it("refreshes an expired session with the refresh token, as jsforce does on INVALID_SESSION_ID", async () => {
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: salesforce.loginUrl, clientId: salesforce.clientId, clientSecret: salesforce.clientSecret },
      instanceUrl: salesforce.instanceUrl,
      accessToken: "00Dexpired!token",
      refreshToken: salesforce.refreshToken,
      version: salesforce.apiVersion,
    });
    const account = await conn.sobject("Account").retrieve(salesforce.seeded[0]!.recordId);
    expect(account.Id).toBe(salesforce.seeded[0]!.recordId);
    const statuses = salesforce.faults.requests().map((r) => r.status);
    expect(statuses).toEqual([401, 200, 200]); // the refused call, the token refresh, the call again
  });

  it("answers 401 INVALID_SESSION_ID once tokens expire, and refuses every grant once access is revoked", async () => {
    const conn = await connect();
    salesforce.faults.expireTokens();
    const expired = await rejection(conn.sobject("Account").retrieve(salesforce.seeded[0]!.recordId));
    expect(expired.errorCode).toBe("INVALID_SESSION_ID");
    await connect(); // a new token works again
    salesforce.faults.revokeAccess();
    const revoked = await rejection(connect());
    expect(revoked.name).toBe("invalid_client");
  });
});

describe("Salesforce REST through jsforce", () => {
  it("pages a SOQL query through query locators (queryMore) at the configured batch size", async () => {
    const conn = await connect();
    const soql =
      "SELECT Id, Name, Website, QuickBooks_Customer_Id__c FROM Account WHERE QuickBooks_Customer_Id__c != null";
    const first = await conn.query(soql, { autoFetch: false });
    expect(first.totalSize).toBe(linked().length);
    expect(first.records).toHaveLength(10);
    expect(first.done).toBe(false);
    expect(first.records[0]!.attributes).toEqual({
      type: "Account",
      url: `/services/data/v${salesforce.apiVersion}/sobjects/Account/${first.records[0]!.Id}`,
    });
    const ids = first.records.map((r) => r.Id);
    let locator = first.nextRecordsUrl;
    while (locator) {
      const page = await conn.queryMore(locator);
      ids.push(...page.records.map((r) => r.Id));
      locator = page.nextRecordsUrl;
    }
    expect(ids.sort()).toEqual(
      linked()
        .map((r) => r.recordId)
        .sort(),
    );
    const all = await conn.query(soql, { autoFetch: true, maxFetch: 10_000 });
    expect(all.records).toHaveLength(linked().length);
  });

  it("answers SOQL errors with their codes: INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY", async () => {
    const conn = await connect();
    expect((await rejection(conn.query("SELECT Id, Nope__c FROM Account"))).errorCode).toBe("INVALID_FIELD");
    expect((await rejection(conn.query("SELECT Id FROM Contact"))).errorCode).toBe("INVALID_TYPE");
    expect((await rejection(conn.query("SELEC Id FROM Account"))).errorCode).toBe("MALFORMED_QUERY");
  });

  it("finds by Id IN (15- and 18-character ids) and by a text value", async () => {
    const conn = await connect();
    const [a, b] = salesforce.seeded;
    const byId = await conn.query(
      `SELECT Id FROM Account WHERE Id IN ('${a!.recordId.slice(0, 15)}', '${b!.recordId}')`,
    );
    expect(byId.records.map((r) => r.Id).sort()).toEqual([a!.recordId, b!.recordId].sort());
    const one = linked()[0]!;
    const byValue = await conn.query(
      `SELECT Id FROM Account WHERE QuickBooks_Customer_Id__c = '${one.explicitId}' LIMIT 5`,
    );
    expect(byValue.records.map((r) => r.Id)).toEqual([one.recordId]);
  });

  it("retrieves an Account and answers NOT_FOUND for one that does not exist", async () => {
    const conn = await connect();
    const seeded = salesforce.seeded[0]!;
    const account = await conn.sobject("Account").retrieve(seeded.recordId);
    expect(account).toMatchObject({ Id: seeded.recordId, Name: seeded.name, Reckon_Open_Flags__c: null });
    const missing = await rejection(conn.sobject("Account").retrieve("001000000000000AAA"));
    expect(missing.errorCode).toBe("NOT_FOUND");
  });

  it("updates through sObject Collections: per-record SaveResults, only valid records written", async () => {
    const conn = await connect();
    const [a, b, c, d] = salesforce.seeded;
    salesforce.deleteAccount(d!.recordId);
    const results = await conn.sobject("Account").update(
      [
        { Id: a!.recordId, Reckon_Billing_Status__c: "overdue", Reckon_Overdue_Amount__c: 1234.567 },
        { Id: b!.recordId, Reckon_Billing_Status__c: "x".repeat(41) },
        { Id: "001000000000000AAA", Reckon_Open_Flags__c: 1 },
        { Id: d!.recordId, Reckon_Open_Flags__c: 1 },
        { Id: c!.recordId, Reckon_Last_Reconciled__c: "2026-11-25T10:00:00.000Z" },
      ],
      { allOrNone: false },
    );
    expect(results.map((r) => r.success)).toEqual([true, false, false, false, true]);
    const codes = results.map((r) =>
      r.success ? null : (r.errors[0]!.errorCode ?? (r.errors[0] as { statusCode?: string }).statusCode),
    );
    expect(codes).toEqual([null, "STRING_TOO_LONG", "INVALID_CROSS_REFERENCE_KEY", "ENTITY_IS_DELETED", null]);
    expect(salesforce.account(a!.recordId)).toMatchObject({
      Reckon_Billing_Status__c: "overdue",
      Reckon_Overdue_Amount__c: 1234.57,
    });
    expect(salesforce.account(c!.recordId)?.Reckon_Last_Reconciled__c).toBe("2026-11-25T10:00:00.000+0000");
    expect(salesforce.writes.timesWritten(a!.recordId)).toBe(1);
    expect(salesforce.writes.timesWritten(b!.recordId)).toBe(0);
    const patch = salesforce.faults.requests().filter((r) => r.method === "PATCH");
    expect(patch.map((r) => r.url)).toEqual([`/services/data/v${salesforce.apiVersion}/composite/sobjects`]);
  });

  it("rolls every record back with allOrNone when one fails", async () => {
    const conn = await connect();
    const [a] = salesforce.seeded;
    const results = await conn.sobject("Account").update(
      [
        { Id: a!.recordId, Reckon_Open_Flags__c: 3 },
        { Id: "001000000000000AAA", Reckon_Open_Flags__c: 1 },
      ],
      { allOrNone: true },
    );
    expect(results.every((r) => !r.success)).toBe(true);
    expect(salesforce.writes.timesWritten(a!.recordId)).toBe(0);
  });

  it("refuses the whole request for an unknown field (INVALID_FIELD) and for over 200 records", async () => {
    const conn = await connect();
    const [a] = salesforce.seeded;
    const unknown = await rejection(
      conn.sobject("Account").update([{ Id: a!.recordId, Nope__c: "x" }], { allOrNone: false }),
    );
    expect(unknown.errorCode).toBe("INVALID_FIELD");
    const many = Array.from({ length: 201 }, () => ({ Id: a!.recordId, Reckon_Open_Flags__c: 1 }));
    const tooMany = await rejection(conn.sobject("Account").update(many, { allOrNone: false }));
    expect(tooMany.errorCode).toBe("EXCEEDED_ID_LIMIT");
    expect(salesforce.writes.timesWritten(a!.recordId)).toBe(0);
  });

  it("counts API calls in Sforce-Limit-Info and answers REQUEST_LIMIT_EXCEEDED once the allowance is used", async () => {
    const conn = await connect();
    await conn.sobject("Account").retrieve(salesforce.seeded[0]!.recordId);
    expect(conn.limitInfo.apiUsage).toEqual({ used: salesforce.usage.used, limit: 100_000 });
    salesforce.faults.exhaustDailyLimit();
    const refused = await rejection(conn.sobject("Account").retrieve(salesforce.seeded[0]!.recordId));
    expect(refused.errorCode).toBe("REQUEST_LIMIT_EXCEEDED");
    expect(conn.limitInfo.apiUsage).toEqual({ used: 100_000, limit: 100_000 });
  });

  it("answers an injected 503 with SERVER_UNAVAILABLE", async () => {
    const conn = await connect();
    salesforce.faults.failNext(1, 503);
    const error = await rejection(
      conn
        .sobject("Account")
        .update([{ Id: salesforce.seeded[0]!.recordId, Reckon_Open_Flags__c: 1 }], { allOrNone: false }),
    );
    expect(error.errorCode).toBe("SERVER_UNAVAILABLE");
  });
});

describe("startSandbox", () => {
  it("exposes the HubSpot and Salesforce fakes beside the others", async () => {
    const sandbox = await startSandbox(scenario);
    try {
      expect(sandbox.hubspot.seeded.length).toBe(sandbox.salesforce.seeded.length);
      const response = await fetch(
        `${sandbox.hubspot.baseUrl}/crm/v3/objects/companies/${sandbox.hubspot.seeded[0]!.recordId}`,
        {
          headers: { Authorization: `Bearer ${sandbox.hubspot.accessToken}` },
        },
      );
      expect(response.status).toBe(200);
      const token = await fetch(`${sandbox.salesforce.loginUrl}/services/oauth2/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: sandbox.salesforce.clientId,
          client_secret: sandbox.salesforce.clientSecret,
        }),
      });
      expect(await token.json()).toMatchObject({ token_type: "Bearer", instance_url: sandbox.salesforce.instanceUrl });
    } finally {
      await sandbox.stop();
    }
  });
});
