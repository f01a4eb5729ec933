import { describe, expect, it } from "vitest";
import { addDays } from "../calendar";
import { type DailyUsage, rateAccountPeriod } from "./rate";
import type { RateCard } from "./rateCard";

const M = 1_000_000n; // micro-units per unit

function card(overrides: Partial<RateCard>): RateCard {
  return {
    plan: "Growth",
    currency: "USD",
    effectiveFrom: "2026-01-01",
    effectiveTo: null,
    baseFeeMinor: 0n,
    minimumCommitMinor: 0n,
    metrics: [],
    ...overrides,
  };
}

const gbAt = (unitPrice: string, includedUnits: string) => ({
  metric: "gb",
  includedUnits,
  pricing: { model: "flat" as const, unitPrice },
});

describe("rateAccountPeriod: one plan for the month", () => {
  it("base fee plus usage beyond the included units", () => {
    // $500.00 base + (1,318 - 1,000) GB x $0.25 = $500.00 + $79.50 = $579.50
    const rating = rateAccountPeriod({
      cards: [card({ baseFeeMinor: 50_000n, metrics: [gbAt("0.25", "1000")] })],
      period: "2026-10",
      usage: new Map([["gb", 1318n * M]]),
      currency: "USD",
    });
    expect(rating.baseFeeMinor).toBe(50_000n);
    expect(rating.expected).toEqual([
      expect.objectContaining({
        metric: "gb",
        usedMicro: 1318n * M,
        includedMicro: 1000n * M,
        billableMicro: 318n * M,
      }),
    ]);
    expect(rating.expected[0]?.amountMinor).toBe(7950n);
    expect(rating.commitTopUpMinor).toBe(0n);
    expect(rating.totalMinor).toBe(57_950n);
    expect(rating.planSegments).toEqual([
      { plan: "Growth", from: "2026-10-01", to: "2026-10-31", days: 31, share: "31/31" },
    ]);
    expect(rating.expected[0]?.explanation).toBe(
      "gb: 1,318 used, 1,000 included, 318 billable: 318 at $0.25 = $79.50.",
    );
    expect(rating.explanation).toBe(
      "Growth plan for all of 2026-10: base fee $500.00, gb $79.50. Expected total $579.50.",
    );
  });

  it("minimum commit: a top-up line brings the month to the commit", () => {
    // $100.00 base + $79.50 usage = $179.50 rated, under the $1,000.00 commit: top-up $820.50, total $1,000.00.
    const rating = rateAccountPeriod({
      cards: [card({ baseFeeMinor: 10_000n, minimumCommitMinor: 100_000n, metrics: [gbAt("0.25", "1000")] })],
      period: "2026-10",
      usage: new Map([["gb", 1318n * M]]),
      currency: "USD",
    });
    expect(rating.minimumCommitMinor).toBe(100_000n);
    expect(rating.commitTopUpMinor).toBe(82_050n);
    expect(rating.totalMinor).toBe(100_000n);
    expect(rating.explanation).toContain("Rated $179.50, under the minimum commit $1,000.00: top-up $820.50.");
  });

  it("no top-up when the month already exceeds the commit", () => {
    const rating = rateAccountPeriod({
      cards: [card({ baseFeeMinor: 100_000n, minimumCommitMinor: 50_000n })],
      period: "2026-10",
      usage: new Map(),
      currency: "USD",
    });
    expect(rating.commitTopUpMinor).toBe(0n);
    expect(rating.totalMinor).toBe(100_000n);
  });

  it("usage of a metric the plan does not price is listed, not charged", () => {
    const rating = rateAccountPeriod({
      cards: [card({ metrics: [gbAt("0.25", "0")] })],
      period: "2026-10",
      usage: new Map([["seats", 12n * M]]),
      currency: "USD",
    });
    const seats = rating.expected.find((line) => line.metric === "seats");
    expect(seats?.amountMinor).toBe(0n);
    expect(seats?.explanation).toBe("seats: 12 used; the Growth plan does not price seats, so none is charged.");
  });
});

