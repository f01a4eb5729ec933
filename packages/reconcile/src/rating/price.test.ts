import { describe, expect, it } from "vitest";
import { billableMicro, priceQuantity } from "./price";
import type { MetricPricing } from "./rateCard";

const M = 1_000_000n; // micro-units per unit

describe("priceQuantity", () => {
  it("flat: 1,318 GB used, 1,000 included, 318 billable at $0.25 = $79.50", () => {
    // 318 x 0.25 = 79.50 exactly.
    const billable = billableMicro(1318n * M, 1000n * M);
    expect(billable).toBe(318n * M);
    const priced = priceQuantity({ model: "flat", unitPrice: "0.25" }, billable, "USD");
    expect(priced.amountMinor).toBe(7950n);
    expect(priced.breakdown).toEqual([
      {
        fromMicro: 0n,
        toMicro: 318n * M,
        quantityMicro: 318n * M,
        unitPrice: "0.25",
        flatFeeMinor: 0n,
        amountMinor: 7950n,
      },
    ]);
  });

  it("included units never make usage negative: 800 used, 1,000 included = 0 billable, $0.00", () => {
    expect(billableMicro(800n * M, 1000n * M)).toBe(0n);
    expect(priceQuantity({ model: "flat", unitPrice: "0.25" }, 0n, "USD")).toEqual({ amountMinor: 0n, breakdown: [] });
  });

  const threeTiers = (model: "graduated" | "volume"): MetricPricing => ({
    model,
    tiers: [
      { upTo: "10000", unitPrice: "0.10" },
      { upTo: "20000", unitPrice: "0.08" },
      { upTo: null, unitPrice: "0.05" },
    ],
  });

  it("graduated across three tiers: 25,000 units = 10,000 x 0.10 + 10,000 x 0.08 + 5,000 x 0.05 = $2,050.00", () => {
    // 1,000.00 + 800.00 + 250.00 = 2,050.00
    const priced = priceQuantity(threeTiers("graduated"), 25_000n * M, "USD");
    expect(priced.amountMinor).toBe(205_000n);
    expect(priced.breakdown.map((s) => [s.fromMicro / M, s.toMicro / M, s.unitPrice, s.amountMinor])).toEqual([
      [0n, 10_000n, "0.10", 100_000n],
      [10_000n, 20_000n, "0.08", 80_000n],
      [20_000n, 25_000n, "0.05", 25_000n],
    ]);
  });

  it("volume at a tier boundary: bounds are inclusive, so exactly 10,000 units are all at $0.10", () => {
    // 10,000 x 0.10 = 1,000.00; one unit more moves every unit to 0.08: 10,001 x 0.08 = 800.08.
    expect(priceQuantity(threeTiers("volume"), 10_000n * M, "USD").amountMinor).toBe(100_000n);
    const above = priceQuantity(threeTiers("volume"), 10_001n * M, "USD");
    expect(above.amountMinor).toBe(80_008n);
    expect(above.breakdown).toEqual([
      {
        fromMicro: 0n,
        toMicro: 10_001n * M,
        quantityMicro: 10_001n * M,
        unitPrice: "0.08",
        flatFeeMinor: 0n,
        amountMinor: 80_008n,
      },
    ]);
    // 25,000 falls in the open-ended tier: 25,000 x 0.05 = 1,250.00.
    expect(priceQuantity(threeTiers("volume"), 25_000n * M, "USD").amountMinor).toBe(125_000n);
  });

  it("tier flat fees: graduated, first 100 free with a $50 fee, then $1.00 with a $20 fee", () => {
    const pricing: MetricPricing = {
      model: "graduated",
      tiers: [
        { upTo: "100", unitPrice: "0", flatFeeMinor: 5000n },
        { upTo: null, unitPrice: "1.00", flatFeeMinor: 2000n },
      ],
    };
    // 150 units: tier 1 = $50 fee + 100 x 0 = $50.00; tier 2 = $20 fee + 50 x 1.00 = $70.00; total $120.00.
    const priced = priceQuantity(pricing, 150n * M, "USD");
    expect(priced.amountMinor).toBe(12_000n);
    expect(priced.breakdown.map((s) => [s.flatFeeMinor, s.amountMinor])).toEqual([
      [5000n, 5000n],
      [2000n, 7000n],
    ]);
    // 80 units reach only tier 1: $50.00. No usage reaches no tier: $0.00.
    expect(priceQuantity(pricing, 80n * M, "USD").amountMinor).toBe(5000n);
    expect(priceQuantity(pricing, 0n, "USD").amountMinor).toBe(0n);
  });

  it("volume tier fee: the fee of the tier the total falls in", () => {
    const pricing: MetricPricing = {
      model: "volume",
      tiers: [
        { upTo: "100", unitPrice: "1.00", flatFeeMinor: 1000n },
        { upTo: null, unitPrice: "0.90", flatFeeMinor: 3000n },
      ],
    };
    // 200 x 0.90 = 180.00 + 30.00 fee = 210.00
    expect(priceQuantity(pricing, 200n * M, "USD").amountMinor).toBe(21_000n);
  });

  it("sub-cent unit price: rounded half-even once, on the line", () => {
    const pricing: MetricPricing = { model: "flat", unitPrice: "0.0025" };
    // 10 x 0.0025 = 0.025 -> halfway: half-even gives $0.02 (half-up would give $0.03).
    expect(priceQuantity(pricing, 10n * M, "USD").amountMinor).toBe(2n);
    // 14 x 0.0025 = 0.035 -> halfway: the even neighbour is $0.04.
    expect(priceQuantity(pricing, 14n * M, "USD").amountMinor).toBe(4n);
    // 1,318,456 API calls x $0.0004 = 527.3824 -> $527.38.
    expect(priceQuantity({ model: "flat", unitPrice: "0.0004" }, 1_318_456n * M, "USD").amountMinor).toBe(52_738n);
  });

  it("rounds the line once: tier steps share the rounded line and add up to it", () => {
    // 3 units at 0.005 = 0.015 and 3 more at 0.003 = 0.009: line 0.024 -> $0.02. Rounding each tier first would give
    // 0.02 + 0.01 = $0.03.
    const pricing: MetricPricing = {
      model: "graduated",
      tiers: [
        { upTo: "3", unitPrice: "0.005" },
        { upTo: null, unitPrice: "0.003" },
      ],
    };
    const priced = priceQuantity(pricing, 6n * M, "USD");
    expect(priced.amountMinor).toBe(2n);
    expect(priced.breakdown.reduce((sum, s) => sum + s.amountMinor, 0n)).toBe(2n);
  });

  it("uses the currency's minor unit: 3 units at ¥125.5 = ¥376.5 -> ¥376 (half-even)", () => {
    expect(priceQuantity({ model: "flat", unitPrice: "125.5" }, 3n * M, "JPY").amountMinor).toBe(376n);
  });

  it("prices units beyond a bounded last tier at that tier's rate", () => {
    const pricing: MetricPricing = { model: "graduated", tiers: [{ upTo: "10", unitPrice: "1" }] };
    expect(priceQuantity(pricing, 12n * M, "USD").amountMinor).toBe(1200n);
  });

  it("refuses a negative quantity (a caller bug)", () => {
    expect(() => priceQuantity({ model: "flat", unitPrice: "1" }, -1n, "USD")).toThrow(RangeError);
  });
});
