import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysBetween } from "../calendar";
import { MICRO } from "../quantity";
import { projectRevenue, projectToQuarterEnd, type UsageDay } from "./project";

const units = (n: number | bigint) => BigInt(n) * MICRO;
const asOf = new Date("2026-11-15T10:00:00Z");

/** One row per day from `from` for `count` days, quantity in whole units from `value(i)`. */
function daily(from: string, count: number, value: (i: number) => number): UsageDay[] {
  return Array.from({ length: count }, (_, i) => ({ day: addDays(from, i), quantity: units(value(i)) }));
}

describe("projection to quarter end", () => {
  it("counts Oct 1 - Nov 14 as actual and projects Nov 15 - Dec 31 (UTC)", () => {
    // Constant 1,000 units a day since Oct 1: 45 actual days (31 + 14) = 45,000, and 47 projected days (16 + 31) =
    // 47,000, for 92,000 in 2026-Q4. The data is a perfect (flat) line, so the band has zero width.
    const projection = projectToQuarterEnd({ series: daily("2026-10-01", 45, () => 1000), asOf });
    expect(projection).toMatchObject({
      quarter: "2026-Q4",
      quarterStart: "2026-10-01",
      quarterEnd: "2026-12-31",
      asOfDay: "2026-11-15",
      toDate: units(45_000),
      projectedRemaining: units(47_000),
      projectedTotal: units(92_000),
      band: { low: units(92_000), high: units(92_000) },
      slopePerDay: 0n,
      pointsUsed: 45,
      confidence: "normal",
      method: "linear least squares over the last 45 days",
    });
    expect(projection.trend[0]?.day).toBe("2026-10-01");
    expect(projection.trend.at(-1)?.day).toBe("2026-12-31");
    expect(projection.trend.find((p) => p.day === "2026-11-14")?.actual).toBe(units(1000));
    expect(projection.trend.find((p) => p.day === "2026-11-15")?.actual).toBeNull();
    // Usage reported for the running day (Nov 15) or later is ignored: it is not complete yet.
    const withToday = projectToQuarterEnd({ series: daily("2026-10-01", 46, () => 1000), asOf });
    expect(withToday.projectedTotal).toBe(units(92_000));
  });

  it("projects a perfect line exactly", () => {
    // 10, 20, 30 units on Nov 12-14: slope 10 a day, so Nov 15 = 40 ... Dec 31 (49 days after Nov 12) = 500.
    // Remaining = 47 days of an arithmetic series = 47 · (40 + 500) / 2 = 12,690; to date 60; total 12,750.
    const projection = projectToQuarterEnd({ series: daily("2026-11-12", 3, (i) => 10 * (i + 1)), asOf });
    expect(projection).toMatchObject({
      toDate: units(60),
      projectedRemaining: units(12_690),
      projectedTotal: units(12_750),
      band: { low: units(12_750), high: units(12_750) },
      slopePerDay: units(10),
      pointsUsed: 3,
    });
    const last = projection.trend.at(-1);
    expect(last).toEqual({ day: "2026-12-31", actual: null, fitted: units(500), low: units(500), high: units(500) });
  });

  it("has a positive band for noisy data, widening with distance", () => {
    const series = daily("2026-09-01", 75, (i) => 1000 + (i % 2 === 0 ? 50 : -50));
    const projection = projectToQuarterEnd({ series, asOf });
    expect(projection.band.high).toBeGreaterThan(projection.projectedTotal);
    expect(projection.band.low).toBeLessThan(projection.projectedTotal);
    const width = (day: string) => {
      const point = projection.trend.find((p) => p.day === day);
      return (point?.high ?? 0n) - (point?.low ?? 0n);
    };
    expect(width("2026-11-15")).toBeGreaterThan(0n);
    expect(width("2026-12-31")).toBeGreaterThan(width("2026-11-15"));
  });

  it("falls back to a flat, low-confidence projection with fewer than 2 points", () => {
    // One day of 500 units: 500 a day for the 47 remaining days = 23,500, plus the 500 actual.
    const one = projectToQuarterEnd({ series: [{ day: "2026-11-14", quantity: units(500) }], asOf });
    expect(one).toMatchObject({ projectedTotal: units(24_000), confidence: "low", pointsUsed: 1 });
    expect(one.method).toContain("low confidence");
    const none = projectToQuarterEnd({ series: [], asOf });
    expect(none).toMatchObject({ projectedTotal: 0n, confidence: "low", pointsUsed: 0 });
    expect(none.trend).toHaveLength(92);
  });

  it("clamps a falling trend at zero", () => {
    // 100, 80, 60, 40, 20 on Nov 10-14: the line reaches 0 on Nov 15 and would go negative after.
    const projection = projectToQuarterEnd({ series: daily("2026-11-10", 5, (i) => 100 - 20 * i), asOf });
    expect(projection.projectedRemaining).toBe(0n);
    expect(projection.projectedTotal).toBe(units(300));
    expect(projection.trend.every((p) => p.fitted >= 0n && p.low >= 0n)).toBe(true);
  });

  it("projects a chosen quarter: a past one is all actuals, a future one all projection", () => {
    const series = daily("2026-06-01", 167, () => 10); // Jun 1 - Nov 14
    const past = projectToQuarterEnd({ series, asOf, quarterEnd: "2026-09-30" });
    expect(past).toMatchObject({ quarter: "2026-Q3", toDate: units(920), projectedRemaining: 0n });
    const next = projectToQuarterEnd({ series, asOf, quarterEnd: "2027-03-31" });
    expect(next).toMatchObject({ quarter: "2027-Q1", toDate: 0n, projectedRemaining: units(900) });
    expect(() => projectToQuarterEnd({ series, asOf, quarterEnd: "2026-12-30" })).toThrow(RangeError);
  });
});

