import { describe, expect, it } from "vitest";
import { addDays } from "../calendar";
import { checkInvoicePricing, explainPlanChange, type InvoicedLine } from "./checks";
import type { DailyUsage } from "./rate";
import type { RateCard } from "./rateCard";

const M = 1_000_000n;

function card(overrides: Partial<RateCard>): RateCard {
  return {
    plan: "Growth",
    currency: "USD",
    effectiveFrom: "2026-01-01",
    effectiveTo: null,
    baseFeeMinor: 0n,
    minimumCommitMinor: 0n,
    metrics: [],
    ...overrides,
  };
}

const flatGb = card({
  metrics: [{ metric: "gb", includedUnits: "1000", pricing: { model: "flat", unitPrice: "0.25" } }],
});
const tieredCalls = card({
  metrics: [
    {
      metric: "api_calls",
      includedUnits: "0",
      pricing: {
        model: "graduated",
        tiers: [
          { upTo: "10000", unitPrice: "0.10" },
          { upTo: "20000", unitPrice: "0.08" },
          { upTo: null, unitPrice: "0.05" },
        ],
      },
    },
  ],
});

function line(overrides: Partial<InvoicedLine>): InvoicedLine {
  return {
    invoiceId: "qb-1043",
    invoiceNumber: "1043",
    metric: "gb",
    quantity: "318",
    unitPrice: "0.25",
    amountMinor: 7950n,
    ...overrides,
  };
}

describe("checkInvoicePricing", () => {
  it("flags a flat unit price that is not the rate card's, with the money at stake", () => {
    // 318 GB at $0.30 = $95.40 billed; the card says 318 x $0.25 = $79.50: $15.90 more.
    const found = checkInvoicePricing({
      cards: [flatGb],
      period: "2026-10",
      invoiceLines: [line({ unitPrice: "0.30", amountMinor: 9540n, lineId: "1" })],
      currency: "USD",
    });
    expect(found).toEqual([
      {
        kind: "price_differs",
        metric: "gb",
        invoiceId: "qb-1043",
        invoiceNumber: "1043",
        lineId: "1",
        plan: "Growth",
        quantityMicro: 318n * M,
        expectedUnitPrice: "0.25",
        invoicedUnitPrice: "0.30",
        expectedAmountMinor: 7950n,
        invoicedAmountMinor: 9540n,
        amountMinor: 1590n,
        explanation:
          "Invoice 1043 bills gb at $0.30 a unit; the Growth rate card says $0.25: 318 units cost $15.90 more than the rate card ($95.40 instead of $79.50).",
      },
    ]);
  });

  it("accepts the same price written differently, and ignores lines without a metric", () => {
    const found = checkInvoicePricing({
      cards: [flatGb],
      period: "2026-10",
      invoiceLines: [line({ unitPrice: "0.2500" }), line({ metric: null, unitPrice: "99", amountMinor: 50_000n })],
      currency: "USD",
    });
    expect(found).toEqual([]);
  });

  it("tiered: compares the line amount with the tiers' price of its quantity, to a minor unit", () => {
    // 25,000 calls priced by the tiers: 1,000.00 + 800.00 + 250.00 = $2,050.00.
    const lines = [
      line({ metric: "api_calls", quantity: "25000", unitPrice: "0.082", amountMinor: 205_001n }),
      line({
        invoiceId: "qb-1044",
        invoiceNumber: "1044",
        metric: "api_calls",
        quantity: "25000",
        unitPrice: null,
        amountMinor: 190_000n,
      }),
    ];
    const found = checkInvoicePricing({
      cards: [tieredCalls],
      period: "2026-10",
      invoiceLines: lines,
      currency: "USD",
    });
    // One cent off is rounding; $150.00 under is a price difference. Average expected price: 2,050 / 25,000 = 0.082.
    expect(found.map((f) => [f.invoiceNumber, f.amountMinor, f.expectedUnitPrice])).toEqual([
      ["1044", 15_000n, "0.082"],
    ]);
    expect(found[0]?.explanation).toBe(
      "Invoice 1044 bills 25,000 api_calls for $1,900.00; the Growth rate card's graduated pricing makes that $2,050.00: $150.00 less than the rate card ($1,900.00 instead of $2,050.00).",
    );
  });

  it("with a plan change inside the period, a line matching either plan's price is fine", () => {
    const cards = [
      card({ ...flatGb, effectiveTo: "2026-10-15" }),
      card({
        plan: "Scale",
        effectiveFrom: "2026-10-15",
        metrics: [{ metric: "gb", includedUnits: "0", pricing: { model: "flat", unitPrice: "0.20" } }],
      }),
    ];
    const lines = [
      line({}),
      line({ unitPrice: "0.20", amountMinor: 6360n }),
      line({ unitPrice: "0.21", amountMinor: 6678n }),
    ];
    const found = checkInvoicePricing({ cards, period: "2026-10", invoiceLines: lines, currency: "USD" });
    // 318 x 0.21 = 66.78 is held against the closer card: Scale, 318 x 0.20 = 63.60, $3.18 apart.
    expect(found.map((f) => [f.plan, f.amountMinor])).toEqual([["Scale", 318n]]);
  });

  it("does not depend on the order of lines or cards", () => {
    const lines = [
      line({ unitPrice: "0.30", amountMinor: 9540n }),
      line({ invoiceNumber: "1000", unitPrice: "0.5", amountMinor: 15_900n }),
    ];
    const a = checkInvoicePricing({
      cards: [flatGb, tieredCalls],
      period: "2026-10",
      invoiceLines: lines,
      currency: "USD",
    });
    const b = checkInvoicePricing({
      cards: [tieredCalls, flatGb],
      period: "2026-10",
      invoiceLines: [...lines].reverse(),
      currency: "USD",
    });
    expect(b).toEqual(a);
  });
});

