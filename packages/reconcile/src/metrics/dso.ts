// Days sales outstanding for a period: standard (ending AR / credit sales x days) and countback (months walked back).

import { type Ratio, type RoundedRatio, ratioOf, roundRatio } from "./ratio";
import { daysInclusive, monthSlices, type PeriodReceivables } from "./receivables";

export const DSO_STANDARD_FORMULA = "DSO = ending AR / credit sales in the period x days in the period";
export const DSO_COUNTBACK_FORMULA =
  "DSO = days of the latest months whose credit sales ending AR covers in full, walking back from the period end, " +
  "+ (AR left / that month's sales) x its days for the month that covers the rest";

/** DSO is shown with one decimal, rounded half-even once, from the exact ratio. */
export const DSO_DECIMALS = 1;

export type DsoMethod = "standard" | "countback";

export type DsoResult =
  | {
      ok: true;
      method: DsoMethod;
      /** Exact days. */
      days: Ratio;
      rounded: RoundedRatio;
      /**
       * Countback only: ending AR is larger than all the period's sales, so DSO is more than the period's days
       * (`days` is then the period's length, a lower bound).
       */
      exceedsPeriod: boolean;
      text: string;
      formula: string;
    }
  | { ok: false; method: DsoMethod; reason: "no-credit-sales"; text: string; formula: string };

export interface DsoStandardInput {
  endingArMinor: bigint;
  creditSalesMinor: bigint;
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
}

function daysResult(method: DsoMethod, days: Ratio, exceedsPeriod: boolean, formula: string): DsoResult {
  const rounded = roundRatio(days, DSO_DECIMALS);
  const text = `${exceedsPeriod ? "more than " : ""}${rounded.text} days`;
  return { ok: true, method, days, rounded, exceedsPeriod, text, formula };
}

/**
 * Standard DSO: ending AR / credit sales in the period x days in the period (both ends inclusive).
 * E.g. AR $226,000, sales $460,000 over 2026-10-01..2026-12-31 (92 days): 226,000 / 460,000 x 92 = 45.2 days.
 * Without positive credit sales the ratio means nothing: reported as `no-credit-sales`.
 */
export function dsoStandard(input: DsoStandardInput): DsoResult {
  const days = daysInclusive(input.from, input.to);
  if (input.creditSalesMinor <= 0n) {
    return { ok: false, method: "standard", reason: "no-credit-sales", text: "n/a", formula: DSO_STANDARD_FORMULA };
  }
  const exact = ratioOf(input.endingArMinor * BigInt(days), input.creditSalesMinor);
  return daysResult("standard", exact, false, DSO_STANDARD_FORMULA);
}

export interface MonthSales {
  period: string; // YYYY-MM
  salesMinor: bigint;
}

export interface DsoCountbackInput {
  endingArMinor: bigint;
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
  /** Credit sales per calendar month of the period (a month not listed sold nothing; duplicates add up). */
  salesByMonth: readonly MonthSales[];
}

/**
 * Countback DSO. The period is cut into calendar months (the first and last clipped to `from` and `to`). Walking back
 * from the last month with AR left = ending AR: a month whose sales do not exceed the AR left counts all its days and
 * its sales are taken off; the first month whose sales exceed the AR left counts (AR left / its sales) x its days,
 * and the walk stops. A month with no (or negative) sales covers nothing and counts in full.
 * E.g. AR 250,000 at 2026-12-31 with Dec sales 150,000, Nov 120,000: Dec 31 days (100,000 left) + 100/120 x 30 = 56.
 */
export function dsoCountback(input: DsoCountbackInput): DsoResult {
  const sales = new Map<string, bigint>();
  for (const month of input.salesByMonth) sales.set(month.period, (sales.get(month.period) ?? 0n) + month.salesMinor);
  const slices = monthSlices(input.from, input.to);
  let left = input.endingArMinor;
  let days = ratioOf(0n, 1n);
  if (left <= 0n) return daysResult("countback", days, false, DSO_COUNTBACK_FORMULA);
  let whole = 0n;
  for (let index = slices.length - 1; index >= 0; index -= 1) {
    const slice = slices[index]!;
    const monthSales = sales.get(slice.period) ?? 0n;
    if (monthSales > 0n && left <= monthSales) {
      days = ratioOf(whole * monthSales + left * BigInt(slice.days), monthSales);
      return daysResult("countback", days, false, DSO_COUNTBACK_FORMULA);
    }
    whole += BigInt(slice.days);
    if (monthSales > 0n) left -= monthSales;
  }
  return daysResult("countback", ratioOf(whole, 1n), true, DSO_COUNTBACK_FORMULA);
}

/** Both DSO figures of a period computed from its receivables. */
export function dsoOfPeriod(receivables: PeriodReceivables): { standard: DsoResult; countback: DsoResult } {
  const { endingArMinor, from, to } = receivables;
  const salesByMonth = receivables.months.map(({ period, salesMinor }) => ({ period, salesMinor }));
  return {
    standard: dsoStandard({ endingArMinor, creditSalesMinor: receivables.creditSalesMinor, from, to }),
    countback: dsoCountback({ endingArMinor, from, to, salesByMonth }),
  };
}
