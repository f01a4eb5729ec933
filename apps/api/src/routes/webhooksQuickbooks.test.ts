// QuickBooks webhooks through the real HTTP route on the whole embedded stack: intuit-signature, both payload shapes
// (classic and CloudEvents) from the sandbox, the CDC sync they trigger, and duplicates.
import { createHmac } from "node:crypto";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";

let stack: TestStack;
const invoices: string[] = [];

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(stack.services.db, query);
const sandbox = () => stack.demo!.sandbox;
const sign = (body: string, token = sandbox().webhooks.intuitVerifierToken) =>
  createHmac("sha256", token).update(body, "utf8").digest("base64");

function post(body: string, signature?: string): Promise<Response> {
  return fetch(`${stack.url}/webhooks/quickbooks`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "intuit-signature": signature } : {}) },
    body,
  });
}

const webhookCount = async () =>
  (await rows<{ n: number }>(sql`select count(*)::int as n from webhook_events where source = 'quickbooks'`))[0]!.n;
const quickbooksRuns = async () =>
  (await rows<{ n: number }>(sql`select count(*)::int as n from sync_runs where source = 'quickbooks'`))[0]!.n;

beforeAll(async () => {
  stack = await startTestStack({ accounts: 12, months: 2 });
  invoices.push(
    ...sandbox()
      .scenario.quickbooks.invoices.filter((i) => i.Balance > 1 && !i.status)
      .slice(0, 2)
      .map((i) => i.Id),
  );
});
afterAll(() => stack?.stop());

describe("POST /webhooks/quickbooks", () => {
  it("refuses a missing or wrong intuit-signature with a 401 problem and stores nothing", async () => {
    const body = JSON.stringify([
      {
        specversion: "1.0",
        id: "f0f0f0f0-0000-4000-8000-000000000001",
        type: "qbo.payment.created.v1",
        time: new Date().toISOString(),
        intuitentityid: "1",
        intuitaccountid: sandbox().quickbooks.realmId,
      },
    ]);
    for (const signature of [undefined, sign(body, "not-the-verifier-token"), sign(`${body} `), "%%%"]) {
      const answer = await post(body, signature);
      expect(answer.status).toBe(401);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await webhookCount()).toBe(0);
  });

  it("answers 400 for a correctly signed body that is neither payload shape", async () => {
    for (const body of ["{", JSON.stringify({ eventNotifications: "no" }), JSON.stringify([{ specversion: "1.0" }])]) {
      expect((await post(body, sign(body))).status).toBe(400);
    }
    expect(await webhookCount()).toBe(0);
  });

  it("takes the CloudEvents payload, runs the CDC sync, and stores the new payment and invoice balance", async () => {
    const runs = await quickbooksRuns();
    const change = sandbox().changes.addQuickbooksPayment({
      invoiceId: invoices[0]!,
      amount: 1,
      format: "cloudevents",
    });
    const [delivery] = await change.delivered;
    expect(delivery!.delivered).toBe(true);
    await stack.services.jobs.drain();
    const [stored] = await rows<{ amount_minor: string }>(
      sql`select amount_minor::text from payments where source = 'quickbooks' and source_id = ${change.payment.Id}`,
    );
    expect(stored?.amount_minor).toBe("100");
    expect(await quickbooksRuns()).toBe(runs + 1);
    const outcomes = await rows<{ type: string; outcome: string }>(
      sql`select type, outcome from webhook_events where source = 'quickbooks' order by type`,
    );
    expect(outcomes).toEqual([
      { type: "qbo.invoice.updated.v1", outcome: "applied" },
      { type: "qbo.payment.created.v1", outcome: "applied" },
    ]);
  });

  it("takes the classic payload the same way", async () => {
    const change = sandbox().changes.addQuickbooksPayment({ invoiceId: invoices[1]!, amount: 2, format: "classic" });
    const [delivery] = await change.delivered;
    expect(delivery!.delivered).toBe(true);
    await stack.services.jobs.drain();
    const [stored] = await rows<{ amount_minor: string }>(
      sql`select amount_minor::text from payments where source = 'quickbooks' and source_id = ${change.payment.Id}`,
    );
    expect(stored?.amount_minor).toBe("200");
    const classic = await rows<{ outcome: string }>(
      sql`select outcome from webhook_events where source = 'quickbooks' and event_id like 'classic:%'`,
    );
    expect(classic.map((r) => r.outcome)).toEqual(["applied", "applied"]);
  });

  it("answers a re-delivery 200 and runs no second sync", async () => {
    const change = sandbox().changes.addQuickbooksPayment({ invoiceId: invoices[0]!, amount: 1, deliver: false });
    const body = JSON.stringify(change.body);
    const first = await post(body, sign(body));
    expect(await first.json()).toEqual({ received: true, accepted: 2, duplicates: 0 });
    await stack.services.jobs.drain();
    const runs = await quickbooksRuns();
    const again = await post(body, sign(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, accepted: 0, duplicates: 2 });
    await stack.services.jobs.drain();
    expect(await quickbooksRuns()).toBe(runs);
  });

  it("acknowledges a company no workspace connects, recording nothing", async () => {
    const before = await webhookCount();
    const body = JSON.stringify({
      eventNotifications: [
        { realmId: "999999999", dataChangeEvent: { entities: [{ name: "Payment", id: "1", operation: "Create" }] } },
      ],
    });
    const answer = await post(body, sign(body));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ received: true, accepted: 0, duplicates: 0 });
    expect(await webhookCount()).toBe(before);
  });
});