describe("rateAccountPeriod: plan change on the 15th of a 31-day month", () => {
  // October 2026 has 31 days. Growth ($500 base, 1,000 GB included, $0.25/GB) applies 1-14 Oct (14 days);
  // Scale ($1,500 base, 3,100 GB included, $0.20/GB) from 15 Oct (17 days).
  const cards = [
    card({ plan: "Growth", effectiveTo: "2026-10-15", baseFeeMinor: 50_000n, metrics: [gbAt("0.25", "1000")] }),
    card({ plan: "Scale", effectiveFrom: "2026-10-15", baseFeeMinor: 150_000n, metrics: [gbAt("0.20", "3100")] }),
  ];
  // 40 GB a day on Growth's 14 days (560 GB), 120 GB a day on Scale's 17 days (2,040 GB): 2,600 GB in all.
  const dailyUsage: DailyUsage[] = Array.from({ length: 31 }, (_, offset) => ({
    metric: "gb",
    day: addDays("2026-10-01", offset),
    quantity: (offset < 14 ? 40n : 120n) * M,
  }));

  it("prorates the base fee and included units by day and attributes each day's usage to its plan", () => {
    const rating = rateAccountPeriod({ cards, period: "2026-10", usage: new Map(), dailyUsage, currency: "USD" });
    expect(rating.planSegments).toEqual([
      { plan: "Growth", from: "2026-10-01", to: "2026-10-14", days: 14, share: "14/31" },
      { plan: "Scale", from: "2026-10-15", to: "2026-10-31", days: 17, share: "17/31" },
    ]);
    // Base fee: 500 x 14/31 + 1,500 x 17/31 = 32,500/31 = 1,048.387... -> $1,048.39 (rounded once).
    expect(rating.baseFeeMinor).toBe(104_839n);
    const gb = rating.expected[0];
    // Growth: 560 used, 1,000 x 14/31 = 451.612903 included, 108.387097 billable x 0.25 = 27.09677425.
    // Scale: 2,040 used, 3,100 x 17/31 = 1,700 included, 340 billable x 0.20 = 68.00.
    // Line: 95.09677425 -> $95.10.
    expect(gb?.parts.map((p) => [p.plan, p.usedMicro, p.includedMicro, p.billableMicro, p.amountMinor])).toEqual([
      ["Growth", 560n * M, 451_612_903n, 108_387_097n, 2710n],
      ["Scale", 2040n * M, 1700n * M, 340n * M, 6800n],
    ]);
    expect(gb?.amountMinor).toBe(9510n);
    expect(rating.totalMinor).toBe(104_839n + 9510n);
    expect(rating.explanation).toBe(
      "Growth plan until 2026-10-14, Scale from 2026-10-15: base fee prorated 14/31 of $500.00 and 17/31 of " +
        "$1,500.00 = $1,048.39, gb $95.10. Expected total $1,143.49.",
    );
    expect(gb?.explanation).toBe(
      "gb: Growth (14/31): 560 used, 451.61 included, 108.39 billable: 108.39 at $0.25 = $27.10; " +
        "Scale (17/31): 2,040 used, 1,700 included, 340 billable: 340 at $0.20 = $68.00; total $95.10.",
    );
  });

  it("without daily usage, splits the month's usage by days (2,600 GB: 14/31 and 17/31)", () => {
    const rating = rateAccountPeriod({
      cards,
      period: "2026-10",
      usage: new Map([["gb", 2600n * M]]),
      currency: "USD",
    });
    // 2,600 x 14/31 = 1,174.193548387 -> 1,174.193548; the rest, 1,425.806452, to Scale.
    expect(rating.expected[0]?.parts.map((p) => p.usedMicro)).toEqual([1_174_193_548n, 1_425_806_452n]);
  });

  it("rounds prorated included units to the metric's precision when told (whole seats)", () => {
    // Growth includes 20 seats x 14/31 = 9.03; Scale 50 seats x 17/31 = 27.42; together 36.45 -> 36 whole seats,
    // rounded once: Growth 9, Scale 36 - 9 = 27.
    const seats = (includedUnits: string) => ({
      metric: "seats",
      includedUnits,
      pricing: { model: "flat" as const, unitPrice: "35" },
    });
    const seatCards = [
      { ...cards[0]!, metrics: [seats("20")] },
      { ...cards[1]!, metrics: [seats("50")] },
    ];
    const input = { cards: seatCards, period: "2026-10", usage: new Map([["seats", 40n * M]]), currency: "USD" };
    const whole = rateAccountPeriod({ ...input, metricDecimals: { seats: 0 } });
    expect(whole.expected[0]?.parts.map((p) => p.includedMicro)).toEqual([9n * M, 27n * M]);
    const micro = rateAccountPeriod(input);
    expect(micro.expected[0]?.parts.map((p) => p.includedMicro)).toEqual([9_032_258n, 27_419_355n]);
  });

  it("prorates the minimum commit like the base fee", () => {
    // Only Scale has a commit ($3,100): 3,100 x 17/31 = $1,700.00; rated $1,048.39 base + $0 usage -> top-up $651.61.
    const withCommit = [cards[0]!, { ...cards[1]!, minimumCommitMinor: 310_000n }];
    const rating = rateAccountPeriod({ cards: withCommit, period: "2026-10", usage: new Map(), currency: "USD" });
    expect(rating.minimumCommitMinor).toBe(170_000n);
    expect(rating.commitTopUpMinor).toBe(170_000n - 104_839n);
    expect(rating.explanation).toContain("under the minimum commit prorated 17/31 of $3,100.00 = $1,700.00");
  });
});

