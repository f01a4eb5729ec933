// Exact rational amounts (minor units or micro-units) and the single half-even rounding step that ends each line.

import { divideHalfEven, isDecimal, parseScaled } from "../decimal";
import { currencyExponent } from "../money";
import { QUANTITY_DECIMALS } from "../quantity";

/** numerator / denominator, exactly; the denominator is always positive. */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

export const ZERO: Fraction = { numerator: 0n, denominator: 1n };

export function whole(value: bigint): Fraction {
  return { numerator: value, denominator: 1n };
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

export function addFractions(a: Fraction, b: Fraction): Fraction {
  const numerator = a.numerator * b.denominator + b.numerator * a.denominator;
  const denominator = a.denominator * b.denominator;
  const divisor = gcd(numerator, denominator);
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

export function sumFractions(values: readonly Fraction[]): Fraction {
  return values.reduce(addFractions, ZERO);
}

/** value x numerator / denominator, exactly: proration of `value` by days / days-in-month. */
export function scaleBy(value: bigint, numerator: bigint, denominator: bigint): Fraction {
  return addFractions(ZERO, { numerator: value * numerator, denominator });
}

/**
 * The package's one rounding rule (half-even on the last unit kept: a minor unit for money, a micro-unit for
 * quantities), applied to an exact value exactly once.
 */
export function roundHalfEven(value: Fraction): bigint {
  return divideHalfEven(value.numerator, value.denominator);
}

/**
 * Splits a rounded total into parts that each differ from their exact value by less than one unit and that sum to
 * exactly round(sum of parts): part k = round(parts 1..k) - round(parts 1..k-1). Only the running total is ever
 * rounded, so a line's breakdown always adds up to the line.
 */
export function apportion(parts: readonly Fraction[]): bigint[] {
  let running = ZERO;
  let previous = 0n;
  return parts.map((part) => {
    running = addFractions(running, part);
    const rounded = roundHalfEven(running);
    const share = rounded - previous;
    previous = rounded;
    return share;
  });
}

/** An exact decimal string as a fraction: "0.0004" -> 4/10000. A malformed string is a caller bug and throws. */
export function parseExactDecimal(text: string): Fraction {
  if (!isDecimal(text)) throw new RangeError(`Not a decimal: ${JSON.stringify(text)}`);
  const decimals = text.split(".")[1]?.length ?? 0;
  return addFractions(ZERO, { numerator: parseScaled(text, decimals), denominator: 10n ** BigInt(decimals) });
}

/** Exact minor units of `quantityMicro` units at `unitPrice` (major units per unit) in `currency`. */
export function costOf(quantityMicro: bigint, unitPrice: string, currency: string): Fraction {
  const price = parseExactDecimal(unitPrice);
  const minorPerMajor = 10n ** BigInt(currencyExponent(currency));
  return addFractions(ZERO, {
    numerator: quantityMicro * price.numerator * minorPerMajor,
    denominator: price.denominator * 10n ** BigInt(QUANTITY_DECIMALS),
  });
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareFractions(a: Fraction, b: Fraction): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}
