// Amounts converted to the tenant's base currency with the dated FX rates it configures, and labelled as converted.

import { daysBetween } from "../calendar";
import { divideHalfEven, isDecimal, parseScaled } from "../decimal";
import { currencyExponent, normalizeCurrency } from "../money";

/** 1 `from` = `rate` `to`, from `effectiveOn` until the pair's next rate. */
export interface FxRate {
  from: string;
  to: string;
  rate: string; // decimal string, e.g. "1.0843"
  effectiveOn: string; // YYYY-MM-DD
}

/** An amount and the day it is converted at (an invoice's issue day, a payment's day, a report's asOf). */
export interface DatedAmount {
  minor: bigint;
  currency: string;
  on: string; // YYYY-MM-DD
}

export type Conversion =
  | {
      ok: true;
      source: DatedAmount;
      /** In the base currency's minor units. */
      minor: bigint;
      /** The rate used and its effective day; null when the amount already was in the base currency. */
      rate: FxRate | null;
    }
  | {
      ok: false;
      source: DatedAmount;
      /** No rate for the pair on or before the day, or two different rates for the pair on the same effective day. */
      reason: "missing-rate" | "conflicting-rates";
    };

function parseRate(rate: FxRate): { numerator: bigint; denominator: bigint } {
  if (!isDecimal(rate.rate)) throw new RangeError(`FX rate is not a decimal: ${JSON.stringify(rate.rate)}`);
  const decimals = rate.rate.split(".")[1]?.length ?? 0;
  const numerator = parseScaled(rate.rate, decimals);
  if (numerator <= 0n) throw new RangeError(`FX rate must be positive: ${rate.rate}`);
  return { numerator, denominator: 10n ** BigInt(decimals) };
}

/**
 * The rate for `from` -> `to` on `on`: the one with the latest effective day on or before `on`. Null when there is none;
 * "conflict" when two rates of that same day differ (equal duplicates are fine), so the result never depends on order.
 */
export function findRate(rates: readonly FxRate[], from: string, to: string, on: string): FxRate | null | "conflict" {
  daysBetween(on, on); // validates the day
  const source = normalizeCurrency(from);
  const target = normalizeCurrency(to);
  let best: FxRate | null = null;
  let conflict = false;
  for (const rate of rates) {
    if (normalizeCurrency(rate.from) !== source || normalizeCurrency(rate.to) !== target || rate.effectiveOn > on) {
      continue;
    }
    if (!best || rate.effectiveOn > best.effectiveOn) {
      best = rate;
      conflict = false;
    } else if (rate.effectiveOn === best.effectiveOn) {
      const a = parseRate(rate);
      const b = parseRate(best);
      if (a.numerator * b.denominator !== b.numerator * a.denominator) conflict = true;
    }
  }
  return conflict ? "conflict" : best;
}

/**
 * Converts one amount to `base`: base minor = minor x rate x 10^(base exponent - source exponent), rounded half-even
 * once (EUR 500.00 at 1.0843 -> USD 542.15; JPY 10,000 at 0.0067 -> USD 67.00). Same currency: unchanged, no rate.
 */
export function convertAmount(amount: DatedAmount, base: string, rates: readonly FxRate[]): Conversion {
  const target = normalizeCurrency(base);
  const source = normalizeCurrency(amount.currency);
  if (source === target) return { ok: true, source: amount, minor: amount.minor, rate: null };
  const rate = findRate(rates, source, target, amount.on);
  if (rate === null) return { ok: false, source: amount, reason: "missing-rate" };
  if (rate === "conflict") return { ok: false, source: amount, reason: "conflicting-rates" };
  const { numerator, denominator } = parseRate(rate);
  const shift = currencyExponent(target) - currencyExponent(source);
  const minor =
    shift >= 0
      ? divideHalfEven(amount.minor * numerator * 10n ** BigInt(shift), denominator)
      : divideHalfEven(amount.minor * numerator, denominator * 10n ** BigInt(-shift));
  return { ok: true, source: amount, minor, rate };
}

export interface ConvertedTotal {
  base: string;
  /** Sum of the converted amounts (each rounded once); amounts that could not be converted are not in it. */
  totalMinor: bigint;
  /** True when at least one amount went through a rate. */
  converted: boolean;
  /** Effective days of the rates used, oldest first. */
  rateDates: string[];
  /** "converted to USD at rates of 2026-10-01 and 2026-11-01", or "in USD" when nothing needed converting. */
  label: string;
  conversions: Conversion[];
  /** Amounts left out of the total, reported instead of thrown. */
  missing: Extract<Conversion, { ok: false }>[];
  complete: boolean;
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Converts each amount with convertAmount and sums them in `base`, with a label saying the total was converted. */
export function convertToBase(input: {
  amounts: readonly DatedAmount[];
  base: string;
  rates: readonly FxRate[];
}): ConvertedTotal {
  const base = normalizeCurrency(input.base);
  const conversions = input.amounts.map((amount) => convertAmount(amount, base, input.rates));
  let totalMinor = 0n;
  const dates = new Set<string>();
  const missing: Extract<Conversion, { ok: false }>[] = [];
  for (const conversion of conversions) {
    if (!conversion.ok) {
      missing.push(conversion);
      continue;
    }
    totalMinor += conversion.minor;
    if (conversion.rate) dates.add(conversion.rate.effectiveOn);
  }
  const rateDates = [...dates].sort();
  const converted = rateDates.length > 0;
  let label = converted ? `converted to ${base} at rates of ${listOf(rateDates)}` : `in ${base}`;
  if (missing.length > 0) {
    const currencies = [...new Set(missing.map((entry) => normalizeCurrency(entry.source.currency)))].sort();
    const count = missing.length === 1 ? "1 amount" : `${missing.length} amounts`;
    label += `; ${count} in ${listOf(currencies)} left out (no usable rate to ${base})`;
  }
  return { base, totalMinor, converted, rateDates, label, conversions, missing, complete: missing.length === 0 };
}
