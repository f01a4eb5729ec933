// Words for rating results: unit prices, tier steps and plan segments as a finance person reads them.

import { currencyExponent, formatMoney, normalizeCurrency } from "../money";
import { formatQuantity } from "../quantity";
import type { PlanSegment, UncoveredDays } from "./coverage";
import type { PriceStep } from "./price";

const priceFormatters = new Map<string, Intl.NumberFormat>();

/** A unit price at its full precision: formatUnitPrice("0.0004", "USD") = "$0.0004"; "2.5" -> "$2.50". */
export function formatUnitPrice(unitPrice: string, currency: string, locale = "en-US"): string {
  const code = normalizeCurrency(currency);
  const decimals = Math.max(currencyExponent(code), unitPrice.split(".")[1]?.replace(/0+$/, "").length ?? 0);
  const key = `${locale}|${code}|${decimals}`;
  let formatter = priceFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: code,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    priceFormatters.set(key, formatter);
  }
  // An exact decimal string with no more digits than allowed, so Intl never rounds.
  return formatter.format(unitPrice as `${number}`);
}

/** "1,318.5" units; quantities in sentences keep up to 2 decimals. */
export function units(micro: bigint): string {
  return formatQuantity(micro, 2);
}

/** "10,000 at $0.10 + 5,000 at $0.08 (+ $10.00 tier fee)": the steps of a priced quantity. */
export function describeSteps(steps: readonly PriceStep[], currency: string): string {
  return steps
    .map((step) => {
      const fee = step.flatFeeMinor > 0n ? ` (+ ${formatMoney(step.flatFeeMinor, currency)} tier fee)` : "";
      return `${units(step.quantityMicro)} at ${formatUnitPrice(step.unitPrice, currency)}${fee}`;
    })
    .join(" + ");
}

/**
 * "Growth plan until 2026-10-14, Scale from 2026-10-15": who applied when. A plan that covers the whole month is
 * "Growth plan for all of 2026-10"; days no card covers are named too.
 */
export function describeSegments(
  period: string,
  segments: readonly PlanSegment[],
  uncovered: readonly UncoveredDays[],
  days: readonly string[],
): string {
  const first = days[0];
  const last = days[days.length - 1];
  const parts = [
    ...segments.map((s) => ({ from: s.from, text: s.plan, to: s.to })),
    ...uncovered.map((u) => ({ from: u.from, text: "no rate card", to: u.to })),
  ].sort((a, b) => (a.from < b.from ? -1 : 1));
  const sentence = parts.map((part, index) => {
    const name = index === 0 && part.text !== "no rate card" ? `${part.text} plan` : part.text;
    if (part.from === first && part.to === last) return `${name} for all of ${period}`;
    if (part.from === first) return `${name} until ${part.to}`;
    if (part.to === last) return `${name} from ${part.from}`;
    return part.from === part.to ? `${name} on ${part.from}` : `${name} from ${part.from} to ${part.to}`;
  });
  return sentence.join(", ");
}

/** "14/31 and 17/31", "14/31, 10/31 and 7/31". */
export function listShares(shares: readonly string[]): string {
  if (shares.length <= 1) return shares[0] ?? "";
  return `${shares.slice(0, -1).join(", ")} and ${shares[shares.length - 1]}`;
}
