// MRR entries derived from invoices whose service period is a month (or whole calendar months), by a stated rule.

import { addDays, periodOfDay, shiftPeriod } from "../calendar";
import { normalizeCurrency } from "../money";
import { allocateByWeights } from "./allocate";
import type { MetricInvoice } from "./ledger";
import type { MrrEntry } from "./mrr";
import { daysInclusive } from "./receivables";

export const MRR_FROM_INVOICES_RULE =
  "An invoice with a positive total is recurring when its service period is 28 to 31 days long (its total is the " +
  "MRR of the month the service starts in) or covers exactly N whole calendar months, N >= 2 (its total is spread " +
  "evenly over those months, rounded half-even on the running total so the months sum to the invoice); invoices " +
  "without a service period, credit notes and other spans are not recurring.";

/** The whole calendar months a service period covers exactly (from the 1st to a month's last day), or null. */
function wholeMonths(from: string, to: string): string[] | null {
  if (!from.endsWith("-01")) return null;
  if (periodOfDay(addDays(to, 1)) === periodOfDay(to)) return null;
  const months: string[] = [];
  for (let period = periodOfDay(from); period <= periodOfDay(to); period = shiftPeriod(period, 1)) months.push(period);
  return months;
}

/** The months an invoice's total counts as MRR in, with the amount per month; empty when it is not recurring. */
export function recurringMonthsOf(invoice: MetricInvoice): { period: string; mrrMinor: bigint }[] {
  const span = invoice.servicePeriod;
  if (!span || invoice.totalMinor <= 0n) return [];
  const days = daysInclusive(span.from, span.to);
  const months = wholeMonths(span.from, span.to);
  if (months && months.length >= 2) {
    const pieces = allocateByWeights(
      invoice.totalMinor,
      months.map(() => 1n),
    );
    return months.map((period, index) => ({ period, mrrMinor: pieces[index]! }));
  }
  if (days >= 28 && days <= 31) return [{ period: periodOfDay(span.from), mrrMinor: invoice.totalMinor }];
  return [];
}

/** MRR entries per account, month and currency from invoices, by MRR_FROM_INVOICES_RULE; sorted, amounts summed. */
export function mrrFromInvoices(invoices: readonly MetricInvoice[]): MrrEntry[] {
  const sums = new Map<string, MrrEntry>();
  for (const invoice of invoices) {
    const currency = normalizeCurrency(invoice.currency);
    for (const { period, mrrMinor } of recurringMonthsOf(invoice)) {
      const key = `${invoice.customerId}\u0000${period}\u0000${currency}`;
      const entry = sums.get(key);
      if (entry) entry.mrrMinor += mrrMinor;
      else sums.set(key, { accountId: invoice.customerId, period, currency, mrrMinor });
    }
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}
