// Flat rate cards as discrepancy checks read them: the card of a period, and the value of a quantity under a card.

import { addDays, periodStart, shiftPeriod } from "../calendar";
import { divideHalfEven, parseScaled } from "../decimal";
import { currencyExponent } from "../money";
import { parseQuantity } from "../quantity";
import { compareText } from "../records";

/** A plan an account is billed on from `effectiveFrom`: a base fee, and per metric included units and a unit price. */
export interface RateCardInput {
  plan: string;
  currency: string;
  effectiveFrom: string; // YYYY-MM-DD
  baseFeeMinor: bigint;
  metrics: ReadonlyArray<{ metric: string; includedUnits: string; unitPrice: string }>;
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

/** value(q) = round(q x p) - round(min(q, included) x p): every unit billed, the included ones credited. */
export function usageValue(card: RateCardInput, metric: string, quantityMicro: bigint): bigint | null {
  const price = card.metrics.find((m) => m.metric === metric);
  if (!price) return null;
  const unit = parseUnitPrice(price.unitPrice);
  const included = parseQuantity(price.includedUnits);
  const covered = quantityMicro < included ? quantityMicro : included;
  return priceMinor(quantityMicro, unit, card.currency) - priceMinor(covered > 0n ? covered : 0n, unit, card.currency);
}

/** Base fee plus value(metered) per metric; null when a metric has no price on the card. */
export function expectedTotal(card: RateCardInput, metered: ReadonlyMap<string, bigint>): bigint | null {
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
  card: RateCardInput | null;
  /** A card that takes effect after the period's first day: the period is a plan change. */
  next: RateCardInput | null;
}

/** The cards of a billing period (YYYY-MM). */
export function cardsForPeriod(cards: readonly RateCardInput[], period: string): PeriodCards {
  const first = periodStart(period);
  const last = addDays(periodStart(shiftPeriod(period, 1)), -1);
  const sorted = [...cards].sort(
    (a, b) => compareText(a.effectiveFrom, b.effectiveFrom) || compareText(a.plan, b.plan),
  );
  const atStart = sorted.filter((c) => c.effectiveFrom <= first).at(-1) ?? null;
  const inside = sorted.filter((c) => c.effectiveFrom > first && c.effectiveFrom <= last);
  if (atStart === null) return { card: inside[0] ?? null, next: inside[1] ?? null };
  return { card: atStart, next: inside.at(-1) ?? null };
}
