// The HubSpot fake through the official SDK (@hubspot/api-client 13, basePath pointed at it): reads, search paging,
// batch update with partial and whole-request failures, auth and the ten-second limit.
import { Client } from "@hubspot/api-client";
import {
  ApiException,
  FilterOperatorEnum,
  type SimplePublicObjectBatchInput,
} from "@hubspot/api-client/lib/codegen/crm/companies/index.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { type RunningHubspotSandbox, startHubspotSandbox } from "./start.js";

let hubspot: RunningHubspotSandbox;
let client: Client;
const scenario = generateScenario({ seed: 7, accounts: 30, months: 3, asOf: "2026-11-25" });

beforeAll(async () => {
  hubspot = await startHubspotSandbox(scenario);
  client = new Client({ accessToken: hubspot.accessToken, basePath: hubspot.baseUrl, numberOfApiCallRetries: 0 });
});
afterAll(() => hubspot.stop());
beforeEach(() => {
  hubspot.faults.reset();
  hubspot.writes.clear();
});

async function failure(request: Promise<unknown>): Promise<ApiException<unknown>> {
  const error = await request.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiException);
  return error as ApiException<unknown>;
}

/** Search allows 4 a second per token: a test that searches starts in a fresh second. */
const freshSecond = () => new Promise((resolve) => setTimeout(resolve, 1_050));

const update = (id: string, properties: Record<string, string>): SimplePublicObjectBatchInput => ({ id, properties });

describe("HubSpot sandbox seed", () => {
  it("has one company per QuickBooks customer, ~70% with the explicit id, and a few that match nothing", () => {
    const customers = scenario.quickbooks.customers.filter((c) => c.status !== "Deleted");
    const copies = hubspot.seeded.filter((r) => r.customerId !== null);
    expect(copies).toHaveLength(customers.length);
    expect(hubspot.seeded.length - copies.length).toBeGreaterThanOrEqual(2);
    const explicit = copies.filter((r) => r.explicitId !== null).length / copies.length;
    expect(explicit).toBeGreaterThan(0.5);
    expect(explicit).toBeLessThan(0.9);
    for (const record of copies) {
      const customer = customers.find((c) => c.Id === record.customerId)!;
      expect(record.name).toBe(customer.CompanyName ?? customer.DisplayName);
      if (record.explicitId) expect(record.explicitId).toBe(customer.Id);
    }
  });
});

