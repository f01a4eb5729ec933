// Money from minor units and back, with each currency's own digits (the same cases as the HubSpot card's money tests).
import { currencyDigits, errorDetail, formatMoney, humanize, minorToDecimal, parseAmount } from "../format";

describe("money", () => {
  it("knows each currency's digits", () => {
    expect([currencyDigits("USD"), currencyDigits("JPY"), currencyDigits("KWD")]).toEqual([2, 0, 3]);
  });

  it("turns minor units into an exact decimal, sign included", () => {
    expect(minorToDecimal("123450", 2)).toBe("1234.50");
    expect(minorToDecimal("5", 2)).toBe("0.05");
    expect(minorToDecimal("-1234", 3)).toBe("-1.234");
    expect(minorToDecimal("1500", 0)).toBe("1500");
    // Past 2^53: a float would round this, the digit-by-digit conversion does not.
    expect(minorToDecimal("900719925474099312", 2)).toBe("9007199254740993.12");
  });

  it("formats in the viewer's locale", () => {
    expect(formatMoney({ minor: "123450", currency: "USD" }, "en-US")).toBe("$1,234.50");
    expect(formatMoney({ minor: "1500", currency: "JPY" }, "en-US")).toBe("¥1,500");
    expect(formatMoney({ minor: "-1234", currency: "KWD" }, "en-US")).toBe("-KWD\u00a01.234");
    expect(formatMoney({ minor: "123450", currency: "EUR" }, "de-DE")).toBe("1.234,50\u00a0€");
    expect(formatMoney({ minor: "900719925474099312", currency: "USD" }, "en-US")).toBe("$9,007,199,254,740,993.12");
  });

  it("shows an amount it cannot read as it came", () => {
    expect(formatMoney({ minor: "12.50", currency: "USD" }, "en-US")).toBe("12.50 USD");
  });

  it("reads a typed amount into minor units", () => {
    expect(parseAmount("12.5", "USD")).toEqual({ ok: true, money: { minor: "1250", currency: "USD" } });
    expect(parseAmount(" 1200 ", "JPY")).toEqual({ ok: true, money: { minor: "1200", currency: "JPY" } });
    expect(parseAmount("0.125", "KWD")).toEqual({ ok: true, money: { minor: "125", currency: "KWD" } });
  });

  it("says what is wrong with an amount it cannot take", () => {
    expect(parseAmount("12.345", "USD")).toEqual({ ok: false, reason: "Use at most 2 decimals for USD." });
    expect(parseAmount("1.5", "JPY")).toEqual({ ok: false, reason: "JPY has no decimals." });
    expect(parseAmount("0.00", "USD")).toEqual({ ok: false, reason: "Enter an amount above zero." });
    expect(parseAmount("-5", "USD")).toEqual({
      ok: false,
      reason: "Enter the amount in USD as a number, for example 12.50.",
    });
  });
});

describe("words", () => {
  it("humanizes codes", () => {
    expect(humanize("payment_failed")).toBe("Payment failed");
  });

  it("reads the detail out of an Apex failure", () => {
    expect(errorDetail({ body: { message: "Ask finance." } })).toBe("Ask finance.");
    expect(errorDetail({ body: [{ message: "One." }, { message: "Two." }] })).toBe("One. Two.");
    expect(errorDetail(new Error("Network down"))).toBe("Network down");
    expect(errorDetail(undefined)).toBe("Reckon is unavailable, try again in a minute.");
  });
});
