// Exact ratios (DSO days, CEI percent) and the one half-even rounding that turns a ratio into a figure people read.

import { divideHalfEven } from "../decimal";

/** numerator / denominator exactly, reduced, with a positive denominator. */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}

/** A ratio rounded half-even to `decimals` places, at the very end: `text` is fixed-point ("45.2"), `value` its number. */
export interface RoundedRatio {
  exact: Ratio;
  decimals: number;
  text: string;
  value: number;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

/** numerator / denominator as a reduced ratio; a zero denominator is a caller bug (callers report it as a value first). */
export function ratioOf(numerator: bigint, denominator: bigint): Ratio {
  if (denominator === 0n) throw new RangeError("ratioOf: zero denominator");
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator);
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

/** The fixed-point text of `scaled` x 10^-decimals, keeping trailing zeros: fixedText(452n, 1) = "45.2", (450n, 1) = "45.0". */
export function fixedText(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const body = decimals > 0 ? `${whole}.${digits.slice(digits.length - decimals)}` : whole;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/** Rounds an exact ratio half-even to `decimals` places: roundRatio(ratioOf(113n, 2n), 1) -> "56.5"; 1/8 to 2 -> "0.12". */
export function roundRatio(exact: Ratio, decimals: number): RoundedRatio {
  const scaled = divideHalfEven(exact.numerator * 10n ** BigInt(decimals), exact.denominator);
  const text = fixedText(scaled, decimals);
  return { exact, decimals, text, value: Number(text) };
}