describe("revenue projection", () => {
  it("projects the quarter's billed revenue from monthly bills", () => {
    // $1,000, $1,100, ... $1,600 for Apr-Oct: +$100 a month, so Nov = $1,700 and Dec = $1,800 (Nov is running).
    const months = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      period: `2026-${String(4 + i).padStart(2, "0")}`,
      amountMinor: BigInt(100_000 + 10_000 * i),
    }));
    const projection = projectRevenue({ months, currency: "usd", asOf });
    expect(projection).toMatchObject({
      quarter: "2026-Q4",
      currency: "USD",
      asOfPeriod: "2026-11",
      toDate: 160_000n,
      projectedRemaining: 350_000n,
      projectedTotal: 510_000n,
      slopePerMonth: 10_000n,
      band: { low: 510_000n, high: 510_000n },
      method: "linear least squares over the last 7 months",
    });
    expect(projection.trend.map((p) => p.period)).toEqual([
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
      "2026-11",
      "2026-12",
    ]);
  });
});

// A complete daily series from Sep 1 to the day before asOf, asOf somewhere in 2026-Q4.
const scenario = fc
  .integer({ min: 0, max: 91 })
  .chain((offset) =>
    fc.record({
      asOfDay: fc.constant(addDays("2026-10-01", offset)),
      values: fc.array(fc.bigInt({ min: 500_000_000n, max: 1_000_000_000n }), {
        minLength: 30 + offset,
        maxLength: 30 + offset,
      }),
    }),
  )
  .map(({ asOfDay, values }) => ({
    asOf: new Date(`${asOfDay}T12:00:00Z`),
    asOfDay,
    series: values.map((quantity, i) => ({ day: addDays("2026-09-01", i), quantity })),
  }));

describe("projection properties", () => {
  it("adding a constant to every day shifts the quarter by that constant times its days", () => {
    fc.assert(
      fc.property(scenario, fc.bigInt({ min: 0n, max: 10n ** 9n }), ({ asOf, asOfDay, series }, c) => {
        const base = projectToQuarterEnd({ series, asOf });
        fc.pre(base.trend.every((p) => p.fitted > 0n)); // no day clamped at zero
        const shifted = projectToQuarterEnd({ series: series.map((d) => ({ ...d, quantity: d.quantity + c })), asOf });
        const actualDays = BigInt(daysBetween("2026-10-01", asOfDay));
        expect(shifted.toDate - base.toDate).toBe(c * actualDays);
        expect(shifted.projectedRemaining - base.projectedRemaining).toBe(c * (92n - actualDays));
        expect(shifted.projectedTotal - base.projectedTotal).toBe(c * 92n);
      }),
      { numRuns: 60 },
    );
  });

  it("does not depend on input order", () => {
    fc.assert(
      fc.property(
        scenario.chain((sc) =>
          fc.record({
            sc: fc.constant(sc),
            shuffled: fc.shuffledSubarray(sc.series, { minLength: sc.series.length, maxLength: sc.series.length }),
          }),
        ),
        ({ sc: { asOf, series }, shuffled }) => {
          expect(projectToQuarterEnd({ series: shuffled, asOf })).toEqual(projectToQuarterEnd({ series, asOf }));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("never projects below zero, even for falling or sparse usage", () => {
    const sparse = fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 120 }).map((i) => addDays("2026-08-01", i)),
        quantity: fc.bigInt({ min: 0n, max: 10n ** 10n }),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(sparse, (series) => {
        const projection = projectToQuarterEnd({ series, asOf });
        expect(projection.projectedRemaining).toBeGreaterThanOrEqual(0n);
        expect(projection.band.low).toBeGreaterThanOrEqual(projection.toDate);
        expect(projection.band.high).toBeGreaterThanOrEqual(projection.projectedTotal);
        for (const p of projection.trend) expect(p.low >= 0n && p.fitted >= p.low && p.high >= p.fitted).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
