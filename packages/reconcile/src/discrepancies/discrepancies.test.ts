import { describe, expect, it } from "vitest";
import { invoice, line, payment, ref } from "../../test/fixtures";
import { type AccountInput, reconcileAccount } from "../account";
import { findDuplicateCharges } from "./paymentChecks";
import { cardsForPeriod, priceMinor, rateCardsFromStored, type StoredRateCard, usageValue } from "./rateCards";

const links = { quickbooksCustomerId: "7", stripeCustomerId: "cus_7", amplitudeGroupId: "org_7" };
const card = (fields: Partial<StoredRateCard> = {}): StoredRateCard => ({
  plan: "Growth",
  currency: "USD",
  effectiveFrom: "2026-01-01",
  baseFeeMinor: 10_000n,
  metrics: [{ metric: "gb_stored", includedUnits: "0", unitPrice: "2" }],
  ...fields,
});
const september = (quantity: string, uploadedOn: string | null = null) => ({
  metric: "gb_stored",
  day: "2026-09-01",
  quantity,
  uploadedOn,
});
const options = { asOf: new Date("2026-11-25T12:00:00Z"), thresholdBps: 500 };

/** Invoice 1043 (issued 2026-10-01) billing `quantity` GB of September at `unitPrice`, paid in full. */
function account(quantity: string, usage: AccountInput["usage"], extra: Partial<AccountInput> = {}): AccountInput {
  const amount = priceMinor(BigInt(quantity) * 1_000_000n, 2n * 10n ** 10n, "USD");
  const total = 10_000n + amount;
  return {
    usage,
    invoices: [
      invoice({
        id: "43",
        number: "1043",
        totalMinor: total,
        balanceMinor: 0n,
        lines: [
          line({ metric: null, quantity: "1", amountMinor: 10_000n, serviceDate: "2026-09-30" }),
          line({ quantity, unitPrice: "2", amountMinor: amount, serviceDate: "2026-09-30" }),
        ],
      }),
    ],
    payments: [payment({ id: "ch_1", amountMinor: total, references: [ref("1043")] })],
    metricUnits: { gb_stored: "GB" },
    rateCards: rateCardsFromStored([card()]),
    links,
    ...extra,
  };
}

