// Each connector against @reckon/sandbox for a generated tenant: full pull, idle re-pull, one new record, token rotation.
import { generateScenario, type RunningSandbox, startSandbox } from "@reckon/sandbox";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAmplitudeSource,
  createQuickBooksSource,
  createStripeSource,
  type QuickBooksTokens,
  type SyncBatch,
} from ".";

const now = new Date();
const asOf = new Date(now.getTime() - 2 * 86_400_000).toISOString().slice(0, 10);
const scenario = generateScenario({ seed: 42, accounts: 20, months: 3, asOf });
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox(scenario, { now: () => now });
});
afterAll(async () => {
  await sandbox?.stop();
});

async function collect(iterable: AsyncIterable<SyncBatch>): Promise<SyncBatch[]> {
  const batches: SyncBatch[] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}
const recordsIn = (batches: SyncBatch[]) =>
  batches.flatMap((b) => [...b.customers, ...b.invoices, ...b.payments, ...b.usage]);
const finalCursor = (batches: SyncBatch[]) => batches.at(-1)?.cursor ?? null;

describe("Stripe against the sandbox", () => {
  const stripe = () => createStripeSource(sandbox.stripe);
  let cursor: string | null = null;

  it("pulls every customer and charge", async () => {
    const batches = await collect(stripe().pull(null, { now }));
    const listed = (phase: string) => batches.filter((b) => b.label.startsWith(phase));
    const customerIds = new Set(listed("customers").flatMap((b) => b.customers.map((c) => c.sourceId)));
    const chargeIds = new Set(listed("charges").flatMap((b) => b.payments.map((p) => p.sourceId)));
    expect(customerIds).toEqual(new Set(scenario.stripe.customers.map((c) => c.id)));
    expect(chargeIds).toEqual(new Set(scenario.stripe.charges.map((c) => c.id)));
    expect(listed("charges").length).toBe(Math.max(1, Math.ceil(scenario.stripe.charges.length / 100)));
    cursor = finalCursor(batches);
  });

  it("finds nothing new on a second pull, then exactly one new charge", async () => {
    expect(recordsIn(await collect(stripe().pull(cursor, { now })))).toEqual([]);
    const template = scenario.stripe.charges[0]!;
    const created = Math.floor(Date.now() / 1000);
    const fresh: Stripe.Charge = {
      ...template,
      id: "ch_integration_new",
      created,
      metadata: { invoice_number: "X-1" },
    };
    sandbox.scenario.stripe.charges.push(fresh);
    sandbox.scenario.stripe.events.push({
      id: "evt_integration_new",
      object: "event",
      api_version: "2026-10-28.endive",
      created,
      data: { object: fresh },
      livemode: false,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      type: "charge.succeeded",
    } as Stripe.Event);
    const batches = await collect(stripe().pull(cursor, { now }));
    expect(recordsIn(batches).map((r) => ("sourceId" in r ? r.sourceId : ""))).toEqual(["ch_integration_new"]);
    expect(recordsIn(await collect(stripe().pull(finalCursor(batches), { now })))).toEqual([]);
  });
});

