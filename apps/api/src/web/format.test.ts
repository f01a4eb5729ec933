import { describe, expect, it } from "vitest";
import { currencyExponent, formatInstant, formatMoney, formatPeriod, formatQuantity, paymentLabel } from "./format";

describe("formatMoney", () => {
  it("formats minor units with the currency's exponent", () => {
    expect(formatMoney({ minor: "520000", currency: "USD" })).toBe("$5,200.00");
    expect(formatMoney({ minor: "5", currency: "USD" })).toBe("$0.05");
    expect(formatMoney({ minor: "0", currency: "EUR" })).toBe("€0.00");
  });

  it("is exact for amounts beyond a double's precision", () => {
    expect(formatMoney({ minor: "123456789012345678901", currency: "USD" })).toBe("$1,234,567,890,123,456,789.01");
    expect(formatMoney({ minor: "9007199254740993", currency: "USD" })).toBe("$90,071,992,547,409.93");
  });

  it("uses no fraction for JPY and three digits for KWD", () => {
    expect(currencyExponent("JPY")).toBe(0);
    expect(formatMoney({ minor: "1250000", currency: "JPY" })).toBe("¥1,250,000");
    expect(formatMoney({ minor: "1234567", currency: "KWD" })).toBe("KWD\u00a01,234.567");
  });

  it("formats negative amounts, including ones below one unit", () => {
    expect(formatMoney({ minor: "-150075", currency: "USD" })).toBe("-$1,500.75");
    expect(formatMoney({ minor: "-7", currency: "USD" })).toBe("-$0.07");
    expect(formatMoney({ minor: "-300", currency: "JPY" })).toBe("-¥300");
  });
});

describe("formatQuantity", () => {
  it("groups and drops trailing zeros", () => {
    expect(formatQuantity("1250.500000")).toBe("1,250.5");
    expect(formatQuantity("1250.000000")).toBe("1,250");
    expect(formatQuantity("0")).toBe("0");
  });

  it("keeps every significant decimal exactly", () => {
    expect(formatQuantity("12345678901234567890.123456")).toBe("12,345,678,901,234,567,890.123456");
    expect(formatQuantity("-3.25")).toBe("-3.25");
  });

  it("passes through text that is not a decimal", () => {
    expect(formatQuantity("n/a")).toBe("n/a");
  });
});

describe("dates and labels", () => {
  it("formats instants in UTC and periods as month names", () => {
    expect(formatInstant("2025-10-01T14:32:09.000Z")).toBe("2025-10-01 14:32 UTC");
    expect(formatPeriod("2025-10")).toBe("Oct 2025");
  });

  it("says how late an overdue invoice is", () => {
    expect(paymentLabel("overdue", 12)).toBe("Overdue 12 days");
    expect(paymentLabel("overdue", 1)).toBe("Overdue 1 day");
    expect(paymentLabel("paid", 0)).toBe("Paid ✓");
    expect(paymentLabel("paid", 86)).toBe("Paid ✓ · older invoice 86 days late");
    expect(paymentLabel("failed", 3)).toBe("Payment failed · 3 days late");
    expect(paymentLabel(null, 0)).toBe("No invoice yet");
  });
});

describe("microToDecimal", () => {
  it("turns forecast micro-units into exact decimals", async () => {
    const { microToDecimal } = await import("./findings");
    expect(microToDecimal("1250500000")).toBe("1250.5");
    expect(microToDecimal("5")).toBe("0.000005");
    expect(microToDecimal("0")).toBe("0");
    expect(microToDecimal("-3000000")).toBe("-3");
    const { roundForDisplay } = await import("./findings");
    expect(microToDecimal(roundForDisplay("4915157953791"))).toBe("4915158");
    expect(microToDecimal(roundForDisplay("12345678"))).toBe("12.35");
  });
});
