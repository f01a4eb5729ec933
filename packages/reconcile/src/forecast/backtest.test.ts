import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysBetween } from "../calendar";
import { MICRO } from "../quantity";
import { backtestForecast } from "./backtest";
import { projectToQuarterEnd } from "./project";

const units = (n: number) => BigInt(n) * MICRO;
/** "2026-Q3" -> "2026-09-30". */
const quarterEndOf = (label: string) => {
  const [year, q] = label.split("-Q").map(Number) as [number, number];
  return addDays(`${year + (q === 4 ? 1 : 0)}-${String(q === 4 ? 1 : q * 3 + 1).padStart(2, "0")}-01`, -1);
};
const asOf = new Date("2026-11-15T10:00:00Z"); // day 46 of 2026-Q4: offset 45 days from Oct 1

describe("backtest", () => {
  it("tests each quarter with exactly the projection projectToQuarterEnd makes from its cutoff", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 120, maxLength: 500 }),
        fc.integer({ min: 1, max: 120 }),
        (quantities, lookbackDays) => {
          const first = addDays("2026-11-15", -quantities.length);
          const series = quantities.map((n, i) => ({ day: addDays(first, i), quantity: units(n) }));
          const backtest = backtestForecast({ series, asOf, lookbackDays });
          expect(backtest.quarters.length).toBeGreaterThan(0);
          for (const q of backtest.quarters) {
            const direct = projectToQuarterEnd({
              series,
              asOf: new Date(`${q.cutoff}T00:00:00Z`),
              quarterEnd: quarterEndOf(q.quarter),
              lookbackDays,
            });
            expect(q.forecast).toBe(direct.projectedTotal);
            expect(q.actual).toBe(
              series
                .filter((d) => d.day >= direct.quarterStart && d.day <= direct.quarterEnd)
                .reduce((a, d) => a + d.quantity, 0n),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reports MAPE on a constructed history with a known error", () => {
    // 1,000 units a day from 2025-10-01 to 2026-11-14, except 2,000 a day from 2026-08-15 (Q3's cutoff) to 09-30.
    // Each past quarter is projected from Q.start + 45 days; flat history projects 1,000 a day:
    //   2025-Q4, 2026-Q1, 2026-Q2: forecast = actual (92,000; 90,000; 91,000): error 0.
    //   2026-Q3: forecast 92 · 1,000 = 92,000; actual 45 · 1,000 + 47 · 2,000 = 139,000; |error| / actual = 33.81%.
    //   MAPE = (0 + 0 + 0 + 47,000 / 139,000) / 4 = 8.45% -> 8.5%.
    const days = daysBetween("2025-10-01", "2026-11-15");
    const series = Array.from({ length: days }, (_, i) => {
      const day = addDays("2025-10-01", i);
      return { day, quantity: units(day >= "2026-08-15" && day <= "2026-09-30" ? 2000 : 1000) };
    });
    const backtest = backtestForecast({ series, asOf });
    expect(backtest.dayOfQuarter).toBe(45);
    expect(backtest.quartersUsed).toEqual(["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]);
    expect(backtest.quarters.map((q) => q.cutoff)).toEqual(["2025-11-15", "2026-02-15", "2026-05-16", "2026-08-15"]);
    expect(backtest.quarters.map((q) => q.absolutePercentError)).toEqual([0, 0, 0, 33.8]);
    expect(backtest.quarters[3]).toMatchObject({
      forecast: units(92_000),
      actual: units(139_000),
      error: units(-47_000),
    });
    expect(backtest.mapePercent).toBe(8.5);
    expect(backtest.formula).toContain("|actual - forecast| / actual");
    expect(backtest.explanation).toBe(
      "Projected from day 46 of each quarter, the forecast missed the actual quarter total by 8.5% on average (MAPE) " +
        "over 4 quarters, 2025-Q4 to 2026-Q3.",
    );
  });

  it("skips quarters without enough history and says so when none is left", () => {
    const series = Array.from({ length: 20 }, (_, i) => ({ day: addDays("2026-09-01", i), quantity: units(5) }));
    const backtest = backtestForecast({ series, asOf });
    expect(backtest).toMatchObject({ mapePercent: null, quarters: [], quartersUsed: [] });
    expect(backtest.explanation).toContain("Not enough history");
  });

  it("keeps quarters with no usage out of the mean", () => {
    // Usage only in 2026-Q1 (1 unit a day): Q2 and Q3 have actual 0, listed but not in the MAPE.
    const series = Array.from({ length: 90 }, (_, i) => ({ day: addDays("2026-01-01", i), quantity: units(1) }));
    const backtest = backtestForecast({ series, asOf, minHistoryDays: 0 });
    expect(backtest.quarters.map((q) => q.quarter)).toEqual(["2026-Q1", "2026-Q2", "2026-Q3"]);
    expect(backtest.quartersUsed).toEqual(["2026-Q1"]);
    expect(backtest.quarters[1]?.absolutePercentError).toBeNull();
  });

  it("MAPE is never negative", () => {
    const series = fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 500 }).map((i) => addDays("2025-06-01", i)),
        quantity: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      }),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(series, (rows) => {
        const backtest = backtestForecast({ series: rows, asOf, minHistoryDays: 7 });
        if (backtest.mapePercent !== null) expect(backtest.mapePercent).toBeGreaterThanOrEqual(0);
        for (const q of backtest.quarters) expect(q.absolutePercentError ?? 0).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 30 },
    );
  });
});
