// The expected charge of one account for one billing period under its rate cards, plan changes prorated by day.

import { formatMoney, normalizeCurrency } from "../money";
import { parseQuantity, QUANTITY_DECIMALS } from "../quantity";
import { compareText } from "../records";
import { type CardInPeriod, coverPeriod, type PlanSegment, type RatingProblem, type UncoveredDays } from "./coverage";
import { apportion, type Fraction, roundHalfEven, scaleBy, sumFractions, whole, ZERO } from "./fraction";
import { billableMicro, type PriceStep, priceExactly } from "./price";
import type { RateCard } from "./rateCard";
import { describeSegments, describeSteps, listShares, units } from "./sentences";

/** One day of one metric's usage, in micro-units. */
export interface DailyUsage {
  metric: string;
  day: string; // YYYY-MM-DD
  quantity: bigint;
}

export interface RateAccountPeriodInput {
  /** The account's rate cards (any order; those that do not touch the period are ignored). */
  cards: readonly RateCard[];
  period: string; // YYYY-MM
  /** Usage of the period per metric, in micro-units. */
  usage: ReadonlyMap<string, bigint>;
  /**
   * Daily usage, preferred when present: a metric with daily rows has each day's usage rated on the card in effect
   * that day (and its `usage` figure is not used); other metrics are split across plans by days. Rows outside the
   * period are ignored.
   */
  dailyUsage?: readonly DailyUsage[];
  /**
   * Decimals a metric's quantities carry ({ seats: 0 }); prorated included units are rounded to them. Default 6
   * (micro-units).
   */
  metricDecimals?: Readonly<Record<string, number>>;
  currency: string;
}

/** The part of a metric's month rated on one card. */
export interface MetricPart {
  plan: string;
  effectiveFrom: string;
  /** The card's days in the month as "days/days-in-month". */
  share: string;
  usedMicro: bigint;
  includedMicro: bigint;
  billableMicro: bigint;
  /** False when the card does not price the metric: its usage there is not charged. */
  priced: boolean;
  amountMinor: bigint;
  breakdown: PriceStep[];
}

export interface ExpectedCharge {
  metric: string;
  usedMicro: bigint;
  includedMicro: bigint;
  billableMicro: bigint;
  /** Usage on days no rate card covers: not rated. */
  unratedMicro: bigint;
  amountMinor: bigint;
  parts: MetricPart[];
  explanation: string;
}

export interface PeriodRating {
  period: string;
  currency: string;
  expected: ExpectedCharge[];
  baseFeeMinor: bigint;
  /** The minimum commit prorated like the base fee; 0n when no card in effect has one. */
  minimumCommitMinor: bigint;
  commitTopUpMinor: bigint;
  totalMinor: bigint;
  planSegments: PlanSegment[];
  uncovered: UncoveredDays[];
  problems: RatingProblem[];
  explanation: string;
}

/** Each card's exact share of a monthly amount: amount x days / days-in-month, summed, not yet rounded. */
function prorate(cards: readonly CardInPeriod[], daysInMonth: number, amount: (card: RateCard) => bigint): Fraction {
  return sumFractions(cards.map((c) => scaleBy(amount(c.card), BigInt(c.days), BigInt(daysInMonth))));
}

/** Splits a metric's usage between the cards (and the uncovered days): by day when daily rows exist, else by days. */
function attributeUsage(
  metric: string,
  input: RateAccountPeriodInput,
  coverage: ReturnType<typeof coverPeriod>,
): { perCard: bigint[]; unrated: bigint } {
  const rows = (input.dailyUsage ?? []).filter((row) => row.metric === metric);
  if (rows.length > 0) {
    const perCard = coverage.cards.map(() => 0n);
    let unrated = 0n;
    for (const row of rows) {
      const index = coverage.days.indexOf(row.day);
      if (index < 0) continue;
      const card = coverage.dayCards[index] ?? null;
      const at = coverage.cards.findIndex((c) => c.card === card);
      if (at < 0) unrated += row.quantity;
      else perCard[at] = (perCard[at] ?? 0n) + row.quantity;
    }
    return { perCard, unrated };
  }
  const used = input.usage.get(metric) ?? 0n;
  const uncoveredDays = coverage.uncovered.reduce((sum, gap) => sum + gap.days, 0);
  const D = BigInt(coverage.daysInMonth);
  // Rounded to micro-units with the running total, so the parts add up to the usage exactly.
  const split = apportion([
    ...coverage.cards.map((c) => scaleBy(used, BigInt(c.days), D)),
    scaleBy(used, BigInt(uncoveredDays), D),
  ]);
  return { perCard: split.slice(0, coverage.cards.length), unrated: split[coverage.cards.length] ?? 0n };
}