describe("discrepancies", () => {
  it("says how much an under-billed invoice leaves on the table (the brief's example, checked by hand)", () => {
    // 1,318 - 1,200 = 118 GB at $2.00 = $236.00.
    const result = reconcileAccount(account("1200", [september("1318")]), options);
    expect(result.discrepancies).toEqual([
      {
        code: "under_billed",
        severity: "warning",
        amountMinor: 23_600n,
        currency: "USD",
        period: "2026-09",
        sourceIds: ["qbo:Invoice:43"],
        fingerprint: "under_billed|2026-09|qbo:Invoice:43",
        explanation:
          "Invoice 1043 bills 1,200 GB; Amplitude metered 1,318 GB (-9.0%, beyond the 5% threshold): under-billed by $236.00.",
      },
    ]);
  });

  it("flags usage uploaded after the invoice, and nothing when it is within the threshold otherwise", () => {
    // 1,200 GB on time, 30 GB uploaded on 2026-10-09 (after invoice 1043 of 2026-10-01): 30 x $2 = $60.00 not billed.
    const result = reconcileAccount(account("1200", [september("1200"), september("30", "2026-10-09")]), options);
    expect(result.discrepancies.map((d) => [d.code, d.amountMinor, d.sourceIds])).toEqual([
      ["late_usage", 6_000n, ["amplitude:group:org_7", "qbo:Invoice:43"]],
    ]);
    const onTime = reconcileAccount(account("1200", [september("1200"), september("30", "2026-10-01")]), options);
    expect(onTime.discrepancies).toEqual([]);
  });

  it("tells a price off the card from a plan change that explains the variance", () => {
    const off = account("1200", [september("1200")]);
    const lines = off.invoices[0]!.lines.map((l) => (l.metric ? { ...l, unitPrice: "2.5", amountMinor: 300_000n } : l));
    const priced = reconcileAccount({ ...off, invoices: [{ ...off.invoices[0]!, lines }] }, options);
    // 1,200 GB at $2.50 = $3,000.00 against $2,400.00 on the card: $600.00.
    expect(priced.discrepancies.map((d) => [d.code, d.amountMinor])).toContainEqual(["price_differs", 60_000n]);

    // Growth ($2.00/GB) until 2026-09-15, Scale ($2.50/GB) from 2026-09-16, base fee $100.00 on both (15/30 each):
    // 600 GB on each plan, billed on each plan's line: $100 + 600 x $2 + 600 x $2.50 = $2,800.00, as rating prorates.
    const cards = rateCardsFromStored([
      card(),
      card({
        plan: "Scale",
        effectiveFrom: "2026-09-16",
        metrics: [{ metric: "gb_stored", includedUnits: "0", unitPrice: "2.5" }],
      }),
    ]);
    const split = [september("600"), { ...september("600"), day: "2026-09-16" }];
    const prorated = [
      line({ metric: null, quantity: "1", amountMinor: 10_000n, serviceDate: "2026-09-30" }),
      line({ quantity: "600", unitPrice: "2", amountMinor: 120_000n, serviceDate: "2026-09-30" }),
      line({ quantity: "600", unitPrice: "2.5", amountMinor: 150_000n, serviceDate: "2026-09-30" }),
    ];
    const invoiced = { ...off.invoices[0]!, lines: prorated, totalMinor: 280_000n };
    const changed = reconcileAccount({ ...off, usage: split, invoices: [invoiced], rateCards: cards }, options);
    expect(changed.discrepancies.map((d) => d.code)).not.toContain("price_differs");
    // README's amount: $2,800.00 against $2,500.00 on Growth alone ($100 + 1,200 x $2).
    expect(changed.explanations.map((e) => [e.code, e.severity, e.amountMinor])).toEqual([
      ["plan_change", "info", 30_000n],
    ]);
    // All 1,200 GB at Scale's price is a price either plan allows, but proration does not explain it: no explanation.
    const unprorated = { ...invoiced, lines, totalMinor: 310_000n };
    const notExplained = reconcileAccount({ ...off, usage: split, invoices: [unprorated], rateCards: cards }, options);
    expect(notExplained.explanations).toEqual([]);
    expect(notExplained.discrepancies.map((d) => d.code)).not.toContain("price_differs");
  });

  it("reports a charge made twice once, and does not call the repeat an overpayment", () => {
    const input = account("1200", [september("1200")]);
    const first = input.payments[0]!;
    const again = { ...first, id: "ch_2", createdAt: new Date(first.createdAt.getTime() + 5 * 60_000) };
    const result = reconcileAccount({ ...input, payments: [first, again] }, options);
    expect(result.discrepancies.map((d) => [d.code, d.amountMinor, d.sourceIds])).toEqual([
      ["duplicate_charge", first.amountMinor, ["ch_1", "ch_2", "qbo:Invoice:43"]],
    ]);
    expect(result.duplicateChargeIds).toEqual(["ch_2"]);
    const dayLater = { ...again, createdAt: new Date(first.createdAt.getTime() + 25 * 3_600_000) };
    expect(findDuplicateCharges([first, dayLater], input.invoices)).toEqual([]);
  });

  it("values usage as invoices bill it and picks the card of a period", () => {
    const [withIncluded] = rateCardsFromStored([
      card({ metrics: [{ metric: "gb_stored", includedUnits: "1000", unitPrice: "0.15" }] }),
    ]);
    // 1,318.5 GB x $0.15 = $197.775 -> $197.78 (half-even on the cent is a tie only at .5); minus 1,000 x $0.15.
    expect(usageValue(withIncluded!, "gb_stored", 1_318_500_000n)).toBe(19_778n - 15_000n);
    expect(usageValue(withIncluded!, "gb_stored", 500_000_000n)).toBe(0n);
    const cards = rateCardsFromStored([card(), card({ plan: "Scale", effectiveFrom: "2026-09-16" })]);
    expect(cardsForPeriod(cards, "2026-09")).toMatchObject({ card: { plan: "Growth" }, next: { plan: "Scale" } });
    expect(cardsForPeriod(cards, "2026-10")).toMatchObject({ card: { plan: "Scale" }, next: null });
  });
});
