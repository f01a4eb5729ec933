// How amounts, quantities and instants read in a PDF report: exact string math from integer units, never floats.
import { formatQuantity, parseQuantity } from "@reckon/reconcile";
import type { MoneyJson } from "../../money";
import { minorToMajor } from "../csv";

/**
 * A verb's answer after JSON (bigint became a decimal string), so a report takes what a verb returns as it is:
 * Json<UsageProjection> is the projection inside getAccountForecast's answer.
 */
export type Json<T> = T extends bigint
  ? string
  : T extends ReadonlyArray<infer U>
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** Shown for an amount or value that does not exist (an account with no invoices has no outstanding amount). */
export const NONE = "—";

/** Groups the whole part of a plain decimal by thousands: "-1234567.50" -> "-1,234,567.50". */
export function groupThousands(decimal: string): string {
  const [whole = "", fraction] = decimal.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * Money as "USD 12,345.67": the ISO code rather than a symbol, because the report's standard fonts cannot draw every
 * symbol (₹, ₩) and "$" alone is ambiguous across USD, CAD and AUD.
 */
export function formatMoneyCode(money: MoneyJson | null | undefined): string {
  if (!money) return NONE;
  return `${money.currency} ${formatMajor(money.minor, money.currency)}`;
}

/** Minor units as grouped major units without the code, for chart axes: 1234500n USD -> "12,345.00". */
export function formatMajor(minor: bigint | string, currency: string): string {
  return groupThousands(minorToMajor(minor, currency));
}

/** Usage in micro-units (as the forecast verbs return it) for people: "1,250.5 GB". */
export function formatUsage(micro: bigint | string, unit: string | null): string {
  const text = formatQuantity(BigInt(micro));
  return unit ? `${text} ${unit}` : text;
}

/** A usage decimal as the account verbs return it ("1250.5") for people, rounded like formatUsage. */
export function formatUsageDecimal(decimal: string, unit: string | null): string {
  return formatUsage(parseQuantity(decimal), unit);
}

/** An instant in UTC to the minute: "2026-11-15 14:03 UTC". Reports go to several people; UTC is unambiguous. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an ISO instant: ${JSON.stringify(iso)}`);
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
