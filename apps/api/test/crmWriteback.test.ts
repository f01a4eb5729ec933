// CRM write-back end to end: the embedded runtime writes to the sandbox's HubSpot portal and Salesforce org through
// @hubspot/api-client and jsforce. Records link by their explicit id, each gets its summary fields once, a
// reconciliation change reaches the record once (and only that record), nothing is re-sent when nothing changed, and a
// rate limit or an expired session is waited out or re-authenticated without losing or doubling a write.
import { CrmWritebackBusy, runCrmWriteback, systemContext } from "@reckon/core";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "./stack";

let stack: TestStack;
const tenantId = () => stack.tenant.tenant.tenantId;

async function writeback(provider?: "hubspot" | "salesforce", reason: "schedule" | "manual" = "manual") {
  await stack.services.jobs.enqueue("crm.writeback", {
    tenantId: tenantId(),
    reason,
    ...(provider ? { provider } : {}),
  });
  await stack.services.jobs.drain();
}

async function linkedAccounts(column: "hubspot_company_id" | "salesforce_account_id") {
  return queryRows<{ id: string; record: string; quickbooks_customer_id: string; stripe_customer_id: string | null }>(
    stack.services.db,
    sql`select id, ${sql.raw(column)} as record, quickbooks_customer_id, stripe_customer_id from accounts
        where ${sql.raw(column)} is not null order by name`,
  );
}

