// The shared input rules: exact FX rates, IANA time zones, printable ids.
import { describe, expect, it } from "vitest";
import { canonicalTimeZone, fxRateValue, quickbooksItemId, sourceText, timeZoneName } from "./fields";

describe("fxRateValue", () => {
  it.each(["1", "0.0000000001", "1.0825", "9999999999.9999999999", "0001.5"])("accepts %s", (rate) => {
    expect(fxRateValue.safeParse(rate).success).toBe(true);
  });
  it.each(["0", "0.0", "-1", "1.", ".5", "1e3", "1,5", " 1", "12345678901", "1.12345678901", "NaN", "Infinity", ""])(
    "refuses %j",
    (rate) => {
      expect(fxRateValue.safeParse(rate).success).toBe(false);
    },
  );
  it("refuses numbers: rates are never floats", () => {
    expect(fxRateValue.safeParse(1.08).success).toBe(false);
  });
});

describe("time zones", () => {
  it.each([
    ["UTC", "UTC"],
    ["Europe/Paris", "Europe/Paris"],
    ["america/new_york", "America/New_York"],
    ["Etc/GMT+5", "Etc/GMT+5"],
  ])("knows %s as %s", (name, canonical) => {
    expect(timeZoneName.safeParse(name).success).toBe(true);
    expect(canonicalTimeZone(name)).toBe(canonical);
  });
  it.each(["Mars/Olympus", "+01:00", "Europe/Paris\n", "../etc/passwd", "", "Europe/Paris ".repeat(6)])(
    "refuses %j",
    (name) => {
      expect(timeZoneName.safeParse(name).success).toBe(false);
    },
  );
});

describe("ids", () => {
  it("takes printable source ids and refuses control characters", () => {
    const id = sourceText(200);
    expect(id.safeParse("cus_ABC 123 é").success).toBe(true);
    expect(id.safeParse("cus\u0000").success).toBe(false);
    expect(id.safeParse("a\nb").success).toBe(false);
    expect(id.safeParse("x".repeat(201)).success).toBe(false);
  });
  it("takes QuickBooks item ids that fit a URL segment", () => {
    expect(quickbooksItemId.safeParse("42").success).toBe(true);
    expect(quickbooksItemId.safeParse("4/2").success).toBe(false);
    expect(quickbooksItemId.safeParse("").success).toBe(false);
  });
});
