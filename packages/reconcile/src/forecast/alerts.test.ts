import { describe, expect, it } from "vitest";
import { addDays } from "../calendar";
import { MICRO } from "../quantity";
import { commitAlert, detectSpikes, usageAlerts } from "./alerts";
import { projectToQuarterEnd } from "./project";

const units = (n: number) => BigInt(n) * MICRO;
const asOf = new Date("2026-11-15T10:00:00Z");
const committed = units(1_000_000);

/** Flat usage since Oct 1: 45 actual days (Oct 1 - Nov 14) and 47 projected. */
function flatQuarter(perDay: number) {
  const series = Array.from({ length: 45 }, (_, i) => ({ day: addDays("2026-10-01", i), quantity: units(perDay) }));
  return projectToQuarterEnd({ series, asOf });
}

describe("committed volume alert", () => {
  it("warns when projected past the commit, with the day it crosses", () => {
    // 12,000 a day: 92 days = 1,104,000 (110%). Cumulative usage passes 1,000,000 on day 84 (84 · 12,000 = 1,008,000;
    // day 83 is 996,000): Oct 1 + 83 days = Dec 23.
    const alert = commitAlert({ metric: "api_calls", committed, projection: flatQuarter(12_000) });
    expect(alert).toMatchObject({
      kind: "commit",
      status: "approaching",
      severity: "warning",
      projectedBps: 11_040n,
      crossingDay: "2026-12-23",
      explanation:
        "api_calls is on track for 110% of the 1,000,000 committed this quarter, crossing it around 2026-12-23.",
    });
  });

  it("informs from 80% projected, and stays quiet below", () => {
    // 9,000 a day: 828,000 = 82.8% -> 83%, no crossing this quarter. 5,000 a day: 46%, no alert.
    const alert = commitAlert({ metric: "storage", unit: "GB", committed, projection: flatQuarter(9_000) });
    expect(alert).toMatchObject({ status: "approaching", severity: "info", crossingDay: null });
    expect(alert?.explanation).toBe("storage is on track for 83% of the 1,000,000 GB committed this quarter.");
    expect(commitAlert({ metric: "api_calls", committed, projection: flatQuarter(5_000) })).toBeNull();
    expect(commitAlert({ metric: "api_calls", committed: 0n, projection: flatQuarter(5_000) })).toBeNull();
  });

  it("is critical once actual usage exceeds the commit", () => {
    // 25,000 a day: 1,125,000 by Nov 14 (112.5% -> 112%, half-even); it passed 1,000,000 on day 41 (Nov 10);
    // 92 days project 2,300,000 (230%).
    const alert = commitAlert({ metric: "api_calls", committed, projection: flatQuarter(25_000) });
    expect(alert).toMatchObject({ status: "exceeded", severity: "critical", crossingDay: "2026-11-10" });
    expect(alert?.explanation).toBe(
      "api_calls has already used 1,125,000 of the 1,000,000 committed this quarter (112%), going over on 2026-11-10; " +
        "on track for 230% by 2026-12-31.",
    );
  });
});

/**
 * 60 baseline days (Sep 9 - Nov 7) repeating 1000 + d, 1000 − d, 1000 − d, 1000 + d: the least-squares line is exactly
 * flat at 1,000 (the pattern is symmetric), with SSE = 60·d², so s = d·sqrt(60 / 58). Then Nov 8-13 at 1,000 and the
 * last complete day, Nov 14, at `last`.
 */
function spiky(d: number, last: number) {
  const pattern = [d, -d, -d, d];
  const baseline = Array.from({ length: 60 }, (_, i) => ({
    day: addDays("2026-09-09", i),
    quantity: units(1000 + (pattern[i % 4] ?? 0)),
  }));
  const week = Array.from({ length: 7 }, (_, i) => ({
    day: addDays("2026-11-08", i),
    quantity: units(i === 6 ? last : 1000),
  }));
  return [...baseline, ...week];
}

describe("spike alert", () => {
  it("detects a day, and the week it lifts, far above the account's own trend", () => {
    // s = 100·sqrt(60/58) = 101.71. Day: 5,000 vs 1,000 = +400%, 4,000 / 101.71 = 39.3 s.
    // Week: 11,000 vs 7,000 = +57%, 4,000 / (101.71·√7 = 269.10) = 14.9 s.
    const alerts = detectSpikes({ metric: "api_calls", series: spiky(100, 5000), asOf });
    expect(alerts.map((a) => [a.window, a.actual, a.expected, a.deviations])).toEqual([
      ["day", units(5000), units(1000), 39.3],
      ["week", units(11_000), units(7000), 14.9],
    ]);
    expect(alerts[0]?.explanation).toBe(
      "api_calls on 2026-11-14 was 5,000, 400% above its trend of 1,000 (39.3 standard deviations).",
    );
    expect(alerts[1]?.explanation).toBe(
      "api_calls over the last 7 days (2026-11-08 to 2026-11-14) was 11,000, 57% above its trend of 7,000 " +
        "(14.9 standard deviations).",
    );
  });

  it("does not flag a normal day", () => {
    expect(detectSpikes({ metric: "api_calls", series: spiky(100, 1000), asOf })).toEqual([]);
    expect(detectSpikes({ metric: "api_calls", series: spiky(100, 1250), asOf })).toEqual([]); // 2.5 s, +25%
  });

  it("needs 50% above the trend, not only many deviations", () => {
    // s ≈ 1: 1,400 is ~390 s above but only +40%; 1,500 is exactly +50% and counts.
    expect(detectSpikes({ metric: "api_calls", series: spiky(1, 1400), asOf })).toEqual([]);
    expect(detectSpikes({ metric: "api_calls", series: spiky(1, 1500), asOf }).map((a) => a.window)).toEqual(["day"]);
  });

  it("needs a baseline of 14 days", () => {
    expect(detectSpikes({ metric: "api_calls", series: spiky(100, 5000).slice(50), asOf })).toEqual([]);
  });

  it("gathers the commit alert and spikes for one account", () => {
    const alerts = usageAlerts({ metric: "api_calls", series: spiky(100, 5000), asOf, committed: units(70_000) });
    expect(alerts.map((a) => a.kind)).toEqual(["commit", "spike", "spike"]);
  });
});