describe("rateAccountPeriod: days without a rate card", () => {
  it("reports an effective-date gap and rates only the covered days", () => {
    // Growth ends 10 Oct (exclusive), Scale starts 20 Oct: 10-19 Oct (10 days) have no card.
    const rating = rateAccountPeriod({
      cards: [
        card({ plan: "Growth", effectiveTo: "2026-10-10", baseFeeMinor: 31_000n }),
        card({ plan: "Scale", effectiveFrom: "2026-10-20", baseFeeMinor: 31_000n }),
      ],
      period: "2026-10",
      usage: new Map([["gb", 31n * M]]),
      currency: "USD",
    });
    expect(rating.uncovered).toEqual([{ from: "2026-10-10", to: "2026-10-19", days: 10 }]);
    // $310 x 9/31 + $310 x 12/31 = $210.00: the 10 uncovered days are not charged.
    expect(rating.baseFeeMinor).toBe(21_000n);
    // 1 GB a day spread by days: 10 GB fall on the uncovered days.
    expect(rating.expected[0]?.unratedMicro).toBe(10n * M);
    expect(rating.problems).toEqual([
      { code: "no_rate_card", message: "No rate card covers 2026-10-10 to 2026-10-19 (10 days): they are not rated." },
    ]);
    expect(rating.explanation).toContain(
      "Growth plan until 2026-10-09, no rate card from 2026-10-10 to 2026-10-19, Scale from 2026-10-20",
    );
  });

  it("a period no card covers at all rates nothing and says so", () => {
    const rating = rateAccountPeriod({
      cards: [card({ effectiveFrom: "2027-01-01" })],
      period: "2026-10",
      usage: new Map([["gb", 5n * M]]),
      currency: "USD",
    });
    expect(rating.totalMinor).toBe(0n);
    expect(rating.expected[0]?.unratedMicro).toBe(5n * M);
    expect(rating.explanation).toBe(
      "No rate card covers 2026-10: nothing can be rated. No rate card covers 2026-10-01 to 2026-10-31 (31 days): they are not rated.",
    );
  });

  it("does not use a card in another currency, and says so", () => {
    const rating = rateAccountPeriod({
      cards: [card({ currency: "EUR", baseFeeMinor: 10_000n })],
      period: "2026-10",
      usage: new Map(),
      currency: "USD",
    });
    expect(rating.totalMinor).toBe(0n);
    expect(rating.problems.map((p) => p.code)).toEqual(["no_rate_card", "currency_mismatch"]);
  });
});
