import { describe, expect, it } from "vitest";
import { dueDigestSlot, localDayAndHour } from "./slots";

const schedule = { daysBefore: [14, 7, 3, 1], hour: 9, timeZone: "America/New_York" };

describe("digest slots", () => {
  it("falls on the tenant's local day, from the tenant's hour", () => {
    // 2026-12-24 is 7 days before 2026-12-31. 13:59 UTC is 08:59 in New York: not yet; 14:00 UTC is 09:00.
    expect(dueDigestSlot(new Date("2026-12-24T13:59:00Z"), schedule)).toBeNull();
    expect(dueDigestSlot(new Date("2026-12-24T14:00:00Z"), schedule)).toEqual({
      key: "2026-Q4:-7d",
      quarter: "2026-Q4",
      quarterEnd: "2026-12-31",
      daysBefore: 7,
      localDay: "2026-12-24",
    });
    // 03:00 UTC on the 25th is still the 24th (22:00) in New York: the same slot, still due.
    expect(dueDigestSlot(new Date("2026-12-25T03:00:00Z"), schedule)?.key).toBe("2026-Q4:-7d");
    // 05:00 UTC on the 25th is the 25th in New York: 6 days before, no digest.
    expect(dueDigestSlot(new Date("2026-12-25T05:00:00Z"), schedule)).toBeNull();
  });

  it("uses the tenant's days and crosses into the next quarter's schedule", () => {
    const tokyo = { daysBefore: [2], hour: 0, timeZone: "Asia/Tokyo" };
    // 2027-03-29 in Tokyo (UTC+9) is 2 days before 2027-03-31, while UTC is still on the 28th.
    expect(dueDigestSlot(new Date("2027-03-28T16:00:00Z"), tokyo)?.key).toBe("2027-Q1:-2d");
    expect(dueDigestSlot(new Date("2026-12-29T00:00:00Z"), { ...tokyo, timeZone: "UTC" })?.key).toBe("2026-Q4:-2d");
    expect(dueDigestSlot(new Date("2026-12-17T12:00:00Z"), { ...schedule, timeZone: "UTC" })?.key).toBe("2026-Q4:-14d");
    expect(dueDigestSlot(new Date("2026-12-18T12:00:00Z"), { ...schedule, timeZone: "UTC" })).toBeNull();
  });

  it("reads the local day and hour across a daylight-saving change", () => {
    expect(localDayAndHour(new Date("2026-11-01T05:30:00Z"), "America/New_York")).toEqual({
      day: "2026-11-01",
      hour: 1,
    });
    expect(localDayAndHour(new Date("2026-11-01T06:30:00Z"), "America/New_York")).toEqual({
      day: "2026-11-01",
      hour: 1,
    });
    expect(localDayAndHour(new Date("2026-11-01T07:30:00Z"), "America/New_York")).toEqual({
      day: "2026-11-01",
      hour: 2,
    });
  });
});
