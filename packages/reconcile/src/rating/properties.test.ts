import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../calendar";
import { toDecimalString } from "../decimal";
import { parseQuantity } from "../quantity";
import { priceQuantity } from "./price";
import { type DailyUsage, rateAccountPeriod } from "./rate";
import type { MetricPricing, PriceTier, RateCard } from "./rateCard";

const M = 1_000_000n;
// Prices up to $10 with up to 4 decimals ("0.0004"), fees up to $100, quantities up to 100,000 units.
const unitPrice = fc
  .tuple(fc.bigInt({ min: 0n, max: 100_000n }), fc.integer({ min: 0, max: 4 }))
  .map(([units, scale]) => toDecimalString(units, scale));
const flatFee = fc.option(fc.bigInt({ min: 0n, max: 10_000n }), { nil: undefined });
const quantity = fc.bigInt({ min: 0n, max: 100_000n * M });

/** 1-4 tiers with ascending bounds (in whole or fractional units), the last one open-ended. */
const tiers = fc
  .array(fc.record({ step: fc.bigInt({ min: 1n, max: 20_000n * M }), unitPrice, flatFeeMinor: flatFee }), {
    minLength: 1,
    maxLength: 4,
  })
  .map((drafts) => {
    let bound = 0n;
    return drafts.map((draft, index): PriceTier => {
      bound += draft.step;
      const upTo = index === drafts.length - 1 ? null : toDecimalString(bound, 6);
      return draft.flatFeeMinor === undefined
        ? { upTo, unitPrice: draft.unitPrice }
        : { upTo, unitPrice: draft.unitPrice, flatFeeMinor: draft.flatFeeMinor };
    });
  });
