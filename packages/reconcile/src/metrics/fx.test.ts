import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../calendar";
import { convertAmount, convertToBase, type FxRate, findRate } from "./fx";

const rates: FxRate[] = [
  { from: "EUR", to: "USD", rate: "1.0800", effectiveOn: "2026-10-01" },
  { from: "EUR", to: "USD", rate: "1.0843", effectiveOn: "2026-11-01" },
  { from: "JPY", to: "USD", rate: "0.0067", effectiveOn: "2026-01-01" },
];

describe("convertToBase: two EUR rates on different dates", () => {
  it("uses the latest rate on or before each amount's day and labels the total", () => {
    // EUR 1,000.00 on 2026-10-15 at 1.0800 (rate of 2026-10-01) = USD 1,080.00 (108,000)
    // EUR   500.00 on 2026-11-20 at 1.0843 (rate of 2026-11-01) = USD   542.15 (54,215)
    // USD   100.00 stays 100.00 (10,000).  Total USD 1,722.15 (172,215).
    const result = convertToBase({
      amounts: [
        { minor: 100_000n, currency: "EUR", on: "2026-10-15" },
        { minor: 50_000n, currency: "EUR", on: "2026-11-20" },
        { minor: 10_000n, currency: "USD", on: "2026-11-20" },
      ],
      base: "USD",
      rates,
    });
    expect(result.totalMinor).toBe(172_215n);
    expect(result.conversions.map((c) => c.ok && c.minor)).toEqual([108_000n, 54_215n, 10_000n]);
    expect(result.label).toBe("converted to USD at rates of 2026-10-01 and 2026-11-01");
    expect(result).toMatchObject({ converted: true, complete: true, rateDates: ["2026-10-01", "2026-11-01"] });
  });

  it("reports a missing rate as a value and leaves the amount out", () => {
    // EUR on 2026-09-30 is before the first EUR rate; there is no GBP rate at all.
    const result = convertToBase({
      amounts: [
        { minor: 50_000n, currency: "EUR", on: "2026-11-01" }, // 1.0843 x 500.00 = 542.15
        { minor: 100n, currency: "EUR", on: "2026-09-30" },
        { minor: 1_000n, currency: "GBP", on: "2026-11-01" },
      ],
      base: "usd",
      rates,
    });
    expect(result.totalMinor).toBe(54_215n);
    expect(result.complete).toBe(false);
    expect(result.missing.map((m) => [m.source.currency, m.reason])).toEqual([
      ["EUR", "missing-rate"],
      ["GBP", "missing-rate"],
    ]);
    expect(result.label).toBe(
      "converted to USD at rates of 2026-11-01; 2 amounts in EUR and GBP left out (no usable rate to USD)",
    );
  });

  it("says 'in USD' when nothing needed converting", () => {
    const result = convertToBase({ amounts: [{ minor: 5n, currency: "USD", on: "2026-01-01" }], base: "USD", rates });
    expect(result).toMatchObject({ totalMinor: 5n, converted: false, label: "in USD" });
  });
});

describe("convertAmount", () => {
  it("rounds half-even once and handles minor-unit exponents", () => {
    // EUR 1,234.57 x 1.0843 = 1,338.644251 -> USD 1,338.64 (133,864).
    expect(convertAmount({ minor: 123_457n, currency: "EUR", on: "2026-11-02" }, "USD", rates)).toMatchObject({
      ok: true,
      minor: 133_864n,
    });
    // Exactly half a cent: rate 1.5, EUR 0.05 -> 0.075 -> 0.08 (7 is odd, goes up); EUR 0.03 -> 0.045 -> 0.04 (4 is even).
    const half: FxRate[] = [{ from: "EUR", to: "USD", rate: "1.5", effectiveOn: "2026-01-01" }];
    expect(convertAmount({ minor: 5n, currency: "EUR", on: "2026-02-01" }, "USD", half)).toMatchObject({ minor: 8n });
    expect(convertAmount({ minor: 3n, currency: "EUR", on: "2026-02-01" }, "USD", half)).toMatchObject({ minor: 4n });
    // JPY has no minor unit: JPY 10,000 x 0.0067 = USD 67.00 (6,700 cents).
    expect(convertAmount({ minor: 10_000n, currency: "JPY", on: "2026-02-01" }, "USD", rates)).toMatchObject({
      minor: 6_700n,
    });
  });

  it("reports two different rates on the same day instead of picking one by order", () => {
    const clash: FxRate[] = [...rates, { from: "EUR", to: "USD", rate: "1.09", effectiveOn: "2026-11-01" }];
    expect(findRate(clash, "EUR", "USD", "2026-11-10")).toBe("conflict");
    expect(convertAmount({ minor: 1n, currency: "EUR", on: "2026-11-10" }, "USD", clash)).toMatchObject({
      ok: false,
      reason: "conflicting-rates",
    });
    // An equal duplicate is no conflict.
    const same: FxRate[] = [...rates, { from: "eur", to: "usd", rate: "1.08430", effectiveOn: "2026-11-01" }];
    expect(findRate(same, "EUR", "USD", "2026-11-10")).toMatchObject({ effectiveOn: "2026-11-01" });
  });
});

describe("convertAmount: properties", () => {
  it("a rate of 1 between currencies of the same exponent is the identity", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.constantFrom("1", "1.0", "1.0000"),
        fc.integer({ min: 0, max: 365 }),
        (minor, rate, offset) => {
          const one: FxRate[] = [{ from: "EUR", to: "USD", rate, effectiveOn: "2026-01-01" }];
          const on = addDays("2026-01-01", offset);
          expect(convertAmount({ minor, currency: "EUR", on }, "USD", one)).toMatchObject({ ok: true, minor });
        },
      ),
    );
  });
});
