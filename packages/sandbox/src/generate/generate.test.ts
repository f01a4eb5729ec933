import { describe, expect, it } from "vitest";
import { discrepancyKinds, type Scenario } from "../scenario.js";
import { injectedKinds } from "./accounts.js";
import { generateScenario } from "./index.js";

const options = { seed: 7, accounts: 40, months: 6, asOf: "2026-11-25" };
const scenario = generateScenario(options);

/** Every id a manifest entry may cite, in the manifest's notation (see README: "Manifest source ids"). */
function knownIds(s: Scenario): Set<string> {
  const ids = new Set<string>();
  for (const list of Object.values(s.stripe)) for (const object of list) ids.add(object.id);
  for (const c of s.quickbooks.customers) ids.add(`qbo:Customer:${c.Id}`);
  for (const i of s.quickbooks.invoices) ids.add(`qbo:Invoice:${i.Id}`);
  for (const p of s.quickbooks.payments) ids.add(`qbo:Payment:${p.Id}`);
  for (const e of s.amplitude.events) {
    ids.add(`amplitude:insert_id:${e.$insert_id}`);
    ids.add(`amplitude:group:${String(e.groups.org_id)}`);
  }
  for (const a of s.tenant.accounts) if (a.amplitudeGroupId) ids.add(`amplitude:group:${a.amplitudeGroupId}`);
  return ids;
}

describe("generateScenario", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    expect(generateScenario(options)).toEqual(scenario);
    const other = generateScenario({ ...options, seed: 8 });
    expect(other.tenant.accounts.map((a) => a.name)).not.toEqual(scenario.tenant.accounts.map((a) => a.name));
    expect(other.amplitude.events[0]!.$insert_id).not.toBe(scenario.amplitude.events[0]!.$insert_id);
  });

  it("injects every kind at least once and cites only ids that exist", () => {
    const entries = scenario.manifest!.entries;
    const kinds = new Set(entries.map((e) => e.kind));
    for (const kind of [...injectedKinds, "unmapped_record" as const]) expect(kinds).toContain(kind);
    const ids = knownIds(scenario);
    for (const entry of entries) {
      expect(discrepancyKinds).toContain(entry.kind);
      expect(entry.sourceIds.length).toBeGreaterThan(0);
      for (const id of entry.sourceIds) expect(ids, `${entry.kind} cites ${id}`).toContain(id);
      if (entry.amountMinor !== null) expect(BigInt(entry.amountMinor)).toBeGreaterThanOrEqual(0n);
    }
  });

  it("keeps invoice balances consistent with the QuickBooks payments applied to them", () => {
    const applied = new Map<string, number>();
    for (const payment of scenario.quickbooks.payments) {
      for (const line of payment.Line) {
        const id = line.LinkedTxn[0]!.TxnId;
        applied.set(id, (applied.get(id) ?? 0) + Math.round(line.Amount * 100));
      }
    }
    for (const invoice of scenario.quickbooks.invoices) {
      const lines = invoice.Line.filter((l) => l.DetailType === "SalesItemLineDetail");
      const sum = lines.reduce((total, l) => total + Math.round(l.Amount * 100), 0);
      expect(sum).toBe(Math.round(invoice.TotalAmt * 100));
      expect(Math.round(invoice.Balance * 100)).toBe(sum - (applied.get(invoice.Id) ?? 0));
    }
  });

  it("links charges to invoices by metadata and leaves the current month uninvoiced", () => {
    const invoiceIds = new Set(scenario.quickbooks.invoices.map((i) => i.Id));
    for (const charge of scenario.stripe.charges) {
      const ids = charge.metadata.quickbooks_invoice_ids?.split(",") ?? [charge.metadata.quickbooks_invoice_id];
      if (ids[0] === undefined) continue; // the unmapped customer's one-off charge
      for (const id of ids) expect(invoiceIds).toContain(id);
    }
    const current = "2026-11";
    expect(scenario.quickbooks.invoices.some((i) => i.PrivateNote?.endsWith(current))).toBe(false);
    expect(scenario.amplitude.events.some((e) => e.event_time.startsWith(current))).toBe(true);
    expect(scenario.amplitude.events.every((e) => e.server_upload_time < "2026-11-25")).toBe(true);
  });

  it("duplicates usage events by $insert_id only where the manifest says so", () => {
    const seen = new Map<string, number>();
    for (const e of scenario.amplitude.events) seen.set(e.$insert_id, (seen.get(e.$insert_id) ?? 0) + 1);
    const duplicated = [...seen].filter(([, n]) => n > 1).map(([id]) => `amplitude:insert_id:${id}`);
    const cited = scenario
      .manifest!.entries.filter((e) => e.kind === "duplicate_usage_events")
      .flatMap((e) => e.sourceIds);
    expect(new Set(duplicated)).toEqual(new Set(cited));
  });

  it("gives a plan-change account a second rate card inside the month it changes, and late events after the invoice", () => {
    const entries = scenario.manifest!.entries;
    for (const change of entries.filter((e) => e.kind === "plan_change")) {
      const cards = scenario.tenant.rateCards!.filter((c) => c.quickbooksCustomerId === change.accountRef);
      expect(cards.map((c) => c.effectiveFrom.slice(0, 7))).toContain(change.period);
      expect(new Set(cards.map((c) => c.plan)).size).toBe(2);
    }
    for (const late of entries.filter((e) => e.kind === "late_usage")) {
      const invoiceId = late.sourceIds.find((id) => id.startsWith("qbo:Invoice:"))!.slice("qbo:Invoice:".length);
      const issued = scenario.quickbooks.invoices.find((i) => i.Id === invoiceId)!.TxnDate;
      const group = late.sourceIds.find((id) => id.startsWith("amplitude:group:"))!.slice("amplitude:group:".length);
      const after = scenario.amplitude.events.filter(
        (e) =>
          e.groups.org_id === group &&
          e.event_time.startsWith(late.period!) &&
          e.server_upload_time.slice(0, 10) > issued,
      );
      expect(after.length).toBeGreaterThan(0);
    }
  });
});