describe("QuickBooks against the sandbox", () => {
  const persisted: QuickBooksTokens[] = [];
  const quickbooks = (refreshToken: string, accessToken: string | null) =>
    createQuickBooksSource({
      ...sandbox.quickbooks,
      refreshToken,
      accessToken,
      homeCurrency: scenario.tenant.baseCurrency,
      onTokens: async (tokens) => {
        persisted.push(tokens);
      },
    });
  let cursor: string | null = null;

  it("rotates tokens through onTokens and pulls every customer, invoice and payment", async () => {
    const batches = await collect(quickbooks(sandbox.quickbooks.refreshToken, null).pull(null, { now }));
    expect(persisted).toHaveLength(1);
    expect(persisted[0]?.refreshToken).not.toBe(sandbox.quickbooks.refreshToken);
    const live = <T extends { status?: string }>(rows: T[]) => rows.filter((row) => row.status !== "Deleted");
    const ids = (pick: (b: SyncBatch) => Array<{ sourceId: string }>) =>
      new Set(batches.filter((b) => !b.label.startsWith("changes")).flatMap((b) => pick(b).map((r) => r.sourceId)));
    expect(ids((b) => b.customers)).toEqual(new Set(live(scenario.quickbooks.customers).map((c) => c.Id)));
    expect(ids((b) => b.invoices)).toEqual(new Set(live(scenario.quickbooks.invoices).map((i) => i.Id)));
    expect(ids((b) => b.payments)).toEqual(new Set(live(scenario.quickbooks.payments).map((p) => p.Id)));
    cursor = finalCursor(batches);
  });

  it("finds nothing new on a second pull, then exactly one new invoice, refreshing an expired token", async () => {
    const tokens = persisted.at(-1)!;
    expect(recordsIn(await collect(quickbooks(tokens.refreshToken, tokens.accessToken).pull(cursor, { now })))).toEqual(
      [],
    );
    const template = scenario.quickbooks.invoices[0]!;
    const at = new Date().toISOString();
    sandbox.scenario.quickbooks.invoices.push({
      ...template,
      Id: "990001",
      DocNumber: "NEW-1",
      MetaData: { CreateTime: at, LastUpdatedTime: at },
    });
    sandbox.faults.expireQuickbooksAccessTokens();
    const batches = await collect(quickbooks(tokens.refreshToken, tokens.accessToken).pull(cursor, { now }));
    expect(recordsIn(batches).map((r) => ("sourceId" in r ? r.sourceId : ""))).toEqual(["990001"]);
    expect(persisted).toHaveLength(2);
  });
});

describe("Amplitude against the sandbox", () => {
  const metrics = Object.fromEntries(scenario.tenant.metrics.map((m) => [m.eventType, m.key]));
  const amplitude = () =>
    createAmplitudeSource({
      ...sandbox.amplitude,
      groupType: scenario.tenant.amplitudeGroupType,
      eventMetrics: metrics,
    });
  const latest = (batches: SyncBatch[]) =>
    new Map(
      batches.flatMap((b) => b.usage).map((row) => [`${row.day}|${row.uploadedOn}|${row.groupId}|${row.metric}`, row]),
    );
  let cursor: string | null = null;
  let rows = new Map<string, import(".").UsageDay>();

  it("pulls every metric event into daily rows", async () => {
    const batches = await collect(amplitude().pull(null, { now }));
    rows = latest(batches);
    const groupType = scenario.tenant.amplitudeGroupType;
    const counted = scenario.amplitude.events.filter((e) => metrics[e.event_type] && e.groups[groupType] !== undefined);
    const total = [...rows.values()].reduce((sum, row) => sum + row.eventCount + row.duplicateEvents, 0);
    expect(total).toBe(counted.length);
    expect([...rows.values()].some((row) => row.duplicateEvents > 0)).toBe(true);
    cursor = finalCursor(batches);
  });

  it("re-pulls the same rows, then exactly one more event", async () => {
    const again = latest(await collect(amplitude().pull(cursor, { now })));
    for (const [key, row] of again) expect(rows.get(key)).toEqual(row);
    const sample = scenario.amplitude.events.find((e) => metrics[e.event_type])!;
    const at = new Date(now.getTime() - 3600_000).toISOString().replace("T", " ").replace("Z", "000");
    sandbox.scenario.amplitude.events.push({
      ...sample,
      $insert_id: "integration-new",
      event_time: at,
      server_upload_time: at,
    });
    const after = latest(await collect(amplitude().pull(cursor, { now })));
    const changed = [...after].filter(([key, row]) => JSON.stringify(rows.get(key) ?? null) !== JSON.stringify(row));
    expect(changed).toHaveLength(1);
    const [, row] = changed[0]!;
    expect(row.day).toBe(at.slice(0, 10));
    expect(row.eventCount - (rows.get(changed[0]![0])?.eventCount ?? 0)).toBe(1);
  });
});
