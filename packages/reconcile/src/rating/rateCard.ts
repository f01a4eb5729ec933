// Rate cards (what an account's plan charges, and from when to when) and their validation, problems as values.

import { addDays } from "../calendar";
import { isDecimal } from "../decimal";
import { normalizeCurrency } from "../money";
import { compareText } from "../records";
import { compareFractions, parseExactDecimal, ZERO } from "./fraction";

/** One price tier. `upTo` is the tier's inclusive upper bound in units (a decimal); null means no upper bound. */
export interface PriceTier {
  upTo: string | null;
  /** Major units per unit, any precision ("0.0004"). */
  unitPrice: string;
  /** Charged once when usage reaches the tier (graduated), or when usage falls in it (volume). */
  flatFeeMinor?: bigint;
}

export type MetricPricing =
  | { model: "flat"; unitPrice: string }
  /** graduated: each tier's units at that tier's price; volume: all units at the price of the tier the total falls in. */
  | { model: "graduated" | "volume"; tiers: PriceTier[] };

export interface MetricPrice {
  metric: string;
  /** Units included in the base fee each month (a decimal); only usage beyond them is priced. */
  includedUnits: string;
  pricing: MetricPricing;
}

export interface RateCard {
  /** Whose card this is; cards without one are taken as one account's. */
  accountId?: string;
  plan: string;
  currency: string;
  effectiveFrom: string; // YYYY-MM-DD, first day the card applies
  effectiveTo: string | null; // YYYY-MM-DD, exclusive: the first day it no longer applies; null = open-ended
  baseFeeMinor: bigint;
  /** Minimum the month must cost (base fee and usage included); 0n = no commit. */
  minimumCommitMinor: bigint;
  metrics: MetricPrice[];
}

export const rateCardProblemCodes = [
  "invalid_date",
  "empty_range",
  "overlapping_range",
  "invalid_currency",
  "negative_amount",
  "invalid_decimal",
  "negative_price",
  "no_tiers",
  "tiers_not_ascending",
  "last_tier_bounded",
  "duplicate_metric",
] as const;
export type RateCardProblemCode = (typeof rateCardProblemCodes)[number];

export interface RateCardProblem {
  code: RateCardProblemCode;
  /** Position of the card in the list validated; for overlaps, the later-starting card. */
  cardIndex: number;
  plan: string;
  effectiveFrom: string;
  metric: string | null;
  message: string;
}

function isDay(text: string | null): boolean {
  if (text === null) return true;
  try {
    return addDays(text, 0) === text;
  } catch {
    return false;
  }
}

/** "Growth (from 2026-10-15)": how a card is named in sentences. */
export function describeCard(card: Pick<RateCard, "plan" | "effectiveFrom">): string {
  return `${card.plan} (from ${card.effectiveFrom})`;
}

function metricProblems(price: MetricPrice, report: (code: RateCardProblemCode, message: string) => void): void {
  const name = `metric ${price.metric}`;
  const decimal = (text: string | null, what: string, allowNegative = false): boolean => {
    if (text === null) return true;
    if (!isDecimal(text)) {
      report("invalid_decimal", `${name}: ${what} ${JSON.stringify(text)} is not a decimal.`);
      return false;
    }
    if (!allowNegative && compareFractions(parseExactDecimal(text), ZERO) < 0) {
      report(what.includes("price") ? "negative_price" : "negative_amount", `${name}: ${what} ${text} is negative.`);
      return false;
    }
    return true;
  };
  decimal(price.includedUnits, "included units");
  if (price.pricing.model === "flat") {
    decimal(price.pricing.unitPrice, "unit price");
    return;
  }
  const tiers = price.pricing.tiers;
  if (tiers.length === 0) report("no_tiers", `${name}: ${price.pricing.model} pricing has no tiers.`);
  let previous: string | null = "0";
  tiers.forEach((tier, index) => {
    const label = `tier ${index + 1}`;
    decimal(tier.unitPrice, `${label} unit price`);
    if ((tier.flatFeeMinor ?? 0n) < 0n) report("negative_price", `${name}: ${label} flat fee is negative.`);
    if (!decimal(tier.upTo, `${label} upper bound`, true)) return;
    const unbounded = previous === null;
    const notAbove =
      tier.upTo !== null &&
      previous !== null &&
      compareFractions(parseExactDecimal(tier.upTo), parseExactDecimal(previous)) <= 0;
    if (unbounded || notAbove) {
      report(
        "tiers_not_ascending",
        `${name}: ${label} must end above the tier before it${unbounded ? ", which has no upper bound" : ""}.`,
      );
    }
    previous = tier.upTo;
  });
  const last = tiers[tiers.length - 1];
  if (last && last.upTo !== null) {
    report(
      "last_tier_bounded",
      `${name}: the last tier ends at ${last.upTo}; usage beyond it would be priced at its rate.`,
    );
  }
}

