// Exact decimals at the provider boundary: JSON numbers and strings to minor units or decimal strings, never via floats.
// (packages/reconcile has its own money module; connectors must not depend on it, so this small helper is duplicated.)

const plainPattern = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A decimal as an integer count of 10^-scale units: 12.5 = { units: 125n, scale: 1 }. */
export interface ScaledDecimal {
  units: bigint;
  scale: number;
}

/**
 * Parses a decimal given as a string or as a JS number, exactly. A number is read through its shortest round-trip
 * string (what JSON.stringify prints: 0.1 + 0.2 is "0.30000000000000004", 1e21 is "1e+21"), so the digits the provider
 * sent come back unchanged. Exponent notation is expanded. Throws RangeError on anything that is not a finite decimal.
 */
export function parseDecimal(value: number | string): ScaledDecimal {
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError(`Not a finite decimal: ${value}`);
  const text = typeof value === "number" ? String(value) : value.trim();
  const match = plainPattern.exec(text);
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match ?? [];
  if (!match || (whole === "" && fraction === "")) throw new RangeError(`Not a decimal: ${JSON.stringify(value)}`);
  const exponent = Number.parseInt(exponentText, 10);
  if (Math.abs(exponent) > 1000) throw new RangeError(`Decimal exponent out of range: ${JSON.stringify(value)}`);
  let digits = BigInt(`${whole || "0"}${fraction}`);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign === "-" ? -digits : digits, scale };
}

/** Divides and rounds half-even (0.125 -> 0.12, 0.135 -> 0.14): Reckon's one rounding rule. */
function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twiceRemainder = (n % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Re-expresses a decimal with `scale` decimals, rounding half-even when digits are dropped. */
export function rescale(value: ScaledDecimal, scale: number): bigint {
  if (scale >= value.scale) return value.units * 10n ** BigInt(scale - value.scale);
  return divideHalfEven(value.units, 10n ** BigInt(value.scale - scale));
}

/**
 * A major-unit amount (123.45, "-0.5", "1e21") in minor units for a currency with `exponent` decimals
 * (2 for USD, 0 for JPY, 3 for KWD), exactly; extra digits round half-even.
 */
export function decimalToMinor(value: number | string, exponent: number): bigint {
  return rescale(parseDecimal(value), exponent);
}

/** The plain decimal string of a scaled value, without trailing zeros or exponent: { 12500n, 3 } -> "12.5". */
export function formatDecimal(value: ScaledDecimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, "0");
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, "");
  const body = fraction ? `${whole}.${fraction}` : whole;
  return negative && body !== "0" ? `-${body}` : body;
}

/** A provider's number or numeric string as a plain decimal string ("1e-7" -> "0.0000001"), exactly. */
export function toDecimalString(value: number | string): string {
  return formatDecimal(parseDecimal(value));
}

/** The exact sum of decimals. */
export function addDecimals(a: ScaledDecimal, b: ScaledDecimal): ScaledDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

// ISO 4217 minor-unit exponents that differ from 2 (ISO 4217 list one, "Minor unit" column).
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

/** How many decimals a currency's minor unit has (ISO 4217): USD 2, JPY 0, KWD 3. Unknown codes default to 2. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (zeroDecimal.has(code)) return 0;
  if (threeDecimal.has(code)) return 3;
  if (fourDecimal.has(code)) return 4;
  return 2;
}
