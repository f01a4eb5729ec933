// Money: integer minor units (bigint) plus an ISO 4217 currency; parsing, formatting and summing without floats.

import { parseScaled, toDecimalString } from "./decimal";

/** An amount of money: integer minor units (cents for USD, yen for JPY, fils for BHD) in an upper-case ISO currency. */
export interface Money {
  minor: bigint;
  currency: string;
}

// ISO 4217 minor-unit exponents that differ from the usual 2 (the list ISO maintains; everything else has 2).
const zeroDecimal = new Set([
  "BIF",
  "CLP",
  "DJF",
  "GNF",
  "ISK",
  "JPY",
  "KMF",
  "KRW",
  "PYG",
  "RWF",
  "UGX",
  "UYI",
  "VND",
  "VUV",
  "XAF",
  "XOF",
  "XPF",
]);
const threeDecimal = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);
const fourDecimal = new Set(["CLF", "UYW"]);

const currencyPattern = /^[A-Z]{3}$/;

/** The canonical form of a currency code ("usd" -> "USD"); a code that is not three letters is a caller bug. */
export function normalizeCurrency(code: string): string {
  const upper = code.trim().toUpperCase();
  if (!currencyPattern.test(upper)) throw new RangeError(`Not an ISO 4217 currency code: ${JSON.stringify(code)}`);
  return upper;
}

/** Number of decimals of the currency's minor unit: JPY 0, USD 2, BHD 3 (ISO 4217). */
export function currencyExponent(code: string): number {
  const currency = normalizeCurrency(code);
  if (zeroDecimal.has(currency)) return 0;
  if (threeDecimal.has(currency)) return 3;
  if (fourDecimal.has(currency)) return 4;
  return 2;
}

/**
 * Converts a decimal amount in major units to minor units, exactly: decimalToMinor("5200", "USD") = 520000n.
 * Extra decimals round half-even (the package's one rounding rule): "10.125" USD -> 1012n, "10.135" USD -> 1014n.
 */
export function decimalToMinor(decimal: string, currency: string): bigint {
  return parseScaled(decimal, currencyExponent(currency));
}

/** The exact major-unit decimal string of an amount: minorToDecimal(520050n, "USD") = "5200.5". */
export function minorToDecimal(minor: bigint, currency: string): string {
  return toDecimalString(minor, currencyExponent(currency));
}

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const exponent = currencyExponent(currency);
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats minor units for people: formatMoney(520000n, "USD") = "$5,200.00". The amount goes to Intl as an exact decimal
 * string already at the currency's precision, so no float is involved and Intl never rounds.
 */
export function formatMoney(minor: bigint, currency: string, locale = "en-US"): string {
  const code = normalizeCurrency(currency);
  return currencyFormatter(code, locale).format(minorToDecimal(minor, code) as `${number}`);
}

/** Formats a Money value: formatAmount({ minor: 520000n, currency: "USD" }) = "$5,200.00". */
export function formatAmount(money: Money, locale = "en-US"): string {
  return formatMoney(money.minor, money.currency, locale);
}

/**
 * Sums amounts of one currency. Adding different currencies is a bug (conversion needs dated FX rates, which is not
 * this function's job), so a mixed list throws; an empty list sums to zero in `currency`.
 */
export function sumMoney(currency: string, amounts: readonly Money[]): Money {
  const code = normalizeCurrency(currency);
  let minor = 0n;
  for (const amount of amounts) {
    if (normalizeCurrency(amount.currency) !== code) {
      throw new RangeError(`sumMoney: cannot add ${amount.currency} to ${code}`);
    }
    minor += amount.minor;
  }
  return { minor, currency: code };
}

/** Totals per currency, keys in alphabetical order, so the result is the same whatever the input order. */
export function totalsByCurrency(amounts: readonly Money[]): Record<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const amount of amounts) {
    const code = normalizeCurrency(amount.currency);
    totals.set(code, (totals.get(code) ?? 0n) + amount.minor);
  }
  return Object.fromEntries([...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
