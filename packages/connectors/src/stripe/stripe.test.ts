import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SyncBatch } from "../source";
import { createStripeSource } from ".";
import { charge, customer } from "./testing";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

type Listable = { id: string; created: number };

/** A small Stripe: lists newest first with limit/starting_after and created[gte], like the real API. */
function stripeApi(
  data: { customers: Stripe.Customer[]; charges: Stripe.Charge[]; events: Stripe.Event[] },
  log: string[],
) {
  const list = <T extends Listable>(items: T[], url: URL) => {
    const params = url.searchParams;
    const gte = params.get("created[gte]");
    const types = [...params.entries()].filter(([key]) => key.startsWith("types[")).map(([, value]) => value);
    const sorted = items
      .filter((item) => gte === null || item.created >= Number(gte))
      .filter((item) => types.length === 0 || types.includes((item as unknown as { type: string }).type))
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const after = params.get("starting_after");
    const start = after ? sorted.findIndex((item) => item.id === after) + 1 : 0;
    const limit = Number(params.get("limit") ?? 10);
    return HttpResponse.json({
      object: "list",
      data: sorted.slice(start, start + limit),
      has_more: start + limit < sorted.length,
    });
  };
  return [
    http.get("https://stripe.test/v1/:resource", ({ request, params }) => {
      const url = new URL(request.url);
      log.push(
        `${params.resource}${url.searchParams.get("starting_after") ? ` after ${url.searchParams.get("starting_after")}` : ""}`,
      );
      const items = { customers: data.customers, charges: data.charges, events: data.events }[String(params.resource)];
      return items ? list(items as Listable[], url) : new HttpResponse(null, { status: 404 });
    }),
    http.get("https://stripe.test/v1/charges/:id", ({ params }) => {
      log.push(`charge ${params.id}`);
      const found = data.charges.find((item) => item.id === params.id);
      return found ? HttpResponse.json(found) : new HttpResponse(null, { status: 404 });
    }),
  ];
}

function event(id: string, created: number, type: string, object: unknown): Stripe.Event {
  return {
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as Stripe.Event;
}

async function collect(iterable: AsyncIterable<SyncBatch>) {
  const batches: SyncBatch[] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

const source = () => createStripeSource({ apiKey: "sk_test_123", host: "stripe.test", port: 443, protocol: "https" });
const t0 = 1_760_000_000;
const now = new Date((t0 + 60) * 1000);

describe("createStripeSource", () => {
  const customers = Array.from({ length: 150 }, (_, i) =>
    customer({ id: `cus_${String(i).padStart(3, "0")}`, created: t0 - 1000 + i }),
  );
  const charges = Array.from({ length: 120 }, (_, i) =>
    charge({
      id: `ch_${String(i).padStart(3, "0")}`,
      created: t0 - 500 + i,
      customer: `cus_${String(i).padStart(3, "0")}`,
    }),
  );

  it("lists customers then charges one page per batch, resumable, and replays events since the start", async () => {
    const log: string[] = [];
    const events = [event("evt_old", t0 - 10, "charge.succeeded", charges[0])];
    server.use(...stripeApi({ customers, charges, events }, log));
    const batches = await collect(source().pull(null, { now }));
    expect(batches.map((b) => b.label)).toEqual([
      "customers page 1",
      "customers page 2",
      "charges page 1",
      "charges page 2",
      "events page 1",
    ]);
    expect(batches.flatMap((b) => b.customers)).toHaveLength(150);
    expect(new Set(batches.flatMap((b) => b.payments).map((p) => p.sourceId)).size).toBe(120);
    expect(JSON.parse(batches[0]?.cursor ?? "")).toEqual({
      phase: "customers",
      after: "cus_050",
      eventsSince: t0 - 10,
    });
    expect(JSON.parse(batches.at(-1)?.cursor ?? "")).toEqual({
      phase: "events",
      eventsSince: t0 - 10,
      seen: ["evt_old"],
    });

    // Resuming from the first page's cursor continues after cus_050.
    log.length = 0;
    const resumed = await collect(source().pull(batches[0]?.cursor ?? null, { now }));
    expect(log[0]).toBe("customers after cus_050");
    expect(resumed.flatMap((b) => b.customers)).toHaveLength(50);
  });

  it("applies events oldest first, refetching the charge of a dispute, and yields nothing new the second time", async () => {
    const log: string[] = [];
    const disputed = charge({ id: "ch_005", disputed: true, created: t0 - 495 });
    const data = {
      customers,
      charges: [...charges.filter((c) => c.id !== "ch_005"), disputed],
      events: [
        event("evt_1", t0 + 1, "charge.succeeded", charge({ id: "ch_new", created: t0 + 1 })),
        event("evt_2", t0 + 2, "customer.deleted", customer({ id: "cus_001" })),
        event("evt_3", t0 + 2, "charge.dispute.created", { id: "dp_1", object: "dispute", charge: "ch_005" }),
        event("evt_4", t0 + 3, "invoice.paid", { id: "in_1", object: "invoice" }),
      ],
    };
    server.use(...stripeApi(data, log));
    const cursor = JSON.stringify({ phase: "events", eventsSince: t0, seen: [] });
    const [batch, ...rest] = await collect(source().pull(cursor, { now }));
    expect(rest).toEqual([]);
    expect(batch?.payments.map((p) => [p.sourceId, p.status])).toEqual([
      ["ch_new", "succeeded"],
      ["ch_005", "disputed"],
    ]);
    expect(batch?.customers.map((c) => [c.sourceId, c.deleted])).toEqual([["cus_001", true]]);
    expect(log).toContain("charge ch_005");
    const next = JSON.parse(batch?.cursor ?? "");
    expect(next).toEqual({ phase: "events", eventsSince: t0 + 2, seen: ["evt_2", "evt_3"] });

    const again = await collect(source().pull(batch?.cursor ?? null, { now }));
    expect(again.flatMap((b) => [...b.customers, ...b.payments])).toEqual([]);
  });

  it("starts over with a full sync when the cursor is older than Stripe keeps events", async () => {
    server.use(...stripeApi({ customers: [], charges: [], events: [] }, []));
    const old = JSON.stringify({
      phase: "events",
      eventsSince: Math.floor(now.getTime() / 1000) - 40 * 86400,
      seen: [],
    });
    const batches = await collect(source().pull(old, { now }));
    expect(batches[0]?.label).toBe("customers page 1");
  });
});
