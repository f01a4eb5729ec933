import { describe, expect, it } from "vitest";
import { invoice, line } from "../../test/fixtures";
import { reconcileAccount } from "../account";
import type { RateCard } from "../rating/rateCard";
import { rateCardsFromStored, type StoredRateCard } from "./rateCards";
import { metricDecimalsOf } from "./usageExtras";

const options = { asOf: new Date("2026-12-15T12:00:00Z") };
const seats = (plan: string, effectiveFrom: string, baseFeeMinor: bigint, included: string, unitPrice: string) =>
  ({
    plan,
    currency: "USD",
    effectiveFrom,
    baseFeeMinor,
    metrics: [{ metric: "seats", includedUnits: included, unitPrice }],
  }) satisfies StoredRateCard;

describe("expected against invoiced per period", () => {
  it("prorates a plan change by day, whole seats included (checked by hand)", () => {
    // September has 30 days: Starter ($300.00, 5 seats included at $40) on days 1-10, Growth ($600.00, 9 included at
    // $30) on days 11-30. Base fee 10/30 x $300 + 20/30 x $600 = $100 + $400 = $500.00. Included seats, whole seats:
    // 5 x 10/30 = 1.67 -> 2 on Starter; 9 x 20/30 = 6 on Growth. 12 seats from the 1st: 10 billable x $40 = $400.00;
    // 3 more from the 11th, all included. Expected $900.00.
    const cards = rateCardsFromStored([
      seats("Starter", "2026-01-01", 30_000n, "5", "40"),
      seats("Growth", "2026-09-11", 60_000n, "9", "30"),
    ]);
    const lines = [
      line({ metric: null, quantity: "1", unitPrice: "100", amountMinor: 10_000n, serviceDate: "2026-09-30" }),
      line({ metric: null, quantity: "1", unitPrice: "400", amountMinor: 40_000n, serviceDate: "2026-09-30" }),
      line({ metric: "seats", quantity: "12", unitPrice: "40", amountMinor: 48_000n, serviceDate: "2026-09-30" }),
      line({ metric: null, quantity: "-2", unitPrice: "40", amountMinor: -8_000n, serviceDate: "2026-09-30" }),
      line({ metric: "seats", quantity: "3", unitPrice: "30", amountMinor: 9_000n, serviceDate: "2026-09-30" }),
      line({ metric: null, quantity: "-3", unitPrice: "30", amountMinor: -9_000n, serviceDate: "2026-09-30" }),
    ];
    const result = reconcileAccount(
      {
        usage: [
          { metric: "seats", day: "2026-09-01", quantity: "12" },
          { metric: "seats", day: "2026-09-11", quantity: "3" },
        ],
        invoices: [invoice({ id: "51", number: "1051", totalMinor: 90_000n, balanceMinor: 0n, lines })],
        payments: [],
        rateCards: cards,
      },
      options,
    );
    const september = result.periods.find((p) => p.period === "2026-09")!;
    expect(september.charges).toMatchObject({
      currency: "USD",
      plans: ["Starter", "Growth"],
      expectedMinor: 90_000n,
      invoicedMinor: 90_000n,
      differenceMinor: 0n,
      differenceBps: 0,
      baseFeeMinor: 50_000n,
      commitTopUpMinor: 0n,
      // The two platform-fee lines; the included-seat credits count against seats (same unit price as a seats line).
      otherInvoicedMinor: 50_000n,
      metrics: [{ metric: "seats", expectedMinor: 40_000n, invoicedMinor: 40_000n, differenceMinor: 0n }],
      explanation: "Expected $900.00 from the Starter and Growth plans prorated by day; invoiced $900.00, as expected.",
    });
    expect(september.explanation).toMatch(/ Expected \$900\.00 from the Starter and Growth plans/);
    // Rated at micro-seats instead, Starter would include 1.666667 seats: 10.333333 x $40 = $413.33.
    const micro = reconcileAccount(
      {
        usage: [
          { metric: "seats", day: "2026-09-01", quantity: "12" },
          { metric: "seats", day: "2026-09-11", quantity: "3" },
        ],
        invoices: [],
        payments: [],
        rateCards: cards,
        metricDecimals: { seats: 6 },
      },
      options,
    );
    expect(micro.periods[0]?.charges?.expectedMinor).toBe(91_333n);
    // The invoice matches the prorated plans: explained, with README's amount ($900.00 against $700.00 on Starter alone).
    expect(result.explanations.map((e) => [e.code, e.amountMinor])).toEqual([["plan_change", 20_000n]]);
    expect(result.discrepancies).toEqual([]);
  });

  it("rates graduated tiers and says how far the invoice is from them (checked by hand)", () => {
    // 26,000 API calls, 1,000 included: 25,000 billable = 10,000 x $0.01 + 15,000 x $0.005 = $100 + $75 = $175.00;
    // with the $50.00 base fee, $225.00 expected. The invoice bills $237.50: +$12.50, +5.6%.
    const card: RateCard = {
      plan: "Enterprise",
      currency: "USD",
      effectiveFrom: "2026-01-01",
      effectiveTo: null,
      baseFeeMinor: 5_000n,
      minimumCommitMinor: 0n,
      metrics: [
        {
          metric: "api_calls",
          includedUnits: "1000",
          pricing: {
            model: "graduated",
            tiers: [
              { upTo: "10000", unitPrice: "0.01" },
              { upTo: null, unitPrice: "0.005" },
            ],
          },
        },
      ],
    };
    const lines = [
      line({ metric: null, quantity: "1", amountMinor: 5_000n, serviceDate: "2026-10-31" }),
      line({ metric: "api_calls", quantity: "26000", amountMinor: 18_750n, serviceDate: "2026-10-31" }),
    ];
    const result = reconcileAccount(
      {
        usage: [{ metric: "api_calls", day: "2026-10-01", quantity: "26000" }],
        invoices: [invoice({ id: "60", number: "1060", totalMinor: 23_750n, issuedOn: "2026-11-01", lines })],
        payments: [],
        rateCards: [card],
      },
      options,
    );
    const october = result.periods.find((p) => p.period === "2026-10")!;
    expect(october.charges).toMatchObject({
      plans: ["Enterprise"],
      expectedMinor: 22_500n,
      invoicedMinor: 23_750n,
      differenceMinor: 1_250n,
      differenceBps: 556,
      otherInvoicedMinor: 5_000n,
      metrics: [{ metric: "api_calls", expectedMinor: 17_500n, invoicedMinor: 18_750n, differenceMinor: 1_250n }],
      explanation: "Expected $225.00 from the Enterprise plan; invoiced $237.50 (+5.6%).",
    });
    expect(october.charges?.metrics[0]?.explanation).toBe(
      "api_calls: 26,000 used, 1,000 included, 25,000 billable: 10,000 at $0.01 + 15,000 at $0.005 = $175.00.",
    );
    // Before any invoice, and with no rate card at all.
    const open = reconcileAccount(
      {
        usage: [{ metric: "api_calls", day: "2026-12-01", quantity: "1000" }],
        invoices: [],
        payments: [],
        rateCards: [card],
      },
      options,
    );
    expect(open.periods[0]?.charges?.explanation).toBe("Expected $50.00 from the Enterprise plan; not invoiced yet.");
    const none = reconcileAccount(
      { usage: [{ metric: "api_calls", day: "2026-12-01", quantity: "1" }], invoices: [], payments: [] },
      options,
    );
    expect(none.periods[0]?.charges).toBeNull();
  });

  it("maps stored cards to rating's cards and reads metric decimals from usage", () => {
    const cards = rateCardsFromStored(
      [seats("Growth", "2026-09-11", 60_000n, "9", "30"), seats("Starter", "2026-01-01", 30_000n, "5", "40")],
      "acct-1",
    );
    expect(cards.map((c) => [c.plan, c.effectiveFrom, c.effectiveTo, c.minimumCommitMinor, c.accountId])).toEqual([
      ["Starter", "2026-01-01", "2026-09-11", 0n, "acct-1"],
      ["Growth", "2026-09-11", null, 0n, "acct-1"],
    ]);
    expect(cards[0]?.metrics[0]?.pricing).toEqual({ model: "flat", unitPrice: "40" });
    const usage = [
      { metric: "seats", day: "2026-09-01", quantity: "12.000000" },
      { metric: "storage_gb", day: "2026-09-01", quantity: "371.200000" },
      { metric: "storage_gb", day: "2026-10-01", quantity: "402.35" },
    ];
    expect(metricDecimalsOf(usage)).toEqual({ seats: 0, storage_gb: 2 });
  });
});