describe("explainPlanChange", () => {
  // Growth ($500 base, 1,000 GB included, $0.25) until 14 Oct; Scale ($1,500, 3,100 GB included, $0.20) from 15 Oct.
  const cards = [
    card({ plan: "Growth", effectiveTo: "2026-10-15", baseFeeMinor: 50_000n, metrics: flatGb.metrics }),
    card({
      plan: "Scale",
      effectiveFrom: "2026-10-15",
      baseFeeMinor: 150_000n,
      metrics: [{ metric: "gb", includedUnits: "3100", pricing: { model: "flat", unitPrice: "0.20" } }],
    }),
  ];
  const dailyUsage: DailyUsage[] = Array.from({ length: 31 }, (_, offset) => ({
    metric: "gb",
    day: addDays("2026-10-01", offset),
    quantity: (offset < 14 ? 40n : 120n) * M,
  }));
  const input = { cards, period: "2026-10", usage: new Map<string, bigint>(), dailyUsage, currency: "USD" };

  it("explains an invoice that bills the prorated month (base $1,048.39 + gb $95.10 = $1,143.49)", () => {
    // A full month on Scale would be $1,500.00 (2,600 GB is under 3,100 included): $356.51 from the invoice.
    const explained = explainPlanChange({
      ...input,
      invoiceLines: [{ amountMinor: 104_839n }, { amountMinor: 9509n }],
    });
    expect(explained).toMatchObject({
      kind: "plan_change",
      expectedMinor: 114_349n,
      invoicedMinor: 114_348n,
      fullMonthMinor: 150_000n,
      amountMinor: 35_652n,
    });
    expect(explained?.explanation).toBe(
      "2026-10 was invoiced $1,143.48, $356.52 from a full month on Scale ($1,500.00): Growth plan until 2026-10-14, " +
        "Scale from 2026-10-15, so the month is prorated 14/31 and 17/31, which comes to $1,143.49. " +
        "The plan change explains the difference: not a discrepancy.",
    );
  });

  it("does not explain a difference beyond one minor unit per line", () => {
    expect(
      explainPlanChange({ ...input, invoiceLines: [{ amountMinor: 104_839n }, { amountMinor: 9507n }] }),
    ).toBeNull();
  });

  it("does not explain anything when no plan changed in the period", () => {
    const single = { ...input, cards: [cards[1]!].map((c) => ({ ...c, effectiveFrom: "2026-01-01" })) };
    expect(explainPlanChange({ ...single, invoiceLines: [{ amountMinor: 150_000n }] })).toBeNull();
  });
});
