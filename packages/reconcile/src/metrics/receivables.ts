// The four AR figures of a period that DSO and CEI read (beginning AR, credit sales, ending AR, ending current AR).

import { addDays, daysBetween, periodOfDay, periodStart, shiftPeriod } from "../calendar";
import { normalizeCurrency } from "../money";
import {
  type AppliedPayment,
  daysPastDue,
  type IgnoredApplication,
  type MetricInvoice,
  openBalancesAt,
} from "./ledger";

/** A calendar month of a period, clipped to the period's ends: its days and the credit sales issued in them. */
export interface MonthSlice {
  period: string; // YYYY-MM
  from: string;
  to: string;
  days: number;
  salesMinor: bigint;
}

export interface PeriodReceivables {
  currency: string;
  from: string;
  to: string;
  days: number;
  /** AR at the end of the day before `from`. */
  beginningArMinor: bigint;
  /** Totals of invoices issued from `from` to `to` (credit notes subtract). */
  creditSalesMinor: bigint;
  /** AR at the end of `to`. */
  endingArMinor: bigint;
  /** The part of ending AR not yet past due at `to` (the aging's current bucket). */
  endingCurrentArMinor: bigint;
  months: MonthSlice[];
  ignored: IgnoredApplication[];
}

export interface PeriodReceivablesInput {
  invoices: readonly MetricInvoice[];
  applications: readonly AppliedPayment[];
  currency: string;
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
}

/** Days from `from` to `to`, both inclusive; `to` before `from` is a caller bug. */
export function daysInclusive(from: string, to: string): number {
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw new RangeError(`Period ends before it starts: ${from}..${to}`);
  return days;
}

/** The calendar months of [from, to], the first and last clipped: 2026-10-15..2026-12-10 -> Oct 15-31, Nov, Dec 1-10. */
export function monthSlices(from: string, to: string): Omit<MonthSlice, "salesMinor">[] {
  daysInclusive(from, to);
  const slices: Omit<MonthSlice, "salesMinor">[] = [];
  let start = from;
  while (start <= to) {
    const period = periodOfDay(start);
    const monthEnd = addDays(periodStart(shiftPeriod(period, 1)), -1);
    const end = monthEnd < to ? monthEnd : to;
    slices.push({ period, from: start, to: end, days: daysInclusive(start, end) });
    start = addDays(end, 1);
  }
  return slices;
}

/**
 * AR = the sum of positive open balances (an overpaid invoice is a credit, not a receivable) of invoices in `currency`.
 * Beginning AR is taken at the day before `from`, ending AR and ending current AR at `to`.
 */
export function receivablesForPeriod(input: PeriodReceivablesInput): PeriodReceivables {
  const currency = normalizeCurrency(input.currency);
  const own = input.invoices.filter((invoice) => normalizeCurrency(invoice.currency) === currency);
  const ownIds = new Set(own.map((invoice) => invoice.id));
  const applications = input.applications.filter((application) => ownIds.has(application.invoiceId));
  const arAt = (day: string, onlyCurrent: boolean): bigint => {
    let ar = 0n;
    for (const { invoice, openMinor } of openBalancesAt(own, applications, day).invoices) {
      if (openMinor > 0n && (!onlyCurrent || daysPastDue(invoice, day) <= 0)) ar += openMinor;
    }
    return ar;
  };
  // Reported: applications to this currency's invoices in another currency, and this currency's to unknown invoices.
  const ignored = openBalancesAt(input.invoices, input.applications, input.to).ignored.filter((entry) =>
    entry.reason === "currency-mismatch"
      ? ownIds.has(entry.application.invoiceId)
      : normalizeCurrency(entry.application.currency) === currency,
  );
  const months: MonthSlice[] = monthSlices(input.from, input.to).map((slice) => ({ ...slice, salesMinor: 0n }));
  let creditSalesMinor = 0n;
  for (const invoice of own) {
    if (invoice.issuedOn < input.from || invoice.issuedOn > input.to) continue;
    creditSalesMinor += invoice.totalMinor;
    const month = months.find((slice) => slice.from <= invoice.issuedOn && invoice.issuedOn <= slice.to);
    if (month) month.salesMinor += invoice.totalMinor;
  }
  return {
    currency,
    from: input.from,
    to: input.to,
    days: daysInclusive(input.from, input.to),
    beginningArMinor: arAt(addDays(input.from, -1), false),
    creditSalesMinor,
    endingArMinor: arAt(input.to, false),
    endingCurrentArMinor: arAt(input.to, true),
    months,
    ignored,
  };
}
