import { describe, expect, it } from "vitest";
import { type RateCard, validateRateCards } from "./rateCard";

function card(overrides: Partial<RateCard>): RateCard {
  return {
    plan: "Growth",
    currency: "USD",
    effectiveFrom: "2026-01-01",
    effectiveTo: null,
    baseFeeMinor: 50_000n,
    minimumCommitMinor: 0n,
    metrics: [
      {
        metric: "gb",
        includedUnits: "1000",
        pricing: {
          model: "graduated",
          tiers: [
            { upTo: "10000", unitPrice: "0.10" },
            { upTo: null, unitPrice: "0.08", flatFeeMinor: 1000n },
          ],
        },
      },
    ],
    ...overrides,
  };
}

describe("validateRateCards", () => {
  it("finds nothing wrong with cards that follow each other", () => {
    const cards = [
      card({ effectiveTo: "2026-10-15" }),
      card({ plan: "Scale", effectiveFrom: "2026-10-15" }),
      card({ accountId: "other", effectiveFrom: "2026-03-01" }),
    ];
    expect(validateRateCards(cards)).toEqual([]);
  });

  it("reports overlapping effective ranges of one account, naming the card that wins", () => {
    const problems = validateRateCards([
      card({ plan: "Scale", effectiveFrom: "2026-10-10" }),
      card({ effectiveTo: "2026-10-15" }),
    ]);
    expect(problems).toEqual([
      {
        code: "overlapping_range",
        cardIndex: 0,
        plan: "Scale",
        effectiveFrom: "2026-10-10",
        metric: null,
        message:
          "Rate cards Growth (from 2026-01-01) and Scale (from 2026-10-10) overlap; where they do, Scale applies.",
      },
    ]);
  });

  it("does not mix accounts: the same dates on two accounts do not overlap", () => {
    expect(validateRateCards([card({ accountId: "a" }), card({ accountId: "b" })])).toEqual([]);
  });

  it("reports tiers that do not ascend, and a bounded or misplaced open tier", () => {
    const problems = validateRateCards([
      card({
        metrics: [
          {
            metric: "gb",
            includedUnits: "0",
            pricing: {
              model: "volume",
              tiers: [
                { upTo: "100", unitPrice: "1" },
                { upTo: "100", unitPrice: "0.9" },
                { upTo: null, unitPrice: "0.8" },
                { upTo: "500", unitPrice: "0.7" },
              ],
            },
          },
        ],
      }),
    ]);
    expect(problems.map((p) => [p.code, p.metric, p.message])).toEqual([
      [
        "last_tier_bounded",
        "gb",
        "Rate card Growth (from 2026-01-01): metric gb: the last tier ends at 500; usage beyond it would be priced at its rate.",
      ],
      [
        "tiers_not_ascending",
        "gb",
        "Rate card Growth (from 2026-01-01): metric gb: tier 2 must end above the tier before it.",
      ],
      [
        "tiers_not_ascending",
        "gb",
        "Rate card Growth (from 2026-01-01): metric gb: tier 4 must end above the tier before it, which has no upper bound.",
      ],
    ]);
  });

  it("reports negative prices, fees and included units, and malformed values", () => {
    const problems = validateRateCards([
      card({
        currency: "dollars",
        effectiveFrom: "2026-02-30",
        baseFeeMinor: -1n,
        metrics: [
          { metric: "gb", includedUnits: "-5", pricing: { model: "flat", unitPrice: "-0.25" } },
          { metric: "gb", includedUnits: "1e3", pricing: { model: "graduated", tiers: [] } },
          {
            metric: "seats",
            includedUnits: "0",
            pricing: { model: "graduated", tiers: [{ upTo: null, unitPrice: "1", flatFeeMinor: -100n }] },
          },
        ],
      }),
    ]);
    expect(problems.map((p) => `${p.code}:${p.metric ?? ""}`)).toEqual([
      "duplicate_metric:gb",
      "invalid_currency:",
      "invalid_date:",
      "invalid_decimal:gb",
      "negative_amount:",
      "negative_amount:gb",
      "negative_price:gb",
      "negative_price:seats",
      "no_tiers:gb",
    ]);
  });

  it("reports an effective range that ends before it starts", () => {
    const problems = validateRateCards([card({ effectiveFrom: "2026-10-15", effectiveTo: "2026-10-15" })]);
    expect(problems.map((p) => p.code)).toEqual(["empty_range"]);
  });
});