function rateMetric(
  metric: string,
  input: RateAccountPeriodInput,
  coverage: ReturnType<typeof coverPeriod>,
  currency: string,
): ExpectedCharge {
  const { perCard, unrated } = attributeUsage(metric, input, coverage);
  const D = BigInt(coverage.daysInMonth);
  const prices = coverage.cards.map((c) => c.card.metrics.find((m) => m.metric === metric));
  // Included units prorated by each card's days, exact, rounded half-even once for the month to the metric's
  // precision (micro-units unless `metricDecimals` says, e.g. whole seats).
  const decimals = Math.max(
    0,
    Math.min(QUANTITY_DECIMALS, Math.trunc(input.metricDecimals?.[metric] ?? QUANTITY_DECIMALS)),
  );
  const step = 10n ** BigInt(QUANTITY_DECIMALS - decimals);
  const included = apportion(
    coverage.cards.map((c, index) => {
      const price = prices[index];
      return price ? scaleBy(parseQuantity(price.includedUnits), BigInt(c.days), D * step) : ZERO;
    }),
  ).map((steps) => steps * step);
  const priced = coverage.cards.map((c, index) => {
    const price = prices[index];
    const usedMicro = perCard[index] ?? 0n;
    const includedMicro = included[index] ?? 0n;
    const billable = price ? billableMicro(usedMicro, includedMicro) : 0n;
    const exact = price ? priceExactly(price.pricing, billable, currency) : { steps: [], exact: whole(0n) };
    return { c, usedMicro, includedMicro, billable, price, exact };
  });
  // One rounding for the whole line: every step of every part shares the line's rounded amount.
  const stepAmounts = apportion(priced.flatMap((p) => p.exact.steps.map((s) => s.exact)));
  let next = 0;
  const parts: MetricPart[] = priced.map((p) => {
    const breakdown = p.exact.steps.map(({ exact: _exact, ...step }) => ({
      ...step,
      amountMinor: stepAmounts[next++] ?? 0n,
    }));
    return {
      plan: p.c.card.plan,
      effectiveFrom: p.c.card.effectiveFrom,
      share: `${p.c.days}/${coverage.daysInMonth}`,
      usedMicro: p.usedMicro,
      includedMicro: p.includedMicro,
      billableMicro: p.billable,
      priced: p.price !== undefined,
      amountMinor: breakdown.reduce((sum, step) => sum + step.amountMinor, 0n),
      breakdown,
    };
  });
  const amountMinor = roundHalfEven(sumFractions(priced.map((p) => p.exact.exact)));
  const sum = (pick: (part: MetricPart) => bigint) => parts.reduce((total, part) => total + pick(part), 0n);
  const line = {
    metric,
    usedMicro: sum((p) => p.usedMicro) + unrated,
    includedMicro: sum((p) => p.includedMicro),
    billableMicro: sum((p) => p.billableMicro),
    unratedMicro: unrated,
    amountMinor,
    parts,
  };
  return { ...line, explanation: explainCharge(line, currency) };
}

function describePart(part: MetricPart, metric: string, currency: string): string {
  if (!part.priced)
    return `${units(part.usedMicro)} used; the ${part.plan} plan does not price ${metric}, so none is charged`;
  const included = part.includedMicro === 0n ? "none included" : `${units(part.includedMicro)} included`;
  const head = `${units(part.usedMicro)} used, ${included}, ${units(part.billableMicro)} billable`;
  if (part.billableMicro === 0n) return `${head}: nothing to charge`;
  return `${head}: ${describeSteps(part.breakdown, currency)} = ${formatMoney(part.amountMinor, currency)}`;
}

