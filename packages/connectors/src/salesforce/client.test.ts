// The Salesforce client against the Salesforce sandbox: client-credentials auth and one re-auth on an expired session,
// sObject Collections batching with positional SaveResults, typed failures, the explicit-id query's paging, reads.
import { generateScenario, type RunningSalesforceSandbox, startSalesforceSandbox } from "@reckon/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CrmCallError } from "../crm/errors";
import type { CrmClient, CrmRecordSummary } from "../crm/types";
import type { RequestGate } from "../gate";
import { createSalesforceClient, type SalesforceClientConfig } from "./client";
import { salesforceConcurrencyBackoffMs, salesforceDailyLimitBackoffMs } from "./errors";

const scenario = generateScenario({ seed: 3, accounts: 260, months: 1, asOf: "2026-11-25" });
let salesforce: RunningSalesforceSandbox;
let client: CrmClient;

const configOf = (overrides: Partial<SalesforceClientConfig> = {}): SalesforceClientConfig => ({
  loginUrl: salesforce.loginUrl,
  clientId: salesforce.clientId,
  clientSecret: salesforce.clientSecret,
  apiVersion: salesforce.apiVersion,
  ...overrides,
});

beforeAll(async () => {
  salesforce = await startSalesforceSandbox(scenario, { salesforce: { queryBatchSize: 50 } });
  client = createSalesforceClient(configOf());
});
afterAll(() => salesforce.stop());
beforeEach(() => {
  salesforce.faults.reset();
  salesforce.writes.clear();
});

async function thrown(promise: Promise<unknown>): Promise<CrmCallError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrmCallError);
  return error as CrmCallError;
}

