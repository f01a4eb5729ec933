// Rate cards as discrepancy checks read them: stored cards as rating's RateCard, the card of a period, and the value
// of a quantity under a card by README.md's rule (the way invoices bill it).

import { addDays, periodStart, shiftPeriod } from "../calendar";
import { divideHalfEven, parseScaled } from "../decimal";
import { currencyExponent } from "../money";
import { parseQuantity } from "../quantity";
import { billableMicro, priceQuantity } from "../rating/price";
import type { MetricPrice, RateCard } from "../rating/rateCard";
import { compareText } from "../records";

/**
 * A rate card as stored (the `rate_cards` table, the sandbox's RateCardFixture): a plan from `effectiveFrom` until the
 * account's next card, a base fee, and per metric included units and a flat unit price (major units, a decimal).
 */
export interface StoredRateCard {
  plan: string;
  currency: string;
  effectiveFrom: string; // YYYY-MM-DD
  baseFeeMinor: bigint;
  /** Absent in storage today: no commit. */
  minimumCommitMinor?: bigint;
  /** A flat `unitPrice`, or `pricing` (tiers) as rating prices them. */
  metrics: ReadonlyArray<{
    metric: string;
    includedUnits: string;
    unitPrice?: string;
    pricing?: MetricPrice["pricing"];
  }>;
}

/**
 * One account's stored cards as rating's RateCards: each card runs until the next card's effectiveFrom (exclusive),
 * the last one open-ended; flat pricing at the stored unit price; no minimum commit unless stored.
 */
export function rateCardsFromStored(stored: readonly StoredRateCard[], accountId?: string): RateCard[] {
  const sorted = [...stored].sort(
    (a, b) => compareText(a.effectiveFrom, b.effectiveFrom) || compareText(a.plan, b.plan),
  );
  return sorted.map((card) => ({
    ...(accountId === undefined ? {} : { accountId }),
    plan: card.plan,
    currency: card.currency,
    effectiveFrom: card.effectiveFrom,
    effectiveTo: sorted.find((next) => next.effectiveFrom > card.effectiveFrom)?.effectiveFrom ?? null,
    baseFeeMinor: card.baseFeeMinor,
    minimumCommitMinor: card.minimumCommitMinor ?? 0n,
    metrics: card.metrics.map((m) => ({
      metric: m.metric,
      includedUnits: m.includedUnits,
      pricing: m.pricing ?? { model: "flat" as const, unitPrice: m.unitPrice ?? "0" },
    })),
  }));
}

/** Unit prices are compared and multiplied at 10 decimals (Stripe and QuickBooks carry fewer). */
const PRICE_DECIMALS = 10;
const MICRO_DIGITS = 6;

export function parseUnitPrice(decimal: string): bigint {
  return parseScaled(decimal, PRICE_DECIMALS);
}

/** round(quantity x unit price) in minor units, half-even: one rounding per amount. */
export function priceMinor(quantityMicro: bigint, unitPrice: bigint, currency: string): bigint {
  const exponent = BigInt(currencyExponent(currency));
  const numerator = quantityMicro * unitPrice * 10n ** exponent;
  return divideHalfEven(numerator, 10n ** BigInt(PRICE_DECIMALS + MICRO_DIGITS));
}

/** The card's flat unit price of a metric (10 decimals); null when the card does not price it or prices it in tiers. */
export function flatUnitPrice(card: RateCard | null, metric: string): bigint | null {
  const price = card?.metrics.find((m) => m.metric === metric);
  return price?.pricing.model === "flat" ? parseUnitPrice(price.pricing.unitPrice) : null;
}

/**
 * value(q). Flat: round(q x p) - round(min(q, included) x p), every unit billed and the included ones credited
 * (README.md). Tiered: rating's price of the units beyond those included. Null when the card does not price the metric.
 */
export function usageValue(card: RateCard, metric: string, quantityMicro: bigint): bigint | null {
  const price = card.metrics.find((m) => m.metric === metric);
  if (!price) return null;
  const included = parseQuantity(price.includedUnits);
  if (price.pricing.model !== "flat") {
    return priceQuantity(price.pricing, billableMicro(quantityMicro, included), card.currency).amountMinor;
  }
  const unit = parseUnitPrice(price.pricing.unitPrice);
  const covered = quantityMicro < included ? quantityMicro : included;
  return priceMinor(quantityMicro, unit, card.currency) - priceMinor(covered > 0n ? covered : 0n, unit, card.currency);
}

/** What duplicated events would have added: flat, round(duplicated x p); tiered, value(q + duplicated) - value(q). */
export function duplicateValue(card: RateCard, metric: string, meteredMicro: bigint, duplicateMicro: bigint) {
  const unit = flatUnitPrice(card, metric);
  if (unit !== null) return priceMinor(duplicateMicro, unit, card.currency);
  const all = usageValue(card, metric, meteredMicro + duplicateMicro);
  const counted = usageValue(card, metric, meteredMicro);
  return all === null || counted === null ? null : all - counted;
}

/** Base fee plus value(metered) per metric; null when a metric has no price on the card. */
export function expectedTotal(card: RateCard, metered: ReadonlyMap<string, bigint>): bigint | null {
  let total = card.baseFeeMinor;
  for (const [metric, quantity] of metered) {
    if (quantity === 0n) continue;
    const value = usageValue(card, metric, quantity);
    if (value === null) return null;
    total += value;
  }
  return total;
}

export interface PeriodCards {
  /** The latest card effective on the period's first day (or the first card that starts inside it). */
  card: RateCard | null;
  /** A card that takes effect after the period's first day: the period is a plan change. */
  next: RateCard | null;
}

/** The cards of a billing period (YYYY-MM). */
export function cardsForPeriod(cards: readonly RateCard[], period: string): PeriodCards {
  const first = periodStart(period);
  const last = addDays(periodStart(shiftPeriod(period, 1)), -1);
  const sorted = [...cards].sort(
    (a, b) => compareText(a.effectiveFrom, b.effectiveFrom) || compareText(a.plan, b.plan),
  );
  const atStart =
    sorted.filter((c) => c.effectiveFrom <= first && (c.effectiveTo === null || c.effectiveTo > first)).at(-1) ?? null;
  const inside = sorted.filter((c) => c.effectiveFrom > first && c.effectiveFrom <= last);
  if (atStart === null) return { card: inside[0] ?? null, next: inside[1] ?? null };
  return { card: atStart, next: inside.at(-1) ?? null };
}