function explainCharge(line: Omit<ExpectedCharge, "explanation">, currency: string): string {
  const unrated =
    line.unratedMicro > 0n ? `; ${units(line.unratedMicro)} used on days no rate card covers is not rated` : "";
  const [only, ...others] = line.parts;
  if (!only) return `${line.metric}: ${units(line.usedMicro)} used, and no rate card applies to ${line.metric}.`;
  if (others.length === 0) return `${line.metric}: ${describePart(only, line.metric, currency)}${unrated}.`;
  const each = line.parts.map((p) => `${p.plan} (${p.share}): ${describePart(p, line.metric, currency)}`);
  return `${line.metric}: ${each.join("; ")}; total ${formatMoney(line.amountMinor, currency)}${unrated}.`;
}

function explainProrated(
  label: string,
  cards: readonly CardInPeriod[],
  amount: (card: RateCard) => bigint,
  total: bigint,
  daysInMonth: number,
  currency: string,
): string {
  const [only] = cards;
  if (cards.length === 1 && only && only.days === daysInMonth) return `${label} ${formatMoney(total, currency)}`;
  const shares = cards.map((c) => `${c.days}/${daysInMonth} of ${formatMoney(amount(c.card), currency)}`);
  return `${label} prorated ${listShares(shares)} = ${formatMoney(total, currency)}`;
}

/**
 * Rates one account's period: base fee, each metric's usage beyond its included units, and a top-up to the minimum
 * commit. When cards split the month, each card counts for its days: base fee, included units and commit are
 * prorated by days / days-in-month (exact fractions, rounded half-even once), and usage is attributed day by day
 * when daily usage is given, else split by days. Money is rounded once per line (half-even, minor units).
 */
export function rateAccountPeriod(input: RateAccountPeriodInput): PeriodRating {
  const currency = normalizeCurrency(input.currency);
  const coverage = coverPeriod(input.cards, input.period, currency);
  const { cards, daysInMonth } = coverage;
  const metrics = new Set<string>([
    ...input.usage.keys(),
    ...(input.dailyUsage ?? []).map((row) => row.metric),
    ...cards.flatMap((c) => c.card.metrics.map((m) => m.metric)),
  ]);
  const expected = [...metrics].sort(compareText).map((metric) => rateMetric(metric, input, coverage, currency));
  const baseFeeMinor = roundHalfEven(prorate(cards, daysInMonth, (card) => card.baseFeeMinor));
  const minimumCommitMinor = roundHalfEven(prorate(cards, daysInMonth, (card) => card.minimumCommitMinor));
  const rated = expected.reduce((sum, line) => sum + line.amountMinor, baseFeeMinor);
  const commitTopUpMinor = rated < minimumCommitMinor ? minimumCommitMinor - rated : 0n;
  const totalMinor = rated + commitTopUpMinor;

  const sentences: string[] = [];
  if (cards.length === 0) {
    sentences.push(`No rate card covers ${input.period}: nothing can be rated.`);
  } else {
    const who = describeSegments(input.period, coverage.segments, coverage.uncovered, coverage.days);
    const fee = explainProrated("base fee", cards, (card) => card.baseFeeMinor, baseFeeMinor, daysInMonth, currency);
    const charged = expected.filter((line) => line.amountMinor > 0n);
    const usage = charged.map((line) => `${line.metric} ${formatMoney(line.amountMinor, currency)}`);
    sentences.push(`${who}: ${[fee, ...usage].join(", ")}.`);
    if (commitTopUpMinor > 0n) {
      const withCommit = cards.filter((c) => c.card.minimumCommitMinor > 0n);
      const commit = explainProrated(
        "minimum commit",
        withCommit,
        (card) => card.minimumCommitMinor,
        minimumCommitMinor,
        daysInMonth,
        currency,
      );
      sentences.push(
        `Rated ${formatMoney(rated, currency)}, under the ${commit}: top-up ${formatMoney(commitTopUpMinor, currency)}.`,
      );
    }
    sentences.push(`Expected total ${formatMoney(totalMinor, currency)}.`);
  }
  sentences.push(...coverage.problems.map((problem) => problem.message));
  return {
    period: input.period,
    currency,
    expected,
    baseFeeMinor,
    minimumCommitMinor,
    commitTopUpMinor,
    totalMinor,
    planSegments: coverage.segments,
    uncovered: coverage.uncovered,
    problems: coverage.problems,
    explanation: sentences.join(" "),
  };
}
