import { describe, expect, it } from "vitest";
import { divideHalfEven, parseScaled, toDecimalString } from "./decimal";
import {
  currencyExponent,
  decimalToMinor,
  formatMoney,
  minorToDecimal,
  normalizeCurrency,
  sumMoney,
  totalsByCurrency,
} from "./money";

describe("half-even rounding (the one rule)", () => {
  it("sends exact halves to the even neighbour, both signs", () => {
    expect(divideHalfEven(5n, 2n)).toBe(2n); // 2.5 -> 2
    expect(divideHalfEven(7n, 2n)).toBe(4n); // 3.5 -> 4
    expect(divideHalfEven(-5n, 2n)).toBe(-2n);
    expect(divideHalfEven(-7n, 2n)).toBe(-4n);
    expect(divideHalfEven(5n, -2n)).toBe(-2n);
  });

  it("rounds non-halves to the nearest", () => {
    expect(divideHalfEven(26n, 10n)).toBe(3n); // 2.6
    expect(divideHalfEven(24n, 10n)).toBe(2n); // 2.4
    expect(divideHalfEven(-26n, 10n)).toBe(-3n);
  });

  it("refuses to divide by zero", () => {
    expect(() => divideHalfEven(1n, 0n)).toThrow(RangeError);
  });
});

describe("decimal strings", () => {
  it("parses exactly, padding or rounding to the scale", () => {
    expect(parseScaled("1250.5", 6)).toBe(1_250_500_000n);
    expect(parseScaled("-0.25", 2)).toBe(-25n);
    expect(parseScaled("7", 0)).toBe(7n);
    expect(parseScaled("0.125", 2)).toBe(12n);
    expect(parseScaled("0.135", 2)).toBe(14n);
    expect(parseScaled("+3.10", 1)).toBe(31n);
  });

  it("rejects what is not a plain decimal", () => {
    for (const bad of ["", "1e3", "1,000", " 1", "1.", ".5", "abc", "NaN", "--1"]) {
      expect(() => parseScaled(bad, 2), bad).toThrow(RangeError);
    }
  });

  it("prints without trailing zeros and round-trips", () => {
    expect(toDecimalString(1_250_500_000n, 6)).toBe("1250.5");
    expect(toDecimalString(-5n, 2)).toBe("-0.05");
    expect(toDecimalString(0n, 3)).toBe("0");
    expect(toDecimalString(42n, 0)).toBe("42");
    expect(parseScaled(toDecimalString(-123_456_789n, 6), 6)).toBe(-123_456_789n);
  });
});

describe("currencies", () => {
  it("knows ISO 4217 exponents", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("eur")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KRW")).toBe(0);
    for (const code of ["BHD", "KWD", "JOD", "OMR", "TND"]) expect(currencyExponent(code)).toBe(3);
  });

  it("normalizes codes and rejects non-codes", () => {
    expect(normalizeCurrency(" usd")).toBe("USD");
    expect(() => normalizeCurrency("US")).toThrow(RangeError);
    expect(() => normalizeCurrency("US1")).toThrow(RangeError);
  });
});

describe("decimalToMinor", () => {
  it("converts major units to minor units exactly", () => {
    expect(decimalToMinor("5200", "USD")).toBe(520_000n);
    expect(decimalToMinor("5200.5", "USD")).toBe(520_050n);
    expect(decimalToMinor("1234", "JPY")).toBe(1234n);
    expect(decimalToMinor("1.234", "BHD")).toBe(1234n);
    // 0.1 + 0.2 is 0.30000000000000004 in floats; here it is just 30 cents.
    expect(decimalToMinor("0.1", "USD") + decimalToMinor("0.2", "USD")).toBe(decimalToMinor("0.3", "USD"));
  });

  it("rounds extra decimals half-even", () => {
    expect(decimalToMinor("10.125", "USD")).toBe(1012n); // half, 2 is even: down
    expect(decimalToMinor("10.135", "USD")).toBe(1014n); // half, 3 is odd: up
    expect(decimalToMinor("10.1251", "USD")).toBe(1013n); // more than half: up
    expect(decimalToMinor("2.5", "JPY")).toBe(2n);
    expect(decimalToMinor("3.5", "JPY")).toBe(4n);
    expect(decimalToMinor("-10.125", "USD")).toBe(-1012n);
  });

  it("round-trips through minorToDecimal", () => {
    expect(minorToDecimal(520_050n, "USD")).toBe("5200.5");
    expect(decimalToMinor(minorToDecimal(123_456_789n, "BHD"), "BHD")).toBe(123_456_789n);
  });
});

describe("formatMoney", () => {
  it("formats for people in the currency's precision", () => {
    expect(formatMoney(520_000n, "USD")).toBe("$5,200.00");
    expect(formatMoney(-1n, "USD")).toBe("-$0.01");
    expect(formatMoney(1_234_567n, "JPY")).toBe("¥1,234,567");
    expect(formatMoney(1234n, "BHD")).toBe("BHD\u00a01.234");
    expect(formatMoney(520_000n, "EUR", "de-DE")).toBe("5.200,00\u00a0€");
  });

  it("is exact beyond float precision", () => {
    expect(formatMoney(12_345_678_901_234_567_891n, "USD")).toBe("$123,456,789,012,345,678.91");
  });
});

describe("sums", () => {
  it("adds one currency and refuses to mix", () => {
    expect(
      sumMoney("USD", [
        { minor: 100n, currency: "USD" },
        { minor: 250n, currency: "usd" },
      ]),
    ).toEqual({ minor: 350n, currency: "USD" });
    expect(sumMoney("EUR", [])).toEqual({ minor: 0n, currency: "EUR" });
    expect(() => sumMoney("USD", [{ minor: 1n, currency: "EUR" }])).toThrow(RangeError);
  });

  it("totals per currency with sorted keys", () => {
    const totals = totalsByCurrency([
      { minor: 5n, currency: "USD" },
      { minor: 7n, currency: "EUR" },
      { minor: 1n, currency: "usd" },
    ]);
    expect(totals).toEqual({ EUR: 7n, USD: 6n });
    expect(Object.keys(totals)).toEqual(["EUR", "USD"]);
  });
});
