// Stripe webhooks through the real HTTP route on the whole embedded stack: signatures, duplicates, out-of-order
// events, and the sandbox's own deliveries (with a retry) ending in a reconciled account.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";

let stack: TestStack;
let target: { accountId: string; customerId: string; invoiceId: string; balanceMinor: number };
let endpoint: string;

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(stack.services.db, query);
const sandbox = () => stack.demo!.sandbox;

function post(body: string, headers: Record<string, string> = {}, path = endpoint): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

/** Signs as Stripe does, with the SDK's own test header (HMAC-SHA256 over `t.payload`). */
function signed(event: Stripe.Event, secret = sandbox().stripe.webhookSecret) {
  const body = JSON.stringify(event);
  return { body, headers: { "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret }) } };
}

async function webhookRows() {
  return rows<{ event_id: string; outcome: string }>(
    sql`select event_id, outcome from webhook_events order by received_at`,
  );
}

async function payment(chargeId: string) {
  const [row] = await rows<{ status: string; refunded_minor: string }>(
    sql`select status, refunded_minor::text from payments where source = 'stripe' and source_id = ${chargeId}`,
  );
  return row;
}

beforeAll(async () => {
  stack = await startTestStack({ accounts: 12, months: 2 });
  endpoint = `/webhooks/stripe/${stack.demo!.slug}`;
  // An account with a Stripe customer and an open QuickBooks invoice: payments for it show in its reconciliation.
  const [row] = await rows<{ id: string; stripe_customer_id: string; source_id: string; balance_minor: string }>(
    sql`select a.id, a.stripe_customer_id, i.source_id, i.balance_minor::text from accounts a
        join invoices i on i.tenant_id = a.tenant_id and i.customer_source_id = a.quickbooks_customer_id
        where a.stripe_customer_id is not null and i.balance_minor > 0 and not i.deleted
        order by i.issued_on desc limit 1`,
  );
  target = {
    accountId: row!.id,
    customerId: row!.stripe_customer_id,
    invoiceId: row!.source_id,
    balanceMinor: Number(row!.balance_minor),
  };
});
afterAll(() => stack?.stop());

describe("POST /webhooks/stripe/:tenant", () => {
  it("refuses a missing, forged or stale signature with a 401 problem and stores nothing", async () => {
    const { events } = sandbox().changes.addCharge({ customerId: target.customerId, amount: 500, deliver: false });
    const event = events[0]!;
    const body = JSON.stringify(event);
    const forged = signed(event, "whsec_not_the_secret");
    const stale = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: sandbox().stripe.webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    const answers = [
      await post(body),
      await post(body, forged.headers),
      await post(body, { "stripe-signature": stale }),
      await post(signed(event).body, signed(event).headers, "/webhooks/stripe/no-such-workspace"),
      // A valid signature over a different body.
      await post(`${body} `, signed(event).headers),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await webhookRows()).toEqual([]);
  });

  it("answers 400 for a correctly signed body that is not an event", async () => {
    const secret = sandbox().stripe.webhookSecret;
    for (const body of ["not json", JSON.stringify({ hello: "world" })]) {
      const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
      const answer = await post(body, { "stripe-signature": header });
      expect(answer.status).toBe(400);
    }
    expect(await webhookRows()).toEqual([]);
  });

  it("applies a signed event once: a duplicate delivery answers 200 and does nothing", async () => {
    const { charge, events } = sandbox().changes.addCharge({
      customerId: target.customerId,
      amount: 700,
      failed: true,
      deliver: false,
    });
    const { body, headers } = signed(events[0]!);
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    await stack.services.jobs.drain();
    expect((await payment(charge.id))?.status).toBe("failed");
    const [{ synced_at: syncedAt } = { synced_at: "" }] = await rows<{ synced_at: string }>(
      sql`select synced_at::text from payments where source_id = ${charge.id}`,
    );
    const again = await post(body, signed(events[0]!).headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    await stack.services.jobs.drain();
    const recorded = (await webhookRows()).filter((r) => r.event_id === events[0]!.id);
    expect(recorded).toEqual([{ event_id: events[0]!.id, outcome: "applied" }]);
    const [after] = await rows<{ synced_at: string }>(
      sql`select synced_at::text from payments where source_id = ${charge.id}`,
    );
    expect(after?.synced_at).toBe(syncedAt);
  });

  it("ends in the charge's own latest state when a later event arrives before an earlier one", async () => {
    const paid = sandbox().changes.addCharge({ customerId: target.customerId, amount: 900, deliver: false });
    const refunded = sandbox().changes.refundCharge({ chargeId: paid.charge.id, deliver: false });
    const succeeded = paid.events[0]!; // charge.succeeded: its snapshot is not refunded
    const refund = refunded.events[0]!; // charge.refunded
    for (const event of [refund, succeeded]) {
      const { body, headers } = signed(event);
      expect((await post(body, headers)).status).toBe(200);
      await stack.services.jobs.drain();
    }
    expect(await payment(paid.charge.id)).toEqual({ status: "refunded", refunded_minor: "900" });
  });

  it("receives the sandbox's own delivery and reconciles the account: the failed payment is a finding", async () => {
    const change = sandbox().changes.addCharge({
      customerId: target.customerId,
      amount: target.balanceMinor,
      failed: true,
      metadata: { quickbooks_invoice_id: target.invoiceId },
    });
    const deliveries = await change.delivered;
    expect(deliveries.map((d) => d.delivered)).toEqual([true, true]);
    await stack.services.jobs.drain();
    const findings = await rows<{ kind: string; source_ids: string[] }>(
      sql`select kind, source_ids from discrepancies
          where account_id = ${target.accountId}::uuid and resolved_at is null and kind = 'failed_payment'`,
    );
    expect(findings.some((f) => f.source_ids.includes(change.charge.id))).toBe(true);
    // Both events name the same charge: one re-fetch applies them, and neither is left pending.
    const ids = new Set(change.events.map((e) => e.id));
    const outcomes = (await webhookRows()).filter((r) => ids.has(r.event_id)).map((r) => r.outcome);
    expect(outcomes).toEqual(["applied", "applied"]);
  });

  it("is retried by the sandbox until it answers: a 500 first, then the route", async () => {
    // A stand-in endpoint in front of the API that fails the first delivery, as a deploy or an outage would.
    let calls = 0;
    const proxy: Server = createServer(async (request, response) => {
      calls++;
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (calls === 1) {
        response.writeHead(500).end();
        return;
      }
      const answer = await post(Buffer.concat(chunks).toString("utf8"), {
        "stripe-signature": String(request.headers["stripe-signature"]),
      });
      response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const port = (proxy.address() as AddressInfo).port;
    sandbox().webhooks.configure({ stripe: `http://127.0.0.1:${port}/` });
    try {
      const change = sandbox().changes.addCharge({ customerId: target.customerId, amount: 321 });
      const [delivery] = await change.delivered;
      expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 200]);
      await stack.services.jobs.drain();
      expect((await payment(change.charge.id))?.status).toBe("succeeded");
    } finally {
      sandbox().webhooks.configure({ stripe: `${stack.url}${endpoint}` });
      await sandbox().webhooks.idle();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it("is retried when nothing listens yet, and lands once the endpoint is up", async () => {
    // Reserve a port, release it, and point the sandbox at it: the first attempt finds nobody there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    sandbox().webhooks.configure({ stripe: `http://127.0.0.1:${port}/` });
    const change = sandbox().changes.addCharge({ customerId: target.customerId, amount: 222 });
    // Comes up after the first attempt failed: forwards to the route.
    const late = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const answer = await post(Buffer.concat(chunks).toString("utf8"), {
        "stripe-signature": String(request.headers["stripe-signature"]),
      });
      response.writeHead(answer.status).end(await answer.text());
    });
    try {
      while (!sandbox().webhooks.deliveries.some((d) => d.id === change.events[0]!.id && d.attempts.length > 0)) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise<void>((resolve) => late.listen(port, "127.0.0.1", resolve));
      const [delivery] = await change.delivered;
      expect(delivery!.attempts[0]!.status).toBeNull();
      expect(delivery!.delivered).toBe(true);
      await stack.services.jobs.drain();
      expect((await payment(change.charge.id))?.status).toBe("succeeded");
    } finally {
      sandbox().webhooks.configure({ stripe: `${stack.url}${endpoint}` });
      await sandbox().webhooks.idle();
      await new Promise<void>((resolve) => late.close(() => resolve()));
    }
  });
});