beforeAll(async () => {
  stack = await startTestStack({ accounts: 20, months: 2 });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe("CRM write-back", () => {
  it("links every record that names its QuickBooks customer, and writes each one's summary fields once", async () => {
    for (const [provider, column] of [
      ["hubspot", "hubspot_company_id"],
      ["salesforce", "salesforce_account_id"],
    ] as const) {
      const crm = stack.demo!.sandbox[provider];
      const withId = crm.seeded.filter((r) => r.explicitId && r.customerId);
      const linked = await linkedAccounts(column);
      // Exactly the records that carry the explicit id, each to the account of the customer it names.
      expect(linked.map((a) => [a.record, a.quickbooks_customer_id]).sort()).toEqual(
        withId.map((r) => [r.recordId, r.explicitId]).sort(),
      );
      for (const account of linked)
        expect(crm.writes.timesWritten(account.record), `${provider} ${account.record}`).toBe(1);
      // What landed on a record is the account's status, a number of open flags and the link back to Reckon.
      const [first] = linked;
      const [written] = crm.writes.writesTo(first!.record);
      const fields =
        provider === "hubspot"
          ? ["reckon_billing_status", "reckon_open_flags", "reckon_url"]
          : ["Reckon_Billing_Status__c", "Reckon_Open_Flags__c", "Reckon_Url__c"];
      for (const field of fields) expect(written, field).toHaveProperty(field);
      expect(String(written![fields[2]!])).toContain(`/accounts/${first!.id}`);
    }
  });

  it("sends nothing when nothing changed", async () => {
    const before = {
      hubspot: stack.demo!.sandbox.hubspot.writes.requests().length,
      salesforce: stack.demo!.sandbox.salesforce.writes.requests().length,
    };
    await writeback(undefined, "schedule");
    expect(stack.demo!.sandbox.hubspot.writes.requests().length).toBe(before.hubspot);
    expect(stack.demo!.sandbox.salesforce.writes.requests().length).toBe(before.salesforce);
  });

  it("takes a reconciliation change to the changed account's records once, and to no other record", async () => {
    const [account] = (await linkedAccounts("hubspot_company_id")).filter((a) => a.stripe_customer_id);
    const salesforceRecord = (await linkedAccounts("salesforce_account_id")).find((a) => a.id === account!.id)?.record;
    const hubspot = stack.demo!.sandbox.hubspot;
    const salesforce = stack.demo!.sandbox.salesforce;
    const hubspotBefore = hubspot.writes.requests().length;
    const salesforceBefore = salesforce.writes.requests().length;
    const timesBefore = hubspot.writes.timesWritten(account!.record);
    // A flag is raised: the open-flag count changes; the reconciliation that follows queues the write-back.
    const flagged = await stack.fetch(`/v1/accounts/${account!.id}/flags`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "other", note: "write-back check" }),
    });
    expect(flagged.status).toBe(201);
    await stack.services.jobs.enqueue("reconcile.tenant", { tenantId: tenantId(), accountIds: [account!.id] });
    await stack.services.jobs.drain();

    expect(hubspot.writes.timesWritten(account!.record)).toBe(timesBefore + 1);
    const newRequests = hubspot.writes.requests().slice(hubspotBefore);
    expect(newRequests.flatMap((r) => r.records.map((w) => w.recordId))).toEqual([account!.record]);
    expect(hubspot.company(account!.record)?.reckon_open_flags).toBe("1");
    if (salesforceRecord) {
      const sfRequests = salesforce.writes.requests().slice(salesforceBefore);
      expect(sfRequests.flatMap((r) => r.records.map((w) => w.recordId))).toEqual([salesforceRecord]);
      expect(salesforce.account(salesforceRecord)?.Reckon_Open_Flags__c).toBe(1);
    }
    // Running again changes nothing: the write already reached the record.
    await writeback();
    expect(hubspot.writes.timesWritten(account!.record)).toBe(timesBefore + 1);
  });

  it("waits out HubSpot's rate limit and Salesforce's expired session, writing each change once", async () => {
    const [account] = await linkedAccounts("hubspot_company_id");
    const hubspot = stack.demo!.sandbox.hubspot;
    const salesforce = stack.demo!.sandbox.salesforce;
    const salesforceRecord = (await linkedAccounts("salesforce_account_id")).find((a) => a.id === account!.id)?.record;
    const times = hubspot.writes.timesWritten(account!.record);
    const sfTimes = salesforceRecord ? salesforce.writes.timesWritten(salesforceRecord) : 0;
    await stack.fetch(`/v1/accounts/${account!.id}/flags`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "other", note: "second write-back check" }),
    });
    hubspot.faults.rateLimitNext(1, 1);
    salesforce.faults.expireTokens();
    await writeback();
    expect(hubspot.writes.timesWritten(account!.record)).toBe(times + 1);
    expect(hubspot.faults.requests().some((r) => r.status === 429)).toBe(true);
    if (salesforceRecord) expect(salesforce.writes.timesWritten(salesforceRecord)).toBe(sfTimes + 1);
    const [row] = await queryRows<{ error: string | null }>(
      stack.services.db,
      sql`select error from crm_writebacks where provider = 'hubspot' and account_id = ${account!.id}::uuid`,
    );
    expect(row!.error).toBeNull();
  });

  it("lets one run at a time write to a CRM: a second waits for the claim instead of sending the same change", async () => {
    const [account] = await linkedAccounts("hubspot_company_id");
    const hubspot = stack.demo!.sandbox.hubspot;
    await stack.fetch(`/v1/accounts/${account!.id}/flags`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "other", note: "claim check" }),
    });
    const times = hubspot.writes.timesWritten(account!.record);
    const ctx = systemContext(stack.services, stack.tenant.tenant);
    const options = { provider: "hubspot" as const, sweepLinks: false, webBaseUrl: "http://localhost:3000" };
    // A live claim (another worker mid-run): this run is told to come back, and writes nothing.
    await queryRows(
      stack.services.db,
      sql`update crm_connections set writeback_claim = 'other-worker', writeback_claimed_until = now() + interval '1 minute'
          where provider = 'hubspot'`,
    );
    const refused = await runCrmWriteback(ctx, options).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CrmWritebackBusy);
    expect((refused as CrmWritebackBusy).retryAfterMs).toBeGreaterThan(0);
    expect(hubspot.writes.timesWritten(account!.record)).toBe(times);
    // A claim left by a worker that died lapses; then two runs at once write the change once between them.
    await queryRows(
      stack.services.db,
      sql`update crm_connections set writeback_claimed_until = now() - interval '1 second' where provider = 'hubspot'`,
    );
    const both = await Promise.allSettled([runCrmWriteback(ctx, options), runCrmWriteback(ctx, options)]);
    expect(both.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    for (const r of both) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(CrmWritebackBusy);
    expect(hubspot.writes.timesWritten(account!.record)).toBe(times + 1);
    const [claim] = await queryRows<{ writeback_claim: string | null }>(
      stack.services.db,
      sql`select writeback_claim from crm_connections where provider = 'hubspot'`,
    );
    expect(claim!.writeback_claim).toBeNull();
  });

  it("marks a CRM whose access was revoked as needing reconnection, and leaves the other writing", async () => {
    const salesforce = stack.demo!.sandbox.salesforce;
    salesforce.faults.revokeAccess();
    salesforce.faults.expireTokens();
    const [account] = await linkedAccounts("hubspot_company_id");
    await stack.fetch(`/v1/accounts/${account!.id}/flags`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "other", note: "third write-back check" }),
    });
    const times = stack.demo!.sandbox.hubspot.writes.timesWritten(account!.record);
    await writeback();
    expect(stack.demo!.sandbox.hubspot.writes.timesWritten(account!.record)).toBe(times + 1);
    const connections = (await (await stack.fetch("/v1/crm/connections")).json()) as {
      connections: Array<{ provider: string; status: string }>;
    };
    expect(connections.connections.find((c) => c.provider === "salesforce")?.status).toBe("needs_reconnect");
    expect(connections.connections.find((c) => c.provider === "hubspot")?.status).toBe("connected");
    salesforce.faults.reset();
  });
});
