import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../calendar";
import { MICRO } from "../quantity";
import { forecastPortfolio, type PortfolioAccount } from "./portfolio";
import { projectRevenue, projectToQuarterEnd, type UsageProjection } from "./project";

const asOf = new Date("2026-11-15T10:00:00Z");
const units = (n: number) => BigInt(n) * MICRO;

function flat(perDay: number, noise = 0): UsageProjection {
  const series = Array.from({ length: 60 }, (_, i) => ({
    day: addDays("2026-09-16", i),
    quantity: units(perDay + (i % 2 === 0 ? noise : -noise)),
  }));
  return projectToQuarterEnd({ series, asOf });
}

describe("portfolio forecast", () => {
  // Flat 1,000 and 2,000 units a day: 92,000 + 184,000 = 276,000 for 2026-Q4; the partial account (5,000 a day) is out.
  const accounts: Array<PortfolioAccount<UsageProjection>> = [
    { accountId: "acme", name: "Acme", partialSync: false, projection: flat(1000) },
    { accountId: "globex", name: "Globex", partialSync: true, projection: flat(5000) },
    { accountId: "initech", partialSync: false, projection: flat(2000, 100) },
  ];

  it("sums account projections and leaves out partial syncs, saying why", () => {
    const forecast = forecastPortfolio({ quarter: "2026-Q4", accounts });
    expect(forecast).toMatchObject({
      quarter: "2026-Q4",
      quarterStart: "2026-10-01",
      quarterEnd: "2026-12-31",
      included: ["acme", "initech"],
      // Initech alternates 2,100 / 1,900 from Sep 16; Oct 1 - Nov 14 holds 22 highs and 23 lows: 90,000 - 100.
      toDate: units(45_000 + 90_000 - 100),
      currency: null,
    });
    const initech = accounts[2]!.projection;
    expect(forecast.projectedTotal).toBe(units(92_000) + initech.projectedTotal);
    // The band is the plain sum of the accounts' bands (Acme's has zero width: its history is a perfect line).
    expect(forecast.band).toEqual({ low: units(92_000) + initech.band.low, high: units(92_000) + initech.band.high });
    expect(forecast.band.high).toBeGreaterThan(forecast.projectedTotal);
    expect(forecast.excluded).toEqual([
      {
        accountId: "globex",
        reason: "partial_sync",
        explanation:
          "Globex is left out of the forecast: its last sync was partial, so its data is incomplete until resolved.",
      },
    ]);
    expect(forecast.method).toContain("conservative");
    const dec31 = forecast.trend.find((p) => p.at === "2026-12-31");
    expect(dec31?.actual).toBeNull();
    expect(forecast.trend.find((p) => p.at === "2026-11-14")?.actual).toBe(units(1000 + 2000 - 100));
  });

  it("leaves out projections of another quarter or currency", () => {
    const other = projectToQuarterEnd({ series: [], asOf, quarterEnd: "2027-03-31" });
    const forecast = forecastPortfolio({
      quarter: "2026-Q4",
      accounts: [{ accountId: "hooli", partialSync: false, projection: other }],
    });
    expect(forecast.excluded.map((e) => e.reason)).toEqual(["other_quarter"]);
    expect(forecast.projectedTotal).toBe(0n);

    const months = [{ period: "2026-10", amountMinor: 100_000n }];
    const eur = projectRevenue({ months, currency: "EUR", asOf });
    const usd = projectRevenue({ months, currency: "USD", asOf });
    const revenue = forecastPortfolio({
      quarter: "2026-Q4",
      currency: "usd",
      accounts: [
        { accountId: "a", partialSync: false, projection: usd },
        { accountId: "b", partialSync: false, projection: eur },
      ],
    });
    expect(revenue).toMatchObject({ included: ["a"], currency: "USD", projectedTotal: 300_000n });
    expect(revenue.excluded[0]?.reason).toBe("other_currency");
    expect(() =>
      forecastPortfolio({ quarter: "2026-Q4", accounts: [{ accountId: "a", partialSync: false, projection: usd }] }),
    ).toThrow(RangeError);
  });

  it("does not depend on the order of accounts", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(accounts, { minLength: 3, maxLength: 3 }), (shuffled) => {
        expect(forecastPortfolio({ quarter: "2026-Q4", accounts: shuffled })).toEqual(
          forecastPortfolio({ quarter: "2026-Q4", accounts }),
        );
      }),
    );
  });
});
