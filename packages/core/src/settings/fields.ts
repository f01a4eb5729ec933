// Input rules the settings verbs share: currency codes, exact FX rates, time zones and source-side ids.
import { z } from "zod";

/** An ISO 4217 code, upper-case. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD");

/**
 * Units of one currency for one unit of another: a decimal string, never a float, that fits fx_rates.rate
 * (numeric(20, 10): at most 10 digits either side of the point), and above zero.
 */
export const fxRateValue = z
  .string()
  .regex(/^\d{1,10}(\.\d{1,10})?$/, 'a decimal string with at most 10 decimal places, such as "1.0825"')
  .refine((value) => /[1-9]/.test(value), "must be greater than zero");

/** Whether this runtime knows the zone; its canonical spelling ("europe/paris" -> "Europe/Paris") when it does. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** An IANA zone name (no bare offsets like "+01:00": digests and quarter boundaries need the zone's rules). */
export const timeZoneName = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, "an IANA time zone such as America/New_York")
  .refine((name) => canonicalTimeZone(name) !== null, "not a time zone this server knows (IANA names only)");

/** Printable text: Postgres text refuses NUL and control characters only make trouble in ids. */
function printable(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/** An id as a source system spells it (Stripe customer, QuickBooks customer, Amplitude group), or a metric key. */
export const sourceText = (max: number) =>
  z.string().min(1).max(max).refine(printable, "must not contain control characters");

/** A QuickBooks item id: QuickBooks uses short numeric strings; this allows what fits a URL segment unescaped. */
export const quickbooksItemId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "a QuickBooks item id (letters, digits, _ . : -, up to 100)");