async function collect(pages: AsyncIterable<CrmRecordSummary[]>): Promise<CrmRecordSummary[][]> {
  const all: CrmRecordSummary[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

const calls = () => salesforce.faults.requests().map((r) => `${r.method} ${r.url.split("?")[0]} ${r.status}`);
const collections = () => `/services/data/v${salesforce.apiVersion}/composite/sobjects`;

describe("Salesforce client: updateRecords", () => {
  it("authenticates once, then writes 250 updates in 2 collection requests, each record reached once", async () => {
    const fresh = createSalesforceClient(configOf());
    const targets = salesforce.seeded.slice(0, 250);
    const results = await fresh.updateRecords(
      targets.map((r, i) => ({
        recordId: r.recordId,
        fields: {
          Reckon_Billing_Status__c: "reconciled",
          Reckon_Overdue_Amount__c: i % 2 === 0 ? 0 : 99.995,
          Reckon_Overdue_Currency__c: i % 2 === 0 ? null : "EUR",
          Reckon_Last_Reconciled__c: "2026-11-25T10:00:00.000Z",
        },
      })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.recordId)).toEqual(targets.map((r) => r.recordId));
    expect(salesforce.writes.requests().map((w) => w.records.length)).toEqual([200, 50]);
    for (const target of targets) expect(salesforce.writes.timesWritten(target.recordId)).toBe(1);
    expect(calls().filter((c) => c.includes("/oauth2/token"))).toHaveLength(1);
    expect(salesforce.account(targets[1]!.recordId)).toMatchObject({
      Reckon_Overdue_Amount__c: 100,
      Reckon_Overdue_Currency__c: "EUR",
      Reckon_Last_Reconciled__c: "2026-11-25T10:00:00.000+0000",
    });
  });

  it("answers refused records by position (SaveResults carry no id on failure) and writes the rest", async () => {
    const [a, b, gone] = salesforce.seeded.slice(-3);
    salesforce.deleteAccount(gone!.recordId);
    const results = await client.updateRecords([
      { recordId: a!.recordId, fields: { Reckon_Billing_Status__c: "x".repeat(41) } },
      { recordId: gone!.recordId, fields: { Reckon_Open_Flags__c: 1 } },
      { recordId: b!.recordId, fields: { Reckon_Open_Flags__c: 2 } },
      { recordId: "001000000000000AAA", fields: { Reckon_Open_Flags__c: 1 } },
    ]);
    expect(results.map((r) => [r.ok, r.error?.code ?? null])).toEqual([
      [false, "STRING_TOO_LONG"],
      [false, "ENTITY_IS_DELETED"],
      [true, null],
      [false, "INVALID_CROSS_REFERENCE_KEY"],
    ]);
    expect(salesforce.writes.timesWritten(b!.recordId)).toBe(1);
    expect(salesforce.writes.timesWritten(a!.recordId)).toBe(0);
  });

  it("re-authenticates once when the session expired, then succeeds", async () => {
    const id = salesforce.seeded[0]!.recordId;
    await client.getRecord(id); // a session exists
    salesforce.faults.reset();
    salesforce.faults.expireTokens();
    const results = await client.updateRecords([{ recordId: id, fields: { Reckon_Open_Flags__c: 5 } }]);
    expect(results).toEqual([{ recordId: id, ok: true }]);
    expect(calls()).toEqual([
      `PATCH ${collections()} 401`,
      "POST /services/oauth2/token 200",
      `PATCH ${collections()} 200`,
    ]);
    expect(salesforce.writes.timesWritten(id)).toBe(1);
  });

  it("throws unauthorized when the client is revoked, after one attempt to authenticate again", async () => {
    const id = salesforce.seeded[0]!.recordId;
    await client.getRecord(id);
    salesforce.faults.reset();
    salesforce.faults.revokeAccess();
    const error = await thrown(client.updateRecords([{ recordId: id, fields: { Reckon_Open_Flags__c: 5 } }]));
    expect(error).toMatchObject({ kind: "unauthorized", crmCode: "invalid_client", retryable: false });
    expect(calls()).toEqual([`PATCH ${collections()} 401`, "POST /services/oauth2/token 400"]);
  });

  it("throws unauthorized for a wrong secret before sending anything else", async () => {
    const wrong = createSalesforceClient(configOf({ clientSecret: "wrong" }));
    const error = await thrown(wrong.getRecord(salesforce.seeded[0]!.recordId));
    expect(error).toMatchObject({ kind: "unauthorized", crmCode: "invalid_client" });
    expect(calls()).toEqual(["POST /services/oauth2/token 400"]);
  });

  it("throws invalid for an unknown field and writes nothing", async () => {
    const id = salesforce.seeded[0]!.recordId;
    const error = await thrown(client.updateRecords([{ recordId: id, fields: { Reckon_Nonsense__c: "x" } }]));
    expect(error).toMatchObject({ kind: "invalid", crmCode: "INVALID_FIELD", retryable: false });
    expect(salesforce.writes.timesWritten(id)).toBe(0);
  });

  it("throws rate_limited on REQUEST_LIMIT_EXCEEDED: a long wait when the daily allowance is used, a short one otherwise", async () => {
    const update = [{ recordId: salesforce.seeded[0]!.recordId, fields: { Reckon_Open_Flags__c: 1 } }];
    await client.getRecord(salesforce.seeded[0]!.recordId);
    salesforce.faults.exhaustDailyLimit();
    expect(await thrown(client.updateRecords(update))).toMatchObject({
      kind: "rate_limited",
      crmCode: "REQUEST_LIMIT_EXCEEDED",
      retryAfterMs: salesforceDailyLimitBackoffMs,
    });
    salesforce.faults.reset();
    salesforce.faults.rateLimitNext(1);
    expect(await thrown(client.updateRecords(update))).toMatchObject({
      kind: "rate_limited",
      retryAfterMs: salesforceConcurrencyBackoffMs,
    });
  });

  it("throws transient for a 5xx, without retrying it itself", async () => {
    await client.getRecord(salesforce.seeded[0]!.recordId);
    salesforce.faults.reset();
    salesforce.faults.failNext(1, 503);
    const error = await thrown(client.getRecord(salesforce.seeded[0]!.recordId));
    expect(error).toMatchObject({ kind: "transient", crmCode: "SERVER_UNAVAILABLE", retryable: true });
    expect(calls()).toHaveLength(1); // jsforce would retry a GET 5 times on its own; ours does not
  });

  it("gives up on a request Salesforce holds past timeoutMs (transient)", async () => {
    const quick = createSalesforceClient(configOf({ timeoutMs: 200 }));
    await quick.getRecord(salesforce.seeded[0]!.recordId);
    salesforce.faults.delayNext(1, 2_000);
    const started = Date.now();
    expect((await thrown(quick.getRecord(salesforce.seeded[0]!.recordId))).kind).toBe("transient");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("asks the gate before every request, the token request included", async () => {
    let admitted = 0;
    const gate: RequestGate = {
      run: (request) => {
        admitted++;
        return request();
      },
    };
    const gated = createSalesforceClient(configOf({ gate }));
    await gated.updateRecords(
      salesforce.seeded.slice(0, 201).map((r) => ({ recordId: r.recordId, fields: { Reckon_Open_Flags__c: 0 } })),
    );
    expect(admitted).toBe(3);
    expect(salesforce.faults.requests()).toHaveLength(3);
  });
});

describe("Salesforce client: reads", () => {
  it("pages every Account whose explicit id is set through query locators", async () => {
    const pages = await collect(client.listLinkedRecords());
    const linked = salesforce.seeded.filter((r) => r.explicitId !== null);
    expect(pages.map((p) => p.length).reduce((a, b) => a + b, 0)).toBe(linked.length);
    expect(pages.length).toBe(Math.ceil(linked.length / 50));
    const one = linked[0]!;
    expect(pages.flat().find((r) => r.recordId === one.recordId)).toEqual({
      recordId: one.recordId,
      name: one.name,
      domain: one.domain,
      explicitId: one.explicitId,
    });
    expect(salesforce.faults.requests().filter((r) => r.url.includes("/query/"))).toHaveLength(pages.length - 1);
  });

  it("reads one Account (a 15-character id too), and answers null for a deleted one", async () => {
    const seeded = salesforce.seeded.find((r) => r.explicitId === null && r.domain !== null)!;
    const expected = { recordId: seeded.recordId, name: seeded.name, domain: seeded.domain, explicitId: null };
    expect(await client.getRecord(seeded.recordId)).toEqual(expected);
    expect(await client.getRecord(seeded.recordId.slice(0, 15))).toEqual(expected);
    const gone = salesforce.seeded.at(-4)!;
    salesforce.deleteAccount(gone.recordId);
    expect(await client.getRecord(gone.recordId)).toBeNull();
  });
});
