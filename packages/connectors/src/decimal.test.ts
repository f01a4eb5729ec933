import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, decimalToMinor, formatDecimal, parseDecimal, toDecimalString } from "./decimal";

describe("decimalToMinor", () => {
  it("converts the float classics exactly", () => {
    expect(decimalToMinor(0.1 + 0.2, 2)).toBe(30n); // "0.30000000000000004"
    expect(decimalToMinor(1.005, 2)).toBe(100n); // "1.005": half-even to 1.00 (a float product gives 100.49999)
    expect(decimalToMinor(1.015, 2)).toBe(102n); // half-even: ...5 rounds to the even neighbour
    expect(decimalToMinor(19.99, 2)).toBe(1999n); // 19.99 * 100 = 1998.9999999999998
    expect(decimalToMinor(4.35, 2)).toBe(435n); // 4.35 * 100 = 434.99999999999994
  });

  it("reads strings, signs and exponents", () => {
    expect(decimalToMinor("123.45", 2)).toBe(12345n);
    expect(decimalToMinor("-0.5", 2)).toBe(-50n);
    expect(decimalToMinor(-12.345, 2)).toBe(-1234n);
    expect(decimalToMinor(-12.355, 2)).toBe(-1236n);
    expect(decimalToMinor(1e21, 2)).toBe(100000000000000000000000n);
    expect(decimalToMinor("1.5e-3", 3)).toBe(2n);
    expect(decimalToMinor(".5", 2)).toBe(50n);
    expect(decimalToMinor("7", 0)).toBe(7n);
  });

  it("honours 0- and 3-decimal currencies", () => {
    expect(decimalToMinor(1250, currencyExponent("JPY"))).toBe(1250n);
    expect(decimalToMinor(1250.5, currencyExponent("jpy"))).toBe(1250n); // half-even
    expect(decimalToMinor(12.345, currencyExponent("KWD"))).toBe(12345n);
    expect(decimalToMinor("0.0005", currencyExponent("BHD"))).toBe(0n);
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("EUR")).toBe(2);
  });

  it("rejects what is not a finite decimal", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, "", "abc", "1,5", "1.2.3", "--1", "1e", "."]) {
      expect(() => decimalToMinor(bad, 2), String(bad)).toThrow(RangeError);
    }
  });

  it("agrees with integer arithmetic for every cent amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), (cents) => {
        const major = cents / 100; // the float a JSON parser hands us
        expect(decimalToMinor(major, 2)).toBe(BigInt(cents));
      }),
    );
  });
});

describe("decimal strings", () => {
  it("formats without exponent or trailing zeros", () => {
    expect(toDecimalString(1e-7)).toBe("0.0000001");
    expect(toDecimalString(1e21)).toBe("1000000000000000000000");
    expect(toDecimalString("12.500")).toBe("12.5");
    expect(toDecimalString("-0.0")).toBe("0");
    expect(formatDecimal(parseDecimal("0.125"))).toBe("0.125");
  });
});
