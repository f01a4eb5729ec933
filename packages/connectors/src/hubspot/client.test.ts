// The HubSpot client against the HubSpot sandbox: batching, per-record refusals, typed whole-request failures, the
// explicit-id sweep's paging (and the 10,000-result cap), reads, and the gate around every request.
import { generateScenario, type RunningHubspotSandbox, startHubspotSandbox } from "@reckon/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CrmCallError } from "../crm/errors";
import type { CrmClient, CrmRecordSummary, CrmRecordUpdate } from "../crm/types";
import type { RequestGate } from "../gate";
import { createHubspotClient } from "./client";
import { hubspotRetryAfterMs } from "./errors";

const scenario = generateScenario({ seed: 3, accounts: 260, months: 1, asOf: "2026-11-25" });
let hubspot: RunningHubspotSandbox;
let client: CrmClient;

beforeAll(async () => {
  hubspot = await startHubspotSandbox(scenario);
  client = createHubspotClient({ accessToken: hubspot.accessToken, baseUrl: hubspot.baseUrl });
});
afterAll(() => hubspot.stop());
beforeEach(() => {
  hubspot.faults.reset();
  hubspot.writes.clear();
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

const summaryFields = (i: number): CrmRecordUpdate["fields"] => ({
  reckon_billing_status: i % 2 === 0 ? "reconciled" : "overdue",
  reckon_overdue_amount: i % 2 === 0 ? 0 : 1234.5,
  reckon_overdue_currency: i % 2 === 0 ? null : "USD",
  reckon_open_flags: i % 3,
  reckon_last_reconciled: "2026-11-25T10:00:00.000Z",
  reckon_url: `https://app.reckon.test/accounts/${i}`,
});

describe("HubSpot client: updateRecords", () => {
  it("writes 250 updates in 3 batch requests, each record reached once, values as HubSpot takes them", async () => {
    const targets = hubspot.seeded.slice(0, 250);
    const results = await client.updateRecords(
      targets.map((r, i) => ({ recordId: r.recordId, fields: summaryFields(i) })),
    );
    expect(results).toHaveLength(250);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.recordId)).toEqual(targets.map((r) => r.recordId));
    expect(hubspot.writes.requests().map((w) => w.records.length)).toEqual([100, 100, 50]);
    for (const target of targets) expect(hubspot.writes.timesWritten(target.recordId)).toBe(1);
    expect(hubspot.company(targets[1]!.recordId)).toMatchObject({
      reckon_billing_status: "overdue",
      reckon_overdue_amount: "1234.5",
      reckon_overdue_currency: "USD",
      reckon_open_flags: "1",
      reckon_last_reconciled: "2026-11-25T10:00:00.000Z",
    });
    // The datetime went out as ms since the epoch; null as "" (which clears the property).
    const sent = hubspot.writes.writesTo(targets[0]!.recordId)[0]!;
    expect(sent.reckon_last_reconciled).toBe(String(Date.parse("2026-11-25T10:00:00.000Z")));
    expect(sent.reckon_overdue_currency).toBe("");
  });

  it("answers a deleted company as refused (OBJECT_NOT_FOUND) and writes the rest", async () => {
    const [a, b, gone] = hubspot.seeded.slice(-3);
    hubspot.deleteCompany(gone!.recordId);
    const results = await client.updateRecords(
      [a!, gone!, b!].map((r) => ({ recordId: r.recordId, fields: { reckon_open_flags: 4 } })),
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ recordId: gone!.recordId, error: { code: "OBJECT_NOT_FOUND" } });
    expect(hubspot.writes.timesWritten(a!.recordId)).toBe(1);
  });

  it("merges updates of one record into one input", async () => {
    const id = hubspot.seeded[0]!.recordId;
    const results = await client.updateRecords([
      { recordId: id, fields: { reckon_open_flags: 1 } },
      { recordId: id, fields: { reckon_billing_status: "discrepancy" } },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(hubspot.writes.writesTo(id)).toEqual([{ reckon_open_flags: "1", reckon_billing_status: "discrepancy" }]);
  });

  it("throws invalid for an unknown property and writes nothing", async () => {
    const id = hubspot.seeded[0]!.recordId;
    const error = await thrown(client.updateRecords([{ recordId: id, fields: { reckon_nonsense: "x" } }]));
    expect(error).toMatchObject({ kind: "invalid", status: 400, crmCode: "VALIDATION_ERROR", retryable: false });
    expect(hubspot.writes.timesWritten(id)).toBe(0);
  });

  it("throws rate_limited with HubSpot's Retry-After as retryAfterMs", async () => {
    hubspot.faults.rateLimitNext(1, 7);
    const error = await thrown(
      client.updateRecords([{ recordId: hubspot.seeded[0]!.recordId, fields: { reckon_open_flags: 0 } }]),
    );
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 7_000, status: 429, crmCode: "RATE_LIMITS" });
  });

  it("answers the rolling window's own 429 as rate_limited, waiting at most the window", async () => {
    const small = await startHubspotSandbox(scenario, { hubspot: { tenSecondlyLimit: 1 } });
    try {
      const tight = createHubspotClient({ accessToken: small.accessToken, baseUrl: small.baseUrl });
      await tight.getRecord(small.seeded[0]!.recordId);
      const error = await thrown(tight.getRecord(small.seeded[0]!.recordId));
      expect(error.kind).toBe("rate_limited");
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(error.retryAfterMs).toBeLessThanOrEqual(10_000);
    } finally {
      await small.stop();
    }
  });

  it("takes the wait from X-HubSpot-RateLimit-Interval-Milliseconds when a 429 has no Retry-After", () => {
    expect(hubspotRetryAfterMs({ "retry-after": "2" })).toBe(2_000);
    expect(hubspotRetryAfterMs({ "x-hubspot-ratelimit-interval-milliseconds": "10000" })).toBe(10_000);
    expect(hubspotRetryAfterMs({})).toBeNull();
  });

  it("throws unauthorized for a revoked or wrong token, transient for a 5xx", async () => {
    const id = hubspot.seeded[0]!.recordId;
    hubspot.faults.revokeAccess();
    expect(await thrown(client.getRecord(id))).toMatchObject({ kind: "unauthorized", status: 401 });
    hubspot.faults.reset();
    const stranger = createHubspotClient({ accessToken: "pat-na1-wrong", baseUrl: hubspot.baseUrl });
    expect(await thrown(stranger.getRecord(id))).toMatchObject({
      kind: "unauthorized",
      crmCode: "INVALID_AUTHENTICATION",
    });
    hubspot.faults.failNext(1, 502);
    expect(await thrown(client.getRecord(id))).toMatchObject({ kind: "transient", status: 502, retryable: true });
  });

  it("gives up on a request HubSpot holds past timeoutMs (transient)", async () => {
    const quick = createHubspotClient({ accessToken: hubspot.accessToken, baseUrl: hubspot.baseUrl, timeoutMs: 150 });
    hubspot.faults.delayNext(1, 2_000);
    const started = Date.now();
    const error = await thrown(quick.getRecord(hubspot.seeded[0]!.recordId));
    expect(error.kind).toBe("transient");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("asks the gate before every request", async () => {
    let admitted = 0;
    const gate: RequestGate = {
      run: (request) => {
        admitted++;
        return request();
      },
    };
    const gated = createHubspotClient({ accessToken: hubspot.accessToken, baseUrl: hubspot.baseUrl, gate });
    await gated.updateRecords(
      hubspot.seeded.slice(0, 120).map((r) => ({ recordId: r.recordId, fields: { reckon_open_flags: 2 } })),
    );
    await gated.getRecord(hubspot.seeded[0]!.recordId);
    expect(admitted).toBe(3);
    expect(hubspot.faults.requests()).toHaveLength(3);
  });
});

describe("HubSpot client: reads", () => {
  it("pages every company whose explicit id is set, paced under the search limit", async () => {
    const paged = createHubspotClient({ accessToken: hubspot.accessToken, baseUrl: hubspot.baseUrl, pageSize: 40 });
    const pages = await collect(paged.listLinkedRecords());
    const linked = hubspot.seeded.filter((r) => r.explicitId !== null);
    expect(pages.length).toBe(Math.ceil(linked.length / 40));
    expect(pages.length).toBeGreaterThan(4); // more than one second's worth of searches, none refused
    expect(hubspot.faults.requests().every((r) => r.status === 200)).toBe(true);
    const seen = pages.flat();
    expect(seen.map((r) => r.recordId).sort()).toEqual(linked.map((r) => r.recordId).sort());
    const one = linked[0]!;
    expect(seen.find((r) => r.recordId === one.recordId)).toEqual({
      recordId: one.recordId,
      name: one.name,
      domain: one.domain,
      explicitId: one.explicitId,
    });
  });

  it("goes on past the search result cap by id", async () => {
    const capped = await startHubspotSandbox(scenario, { hubspot: { searchResultCap: 30 } });
    try {
      const sweep = createHubspotClient({
        accessToken: capped.accessToken,
        baseUrl: capped.baseUrl,
        pageSize: 20,
        searchResultCap: 30,
      });
      const seen = (await collect(sweep.listLinkedRecords())).flat().map((r) => r.recordId);
      const linked = capped.seeded.filter((r) => r.explicitId !== null).map((r) => r.recordId);
      expect(seen.sort()).toEqual(linked.sort());
      expect(capped.faults.requests().every((r) => r.status === 200)).toBe(true);
      expect(linked.length).toBeGreaterThan(30); // plain `after` paging would have been refused past 30
    } finally {
      await capped.stop();
    }
  });

  it("reads one company, and answers null for one HubSpot does not have", async () => {
    const unlinked = hubspot.seeded.find((r) => r.explicitId === null && r.domain !== null)!;
    expect(await client.getRecord(unlinked.recordId)).toEqual({
      recordId: unlinked.recordId,
      name: unlinked.name,
      domain: unlinked.domain,
      explicitId: null,
    });
    expect(await client.getRecord("1")).toBeNull();
  });
});
