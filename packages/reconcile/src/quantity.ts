// Quantities (usage and billed units) as exact bigint micro-units, and ratios between them in basis points.

import { divideHalfEven, parseScaled, rescaleHalfEven, toDecimalString } from "./decimal";

/** Decimals kept for quantities: one micro-unit is 0.000001 of a unit (GB, API call, seat). */
export const QUANTITY_DECIMALS = 6;
/** One whole unit in micro-units. */
export const MICRO = 1_000_000n;
/** 100% in basis points. */
export const BPS = 10_000n;

/** Parses a decimal quantity into micro-units: parseQuantity("1250.5") = 1250500000n (beyond 6 decimals: half-even). */
export function parseQuantity(decimal: string): bigint {
  return parseScaled(decimal, QUANTITY_DECIMALS);
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats micro-units for people with at most `maxDecimals` decimals (rounded half-even, trailing zeros dropped):
 * formatQuantity(1250500000n) = "1,250.5"; formatQuantity(1318456000n, 0) = "1,318".
 */
export function formatQuantity(micro: bigint, maxDecimals = 2, locale = "en-US"): string {
  const decimals = Math.max(0, Math.min(QUANTITY_DECIMALS, Math.trunc(maxDecimals)));
  const rounded = rescaleHalfEven(micro, QUANTITY_DECIMALS, decimals);
  const key = `${locale}|${decimals}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: decimals });
    formatters.set(key, formatter);
  }
  // Already rounded to `decimals`, so Intl only groups digits and never rounds.
  return formatter.format(toDecimalString(rounded, decimals) as `${number}`);
}

/** numerator / denominator in basis points, rounded half-even: ratioBps(1318n, 1200n) = 10983n (109.83%). */
export function ratioBps(numerator: bigint, denominator: bigint): bigint {
  return divideHalfEven(numerator * BPS, denominator);
}

/** Relative change from `base` to `value` in basis points: changeBps(1318n, 1200n) = -895n; null when base is 0. */
export function changeBps(base: bigint, value: bigint): bigint | null {
  if (base === 0n) return null;
  return ratioBps(value - base, base < 0n ? -base : base);
}

/** `bps` basis points of `amount`, rounded half-even: applyBps(1318n, 500n) = 66n (5% of 1318 is 65.9). */
export function applyBps(amount: bigint, bps: bigint): bigint {
  return divideHalfEven(amount * bps, BPS);
}

/**
 * Exact test |value - base| <= bps x |base|, with no rounding at all: withinBps(1000n, 1050n, 500n) is true (exactly 5%),
 * withinBps(1000n, 1051n, 500n) is false.
 */
export function withinBps(base: bigint, value: bigint, bps: bigint): boolean {
  const difference = value - base;
  const absDifference = difference < 0n ? -difference : difference;
  const absBase = base < 0n ? -base : base;
  return absDifference * BPS <= bps * absBase;
}

/**
 * Basis points as a percentage for sentences. formatBpsPercent(500n) = "5%", formatBpsPercent(250n) = "2.5%";
 * with { decimals: 1, signed: true }: formatBpsPercent(-895n, ...) = "-9.0%", formatBpsPercent(982n, ...) = "+9.8%".
 * Without `decimals` the percentage is exact (up to 2 decimals); with it, rounded half-even and zero-padded.
 */
export function formatBpsPercent(bps: bigint, options: { decimals?: number; signed?: boolean } = {}): string {
  let text: string;
  if (options.decimals === undefined) {
    text = toDecimalString(bps, 2);
  } else {
    const decimals = Math.max(0, Math.min(2, Math.trunc(options.decimals)));
    const rounded = rescaleHalfEven(bps, 2, decimals);
    const negative = rounded < 0n;
    const digits = (negative ? -rounded : rounded).toString().padStart(decimals + 1, "0");
    const whole = digits.slice(0, digits.length - decimals);
    const fraction = digits.slice(digits.length - decimals);
    text = `${negative ? "-" : ""}${decimals > 0 ? `${whole}.${fraction}` : whole}`;
  }
  const sign = options.signed && !text.startsWith("-") && /[1-9]/.test(text) ? "+" : "";
  return `${sign}${text}%`;
}