const flat = unitPrice.map((price): MetricPricing => ({ model: "flat", unitPrice: price }));
const graduated = tiers.map((t): MetricPricing => ({ model: "graduated", tiers: t }));
const volume = tiers.map((t): MetricPricing => ({ model: "volume", tiers: t }));
/** Volume tiers whose prices and fees never fall from one tier to the next: no "volume cliff". */
const risingVolume = tiers.map((t): MetricPricing => {
  const prices = t.map((tier) => parseQuantity(tier.unitPrice)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const fees = t.map((tier) => tier.flatFeeMinor ?? 0n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rising = t.map((tier, i) => ({
    upTo: tier.upTo,
    unitPrice: toDecimalString(prices[i] ?? 0n, 6),
    flatFeeMinor: fees[i] ?? 0n,
  }));
  return { model: "volume", tiers: rising };
});
const anyPricing = fc.oneof(flat, graduated, volume);

const ordered = (a: bigint, b: bigint): [bigint, bigint] => (a <= b ? [a, b] : [b, a]);

describe("pricing properties", () => {
  it("more usage never costs less: flat, graduated, and volume without a price cliff", () => {
    fc.assert(
      fc.property(fc.oneof(flat, graduated, risingVolume), quantity, quantity, (pricing, a, b) => {
        const [less, more] = ordered(a, b);
        expect(priceQuantity(pricing, less, "USD").amountMinor).toBeLessThanOrEqual(
          priceQuantity(pricing, more, "USD").amountMinor,
        );
      }),
    );
  });

  it("volume: more usage within one tier never costs less (crossing into a cheaper tier may: see price.test.ts)", () => {
    fc.assert(
      fc.property(volume, quantity, fc.bigInt({ min: 0n, max: 5_000n * M }), (pricing, more, drop) => {
        if (pricing.model !== "volume") return;
        // The bounds around `more`'s tier, so that `less` stays in it.
        const bounds = pricing.tiers.map((t) => (t.upTo === null ? null : parseQuantity(t.upTo)));
        const index = bounds.findIndex((bound) => bound === null || more <= bound);
        const floor = index > 0 ? (bounds[index - 1] ?? 0n) + 1n : 1n;
        const less = more - drop < floor ? floor : more - drop;
        if (more === 0n || less > more) return;
        expect(priceQuantity(pricing, less, "USD").amountMinor).toBeLessThanOrEqual(
          priceQuantity(pricing, more, "USD").amountMinor,
        );
      }),
    );
  });

  it("amounts are never negative, and a breakdown adds up to its line", () => {
    fc.assert(
      fc.property(anyPricing, quantity, fc.constantFrom("USD", "JPY", "BHD"), (pricing, q, currency) => {
        const priced = priceQuantity(pricing, q, currency);
        expect(priced.amountMinor).toBeGreaterThanOrEqual(0n);
        for (const step of priced.breakdown) expect(step.amountMinor).toBeGreaterThanOrEqual(0n);
        expect(priced.breakdown.reduce((sum, s) => sum + s.amountMinor, 0n)).toBe(priced.amountMinor);
      }),
    );
  });
});

// Cards of one account around October 2026: starts from 2026-09-20 to 2026-11-10, ranges that may overlap or leave gaps.
const day = fc.integer({ min: 0, max: 50 }).map((offset) => addDays("2026-09-20", offset));
const cardArb = (pricing: fc.Arbitrary<MetricPricing>) =>
  fc
    .record({
      plan: fc.constantFrom("Starter", "Growth", "Scale"),
      from: day,
      length: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
      baseFeeMinor: fc.bigInt({ min: 0n, max: 500_000n }),
      minimumCommitMinor: fc.bigInt({ min: 0n, max: 1_000_000n }),
      includedUnits: fc.bigInt({ min: 0n, max: 5_000n * M }).map((micro) => toDecimalString(micro, 6)),
      pricing,
    })
    .map(
      (c): RateCard => ({
        plan: c.plan,
        currency: "USD",
        effectiveFrom: c.from,
        effectiveTo: c.length === null ? null : addDays(c.from, c.length),
        baseFeeMinor: c.baseFeeMinor,
        minimumCommitMinor: c.minimumCommitMinor,
        metrics: [{ metric: "gb", includedUnits: c.includedUnits, pricing: c.pricing }],
      }),
    );
const dailyUsage = fc.array(
  fc.record({
    metric: fc.constant("gb"),
    day: fc.integer({ min: 0, max: 30 }).map((offset) => addDays("2026-10-01", offset)),
    quantity: fc.bigInt({ min: 0n, max: 1_000n * M }),
  }),
  { maxLength: 40 },
);

describe("rating properties", () => {
  it("the order of cards and of daily usage rows does not matter", () => {
    fc.assert(
      fc.property(fc.array(cardArb(anyPricing), { maxLength: 4 }), dailyUsage, (cards, rows) => {
        const input = { period: "2026-10", usage: new Map([["gb", 900n * M]]), currency: "USD" };
        const forward = rateAccountPeriod({ ...input, cards, dailyUsage: rows });
        const backward = rateAccountPeriod({ ...input, cards: [...cards].reverse(), dailyUsage: [...rows].reverse() });
        expect(backward).toEqual(forward);
      }),
    );
  });

  it("more usage never costs less, with plan changes, commits and gaps (flat and graduated)", () => {
    fc.assert(
      fc.property(
        fc.array(cardArb(fc.oneof(flat, graduated)), { maxLength: 3 }),
        dailyUsage,
        dailyUsage,
        (cards, base, extra) => {
          const input = { cards, period: "2026-10", usage: new Map<string, bigint>(), currency: "USD" };
          const before = rateAccountPeriod({ ...input, dailyUsage: base });
          const after = rateAccountPeriod({ ...input, dailyUsage: [...base, ...extra] });
          expect(after.totalMinor).toBeGreaterThanOrEqual(before.totalMinor);
          const split = (usage: bigint) => rateAccountPeriod({ ...input, usage: new Map([["gb", usage]]) }).totalMinor;
          const [less, more] = ordered(BigInt(base.length) * 37n * M, BigInt(extra.length) * 41n * M);
          expect(split(more)).toBeGreaterThanOrEqual(split(less));
        },
      ),
    );
  });

  it("amounts are never negative, and the total is base fee + lines + top-up", () => {
    fc.assert(
      fc.property(fc.array(cardArb(anyPricing), { maxLength: 4 }), dailyUsage, (cards, rows) => {
        const rating = rateAccountPeriod({
          cards,
          period: "2026-10",
          usage: new Map(),
          dailyUsage: rows,
          currency: "USD",
        });
        const lines = rating.expected.reduce((sum, line) => sum + line.amountMinor, 0n);
        for (const value of [rating.baseFeeMinor, rating.commitTopUpMinor, rating.minimumCommitMinor, lines]) {
          expect(value).toBeGreaterThanOrEqual(0n);
        }
        for (const line of rating.expected) expect(line.billableMicro).toBeGreaterThanOrEqual(0n);
        expect(rating.totalMinor).toBe(rating.baseFeeMinor + lines + rating.commitTopUpMinor);
      }),
    );
  });

  it("proration shares add up to exactly the whole month", () => {
    // The month split at random days between cards with the same terms: base fee, commit and included units come
    // back whole, to the minor unit and micro-unit, and the usage split adds up to the usage.
    const splits = fc
      .uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 4 })
      .map((days) => days.sort((a, b) => a - b));
    fc.assert(
      fc.property(cardArb(flat), splits, quantity, (template, cuts, used) => {
        const starts = ["2026-01-01", ...cuts.map((cut) => addDays("2026-10-01", cut))];
        const cards = starts.map((from, i) => ({
          ...template,
          effectiveFrom: from,
          effectiveTo: starts[i + 1] ?? null,
        }));
        const rating = rateAccountPeriod({ cards, period: "2026-10", usage: new Map([["gb", used]]), currency: "USD" });
        expect(rating.planSegments.reduce((sum, s) => sum + s.days, 0)).toBe(31);
        expect(rating.baseFeeMinor).toBe(template.baseFeeMinor);
        expect(rating.minimumCommitMinor).toBe(template.minimumCommitMinor);
        const gb = rating.expected[0];
        expect(gb?.includedMicro).toBe(parseQuantity(template.metrics[0]?.includedUnits ?? "0"));
        expect(gb?.parts.reduce((sum, p) => sum + p.usedMicro, 0n)).toBe(used);
      }),
    );
  });

  it("with daily usage, each day's usage lands on one card or is reported unrated: nothing is lost", () => {
    fc.assert(
      fc.property(fc.array(cardArb(anyPricing), { maxLength: 4 }), dailyUsage, (cards, rows: DailyUsage[]) => {
        const rating = rateAccountPeriod({
          cards,
          period: "2026-10",
          usage: new Map(),
          dailyUsage: rows,
          currency: "USD",
        });
        const total = rows.reduce((sum, row) => sum + row.quantity, 0n);
        const gb = rating.expected.find((line) => line.metric === "gb");
        expect(gb?.usedMicro ?? 0n).toBe(total);
        const days = rating.planSegments.reduce((sum, s) => sum + s.days, 0);
        expect(days + rating.uncovered.reduce((sum, u) => sum + u.days, 0)).toBe(31);
      }),
    );
  });
});