describe("HubSpot sandbox through @hubspot/api-client", () => {
  it("reads a company with the properties asked for, values as strings", async () => {
    const seeded = hubspot.seeded.find((r) => r.explicitId !== null)!;
    const company = await client.crm.companies.basicApi.getById(seeded.recordId, ["name", "quickbooks_customer_id"]);
    expect(company.id).toBe(seeded.recordId);
    expect(company.properties.name).toBe(seeded.name);
    expect(company.properties.quickbooks_customer_id).toBe(seeded.explicitId);
    expect(company.properties.hs_object_id).toBe(seeded.recordId);
    expect(company.createdAt).toBeInstanceOf(Date);
    const plain = await client.crm.companies.basicApi.getById(seeded.recordId);
    expect(Object.keys(plain.properties).sort()).toEqual([
      "createdate",
      "domain",
      "hs_lastmodifieddate",
      "hs_object_id",
      "name",
    ]);
  });

  it("answers 404 OBJECT_NOT_FOUND for an unknown company", async () => {
    const error = await failure(client.crm.companies.basicApi.getById("999"));
    expect(error.code).toBe(404);
    expect(error.body).toMatchObject({ status: "error", category: "OBJECT_NOT_FOUND" });
  });

  it("pages a HAS_PROPERTY search with `after` until no paging is left", async () => {
    const wanted = hubspot.seeded.filter((r) => r.explicitId !== null).map((r) => r.recordId);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.companies.searchApi.doSearch({
        filterGroups: [
          { filters: [{ propertyName: "quickbooks_customer_id", operator: FilterOperatorEnum.HasProperty }] },
        ],
        properties: ["name", "domain", "quickbooks_customer_id"],
        limit: 8,
        ...(after ? { after } : {}),
      });
      expect(page.total).toBe(wanted.length);
      seen.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
      pages++;
      await new Promise((resolve) => setTimeout(resolve, 260)); // search allows 4 a second
    } while (after);
    expect(seen.sort()).toEqual([...wanted].sort());
    expect(pages).toBe(Math.ceil(wanted.length / 8));
  });

  it("finds by EQ on a property and refuses a limit over 200", async () => {
    await freshSecond();
    const seeded = hubspot.seeded.find((r) => r.explicitId !== null)!;
    const found = await client.crm.companies.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: "quickbooks_customer_id", operator: FilterOperatorEnum.Eq, value: seeded.explicitId! },
          ],
        },
      ],
      limit: 10,
    });
    expect(found.results.map((r) => r.id)).toEqual([seeded.recordId]);
    const error = await failure(client.crm.companies.searchApi.doSearch({ limit: 201 }));
    expect(error.code).toBe(400);
  });

  it("batch-updates companies, normalizing datetimes, and records each write", async () => {
    const [a, b] = hubspot.seeded;
    const answer = await client.crm.companies.batchApi.update({
      inputs: [
        update(a!.recordId, { reckon_billing_status: "overdue", reckon_last_reconciled: "1764064800000" }),
        update(b!.recordId, { reckon_overdue_amount: "1234.50", reckon_overdue_currency: "USD" }),
      ],
    });
    expect(answer.status).toBe("COMPLETE");
    expect(answer.results.map((r) => r.id).sort()).toEqual([a!.recordId, b!.recordId].sort());
    expect(hubspot.company(a!.recordId)).toMatchObject({
      reckon_billing_status: "overdue",
      reckon_last_reconciled: "2025-11-25T10:00:00.000Z",
    });
    expect(hubspot.company(b!.recordId)?.reckon_overdue_amount).toBe("1234.50");
    expect(hubspot.writes.timesWritten(a!.recordId)).toBe(1);
    expect(hubspot.writes.requests()).toHaveLength(1);
  });

  it("answers 207 with OBJECT_NOT_FOUND for missing ids and still writes the others", async () => {
    const [a] = hubspot.seeded;
    hubspot.deleteCompany(hubspot.seeded.at(-1)!.recordId);
    const gone = hubspot.seeded.at(-1)!.recordId;
    const answer = await client.crm.companies.batchApi.update({
      inputs: [update(a!.recordId, { reckon_open_flags: "2" }), update(gone, { reckon_open_flags: "1" })],
    });
    expect(answer.results.map((r) => r.id)).toEqual([a!.recordId]);
    expect("errors" in answer && answer.errors?.[0]).toMatchObject({
      category: "OBJECT_NOT_FOUND",
      context: { ids: [gone] },
    });
    expect(hubspot.writes.timesWritten(a!.recordId)).toBe(1);
    expect(hubspot.writes.timesWritten(gone)).toBe(0);
  });

  it("refuses the whole batch for an unknown property (VALIDATION_ERROR, PROPERTY_DOESNT_EXIST)", async () => {
    const [a, b] = hubspot.seeded;
    const error = await failure(
      client.crm.companies.batchApi.update({
        inputs: [update(a!.recordId, { reckon_billing_status: "ok" }), update(b!.recordId, { no_such_thing: "x" })],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: "error", category: "VALIDATION_ERROR" });
    expect((error.body as { message: string }).message).toContain("PROPERTY_DOESNT_EXIST");
    expect(hubspot.writes.timesWritten(a!.recordId)).toBe(0);
  });

  it("refuses more than 100 inputs", async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => update(String(i + 1), { reckon_open_flags: "0" }));
    const error = await failure(client.crm.companies.batchApi.update({ inputs }));
    expect(error.code).toBe(400);
  });

  it("answers 401 INVALID_AUTHENTICATION for a wrong token, and EXPIRED_AUTHENTICATION once expired", async () => {
    const stranger = new Client({ accessToken: "pat-na1-wrong", basePath: hubspot.baseUrl, numberOfApiCallRetries: 0 });
    const wrong = await failure(stranger.crm.companies.basicApi.getById(hubspot.seeded[0]!.recordId));
    expect(wrong.code).toBe(401);
    expect(wrong.body).toMatchObject({ status: "error", category: "INVALID_AUTHENTICATION" });
    expect(typeof (wrong.body as { correlationId: unknown }).correlationId).toBe("string");
    hubspot.faults.expireTokens();
    const expired = await failure(client.crm.companies.basicApi.getById(hubspot.seeded[0]!.recordId));
    expect(expired.body).toMatchObject({ category: "EXPIRED_AUTHENTICATION" });
    hubspot.faults.reset();
    await expect(client.crm.companies.basicApi.getById(hubspot.seeded[0]!.recordId)).resolves.toBeTruthy();
  });

  it("answers a queued rate limit with HubSpot's 429 body and Retry-After", async () => {
    hubspot.faults.rateLimitNext(1, 3);
    const error = await failure(client.crm.companies.basicApi.getById(hubspot.seeded[0]!.recordId));
    expect(error.code).toBe(429);
    expect(error.headers["retry-after"]).toBe("3");
    expect(error.body).toMatchObject({ policyName: "TEN_SECONDLY_ROLLING", category: "RATE_LIMITS" });
  });
});

describe("HubSpot sandbox limits", () => {
  it("enforces the rolling ten-second window per token with X-HubSpot-RateLimit-* headers", async () => {
    const small = await startHubspotSandbox(scenario, { hubspot: { tenSecondlyLimit: 3 } });
    try {
      const sdk = new Client({ accessToken: small.accessToken, basePath: small.baseUrl, numberOfApiCallRetries: 0 });
      const id = small.seeded[0]!.recordId;
      for (let i = 0; i < 3; i++) await sdk.crm.companies.basicApi.getById(id);
      const error = await failure(sdk.crm.companies.basicApi.getById(id));
      expect(error.code).toBe(429);
      expect(error.headers["x-hubspot-ratelimit-max"]).toBe("3");
      expect(error.headers["x-hubspot-ratelimit-remaining"]).toBe("0");
      expect(Number(error.headers["retry-after"])).toBeGreaterThan(0);
      expect(error.body).toMatchObject({ policyName: "TEN_SECONDLY_ROLLING", errorType: "RATE_LIMIT" });
    } finally {
      await small.stop();
    }
  });

  it("allows 4 searches a second and answers the fifth with 429", async () => {
    await freshSecond();
    const search = () => client.crm.companies.searchApi.doSearch({ limit: 1 });
    await Promise.all([search(), search(), search(), search()]);
    const error = await failure(search());
    expect(error.code).toBe(429);
  });
});
