// Money as the API sends it (integer minor units + ISO currency), shown and entered with the currency's own digits.
import type { Money } from "../api/types";

type Decimal = `${number}`;

/** How many minor digits a currency has (USD 2, JPY 0, KWD 3), as Intl knows it. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "123450" with 2 digits is "1234.50": exact, through bigint, never through a float. */
export function minorToDecimal(minor: string, digits: number): Decimal {
  const value = BigInt(minor);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const scale = 10n ** BigInt(digits);
  const whole = (magnitude / scale).toString();
  const fraction = (magnitude % scale).toString().padStart(digits, "0");
  return `${negative ? "-" : ""}${whole}${digits > 0 ? `.${fraction}` : ""}` as Decimal;
}

export function formatMoney(money: Money, locale: string): string {
  if (!/^-?\d+$/.test(money.minor)) return `${money.minor} ${money.currency}`;
  const digits = currencyDigits(money.currency);
  const format = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return format.format(minorToDecimal(money.minor, digits));
}

export type ParsedAmount = { ok: true; money: Money } | { ok: false; reason: string };

/** Reads what a person typed ("12.5") as money in `currency` ({ minor: "1250" }), or says what is wrong with it. */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const digits = currencyDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  const whole = match?.[1];
  if (!match || whole === undefined) {
    return {
      ok: false,
      reason: `Enter the amount in ${currency} as a number, for example ${digits > 0 ? "12.50" : "1200"}.`,
    };
  }
  const fraction = match[2] ?? "";
  if (fraction.length > digits) {
    return {
      ok: false,
      reason: digits === 0 ? `${currency} has no decimals.` : `Use at most ${digits} decimals for ${currency}.`,
    };
  }
  const minor = BigInt(whole + fraction.padEnd(digits, "0"));
  if (minor === 0n) return { ok: false, reason: "Enter an amount above zero." };
  return { ok: true, money: { minor: minor.toString(), currency } };
}
