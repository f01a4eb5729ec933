// Exact decimal arithmetic on bigint: parse decimal strings to scaled integers, and the one rounding rule (half-even).

/**
 * Reckon rounds in exactly one way, everywhere: half-even ("banker's rounding"). A value exactly halfway between two
 * representable values goes to the even one (0.125 -> 0.12, 0.135 -> 0.14), so repeated rounding has no upward bias.
 */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("divideHalfEven: division by zero");
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

const decimalPattern = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** True when `text` is a plain decimal: optional sign, digits, optional fraction ("1250.5", "-0.25", "7"). */
export function isDecimal(text: string): boolean {
  return decimalPattern.test(text);
}

/**
 * Parses a plain decimal string into an integer count of 10^-scale units, rounding half-even beyond `scale` decimals:
 * parseScaled("1250.5", 6) = 1250500000n; parseScaled("0.125", 2) = 12n. No exponents, separators or spaces; a
 * malformed string is a caller bug (sources are validated at the boundary), so it throws.
 */
export function parseScaled(text: string, scale: number): bigint {
  const match = decimalPattern.exec(text);
  if (!match) throw new RangeError(`Not a decimal: ${JSON.stringify(text)}`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const digits = BigInt(whole + fraction);
  const value =
    fraction.length <= scale
      ? digits * 10n ** BigInt(scale - fraction.length)
      : divideHalfEven(digits, 10n ** BigInt(fraction.length - scale));
  return sign === "-" ? -value : value;
}

/** The exact decimal string of `units` x 10^-scale, without trailing fraction zeros: toDecimalString(1250500000n, 6) = "1250.5". */
export function toDecimalString(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  const body = fraction ? `${whole}.${fraction}` : whole;
  return negative && body !== "0" ? `-${body}` : body;
}

/** Re-expresses `units` at scale `from` with `to` decimals (to <= from), rounding half-even. */
export function rescaleHalfEven(units: bigint, from: number, to: number): bigint {
  if (to >= from) return units * 10n ** BigInt(to - from);
  return divideHalfEven(units, 10n ** BigInt(from - to));
}
