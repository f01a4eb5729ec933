import { describe, expect, it } from "vitest";
import { formatInstant, formatMajor, formatMoneyCode, formatUsage, formatUsageDecimal, groupThousands } from "./format";

describe("money for people", () => {
  it("shows the ISO code and grouped major units at the currency's precision", () => {
    expect(formatMoneyCode({ minor: "1234567", currency: "USD" })).toBe("USD 12,345.67");
    expect(formatMoneyCode({ minor: "123400", currency: "EUR" })).toBe("EUR 1,234.00");
    expect(formatMoneyCode({ minor: "1234567", currency: "JPY" })).toBe("JPY 1,234,567");
    expect(formatMoneyCode({ minor: "1234567", currency: "BHD" })).toBe("BHD 1,234.567");
    expect(formatMoneyCode({ minor: "-5", currency: "USD" })).toBe("USD -0.05");
    expect(formatMoneyCode({ minor: "-123456789", currency: "USD" })).toBe("USD -1,234,567.89");
    expect(formatMoneyCode(null)).toBe("—");
  });

  it("stays exact where a float would not", () => {
    // 2^53 + 1 cents: a float would print ...40.92.
    expect(formatMoneyCode({ minor: "9007199254740993", currency: "USD" })).toBe("USD 90,071,992,547,409.93");
    expect(formatMajor(10n ** 30n + 1n, "USD")).toBe("10,000,000,000,000,000,000,000,000,000.01");
  });

  it("groups only the whole part", () => {
    expect(groupThousands("1234.5678")).toBe("1,234.5678");
    expect(groupThousands("-999")).toBe("-999");
    expect(groupThousands("-1000")).toBe("-1,000");
    expect(groupThousands("100000")).toBe("100,000");
  });
});

describe("usage and time for people", () => {
  it("formats micro-units and decimals alike, with the unit", () => {
    expect(formatUsage("1250500000", "GB")).toBe("1,250.5 GB");
    expect(formatUsage(1_318_456_000n, null)).toBe("1,318.46");
    expect(formatUsageDecimal("25310.5", "calls")).toBe("25,310.5 calls");
  });

  it("writes instants in UTC to the minute and refuses a non-instant", () => {
    expect(formatInstant("2026-11-15T14:03:59.999Z")).toBe("2026-11-15 14:03 UTC");
    expect(formatInstant("2026-11-15T23:30:00-05:00")).toBe("2026-11-16 04:30 UTC");
    expect(() => formatInstant("yesterday")).toThrow(RangeError);
  });
});
