import { describe, expect, it } from "vitest";
import { applyBps, changeBps, formatBpsPercent, formatQuantity, parseQuantity, ratioBps, withinBps } from "./quantity";

describe("quantities", () => {
  it("parses decimal strings into micro-units", () => {
    expect(parseQuantity("1250.5")).toBe(1_250_500_000n);
    expect(parseQuantity("0.000001")).toBe(1n);
    expect(parseQuantity("0.0000005")).toBe(0n); // half, 0 is even
    expect(parseQuantity("0.0000015")).toBe(2n); // half, 1 is odd
  });

  it("formats with grouping and at most maxDecimals", () => {
    expect(formatQuantity(1_250_500_000n, 2)).toBe("1,250.5");
    expect(formatQuantity(1_318_456_000n, 0)).toBe("1,318");
    expect(formatQuantity(1_318_456_000n, 2)).toBe("1,318.46");
    expect(formatQuantity(2_500_000n, 0)).toBe("2"); // 2.5 -> 2 (half-even)
    expect(formatQuantity(3_500_000n, 0)).toBe("4");
    expect(formatQuantity(1_234_567n, 6)).toBe("1.234567");
    expect(formatQuantity(-1_000_000_000n)).toBe("-1,000");
  });
});

describe("basis points", () => {
  it("computes ratios and changes exactly, rounded half-even", () => {
    expect(ratioBps(1318n, 1200n)).toBe(10_983n); // 109.833..%
    expect(changeBps(1318n, 1200n)).toBe(-895n); // (1200 - 1318) / 1318 = -8.953%
    expect(changeBps(1200n, 1318n)).toBe(983n);
    expect(changeBps(0n, 5n)).toBeNull();
    expect(ratioBps(1n, 20_000n)).toBe(0n); // 0.5 bp -> 0 (even)
    expect(ratioBps(3n, 20_000n)).toBe(2n); // 1.5 bp -> 2 (even)
    expect(applyBps(1318n, 500n)).toBe(66n); // 65.9
  });

  it("tests the threshold without any rounding", () => {
    expect(withinBps(1000n, 1050n, 500n)).toBe(true); // exactly +5%
    expect(withinBps(1000n, 950n, 500n)).toBe(true); // exactly -5%
    expect(withinBps(1_000_000_000n, 1_050_000_001n, 500n)).toBe(false); // 5% plus one micro-unit
    expect(withinBps(0n, 0n, 500n)).toBe(true);
    expect(withinBps(0n, 1n, 500n)).toBe(false);
  });

  it("prints percentages", () => {
    expect(formatBpsPercent(500n)).toBe("5%");
    expect(formatBpsPercent(250n)).toBe("2.5%");
    expect(formatBpsPercent(125n)).toBe("1.25%");
    expect(formatBpsPercent(-895n, { decimals: 1, signed: true })).toBe("-9.0%");
    expect(formatBpsPercent(983n, { decimals: 1, signed: true })).toBe("+9.8%");
    expect(formatBpsPercent(0n, { decimals: 1, signed: true })).toBe("0.0%");
    expect(formatBpsPercent(5n, { decimals: 1 })).toBe("0.0%"); // 0.05% -> 0.0 (half-even)
    expect(formatBpsPercent(15n, { decimals: 1 })).toBe("0.2%"); // 0.15% -> 0.2 (half-even)
  });
});