function cardProblems(card: RateCard, report: (code: RateCardProblemCode, message: string, metric?: string) => void) {
  if (!isDay(card.effectiveFrom) || !isDay(card.effectiveTo)) {
    report("invalid_date", "effective dates must be calendar days (YYYY-MM-DD).");
  } else if (card.effectiveTo !== null && card.effectiveTo <= card.effectiveFrom) {
    report("empty_range", `effective to ${card.effectiveTo} (exclusive) is not after ${card.effectiveFrom}.`);
  }
  try {
    normalizeCurrency(card.currency);
  } catch {
    report("invalid_currency", `${JSON.stringify(card.currency)} is not an ISO 4217 currency code.`);
  }
  if (card.baseFeeMinor < 0n) report("negative_amount", "the base fee is negative.");
  if (card.minimumCommitMinor < 0n) report("negative_amount", "the minimum commit is negative.");
  const seen = new Set<string>();
  for (const price of card.metrics) {
    if (seen.has(price.metric)) report("duplicate_metric", `metric ${price.metric} is priced twice.`, price.metric);
    seen.add(price.metric);
    metricProblems(price, (code, message) => report(code, message, price.metric));
  }
}

function overlaps(a: RateCard, b: RateCard): boolean {
  return (
    (b.effectiveTo === null || a.effectiveFrom < b.effectiveTo) &&
    (a.effectiveTo === null || b.effectiveFrom < a.effectiveTo)
  );
}

/**
 * Every problem in a tenant's rate cards, as values: bad dates or currency, negative fees or prices, malformed
 * decimals, tiers that do not ascend, and effective ranges of one account that overlap (where they overlap, rating
 * uses the card that started later). Sorted by plan, start, code and metric, so input order does not change the list.
 */
export function validateRateCards(cards: readonly RateCard[]): RateCardProblem[] {
  const problems: RateCardProblem[] = [];
  cards.forEach((card, cardIndex) => {
    cardProblems(card, (code, message, metric) => {
      const subject = { plan: card.plan, effectiveFrom: card.effectiveFrom, metric: metric ?? null };
      problems.push({ code, cardIndex, ...subject, message: `Rate card ${describeCard(card)}: ${message}` });
    });
  });
  const datedIndexes = cards.flatMap((card, index) =>
    isDay(card.effectiveFrom) && isDay(card.effectiveTo) ? [index] : [],
  );
  for (const i of datedIndexes) {
    for (const j of datedIndexes) {
      const a = cards[i];
      const b = cards[j];
      if (!a || !b || i >= j || (a.accountId ?? "") !== (b.accountId ?? "") || !overlaps(a, b)) continue;
      const [earlier, later, laterIndex] = compareCards(a, b) <= 0 ? [a, b, j] : [b, a, i];
      problems.push({
        code: "overlapping_range",
        cardIndex: laterIndex,
        plan: later.plan,
        effectiveFrom: later.effectiveFrom,
        metric: null,
        message: `Rate cards ${describeCard(earlier)} and ${describeCard(later)} overlap${later.accountId ? ` for account ${later.accountId}` : ""}; where they do, ${later.plan} applies.`,
      });
    }
  }
  return problems.sort(
    (a, b) =>
      compareText(a.plan, b.plan) ||
      compareText(a.effectiveFrom, b.effectiveFrom) ||
      compareText(a.code, b.code) ||
      compareText(a.metric ?? "", b.metric ?? "") ||
      compareText(a.message, b.message),
  );
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * A total order on cards that does not depend on list order: by start, then plan, end and the rest of the card.
 * Where cards overlap, the greatest applies (the later start), so even two cards identical but for their prices
 * resolve the same way every time.
 */
export function compareCards(a: RateCard, b: RateCard): number {
  return (
    compareText(a.effectiveFrom, b.effectiveFrom) ||
    compareText(a.plan, b.plan) ||
    compareText(a.effectiveTo ?? "9999-99-99", b.effectiveTo ?? "9999-99-99") ||
    compareText(JSON.stringify(a, bigintJson), JSON.stringify(b, bigintJson))
  );
}
