import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  dayNumber,
  dayOfNumber,
  daysBetween,
  periodOfDay,
  periodState,
  shiftPeriod,
  utcDay,
} from "./calendar";

describe("calendar", () => {
  it("counts days across month and year boundaries", () => {
    expect(daysBetween("2026-10-15", "2026-11-25")).toBe(41); // 16 days left in October + 25
    expect(daysBetween("2026-01-28", "2026-03-02")).toBe(33); // 3 + 28 (February 2026) + 2
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2); // leap year
    expect(daysBetween("2025-12-31", "2026-01-01")).toBe(1);
    expect(daysBetween("2026-11-25", "2026-10-15")).toBe(-41);
    expect(addDays("2026-10-30", 3)).toBe("2026-11-02");
  });

  it("counts days as Date.UTC does, and back, over four centuries either side of the epoch", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1600, 0, 1) / 86_400_000, max: Date.UTC(2400, 11, 31) / 86_400_000 }),
        (n) => {
          const day = new Date(n * 86_400_000).toISOString().slice(0, 10);
          expect(dayNumber(day)).toBe(n);
          expect(dayOfNumber(n)).toBe(day);
        },
      ),
      { numRuns: 2_000 },
    );
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayOfNumber(-1)).toBe("1969-12-31");
    expect(dayNumber("2000-02-29") - dayNumber("2000-02-28")).toBe(1); // 2000 is a leap year
    expect(() => dayNumber("1900-02-29")).toThrow(RangeError); // 1900 is not
    expect(() => dayNumber("2026-1-01")).toThrow(RangeError);
    expect(() => dayNumber("2026-00-10")).toThrow(RangeError);
    expect(() => dayNumber("2026-04-31")).toThrow(RangeError);
    expect(() => dayNumber("2026-04-3x")).toThrow(RangeError);
  });

  it("takes the UTC day of an instant", () => {
    expect(utcDay(new Date("2026-10-15T23:30:00Z"))).toBe("2026-10-15");
    expect(utcDay(new Date("2026-10-15T23:30:00-05:00"))).toBe("2026-10-16");
  });

  it("shifts periods across years", () => {
    expect(shiftPeriod("2026-01", -1)).toBe("2025-12");
    expect(shiftPeriod("2025-12", 1)).toBe("2026-01");
    expect(periodOfDay("2026-10-15")).toBe("2026-10");
  });

  it("rejects malformed days and periods", () => {
    expect(() => periodOfDay("2026-02-30")).toThrow(RangeError);
    expect(() => daysBetween("2026/01/01", "2026-01-02")).toThrow(RangeError);
    expect(() => shiftPeriod("2026-13", 1)).toThrow(RangeError);
  });

  it("says whether a period is open, invoicing or closed", () => {
    expect(periodState("2026-11", new Date("2026-11-30T23:59:59Z"))).toBe("open");
    expect(periodState("2026-11", new Date("2026-12-01T00:00:00Z"))).toBe("closed");
    expect(periodState("2026-11", new Date("2026-12-02T00:00:00Z"), 3)).toBe("invoicing");
    expect(periodState("2026-11", new Date("2026-12-04T00:00:00Z"), 3)).toBe("closed");
    expect(periodState("2026-12", new Date("2026-11-10T00:00:00Z"))).toBe("open");
  });
});
