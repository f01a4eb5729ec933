// The receivables ledger the metrics read: invoices, dated payment applications (refunds negative), open balances at a day.

import { daysBetween } from "../calendar";
import { normalizeCurrency } from "../money";

/** Days an invoice's service runs, both ends inclusive ("2026-10-01".."2026-12-31" is 92 days). */
export interface ServicePeriod {
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
}

/** An invoice as the metrics read it. A credit note is an invoice with a negative total. */
export interface MetricInvoice {
  id: string;
  number: string | null;
  customerId: string;
  currency: string;
  totalMinor: bigint;
  issuedOn: string; // YYYY-MM-DD
  /** Null means due on receipt: the invoice is due on its issue day. */
  dueOn: string | null;
  servicePeriod?: ServicePeriod | null;
}

/** Part of a payment applied to one invoice on a day (an allocation with its date); a refund is a negative application. */
export interface AppliedPayment {
  invoiceId: string;
  paidOn: string; // YYYY-MM-DD
  amountMinor: bigint;
  currency: string;
}

export type IgnoredApplicationReason = "unknown-invoice" | "currency-mismatch";

/** An application no balance could take: it names no invoice in the input, or is in another currency than its invoice. */
export interface IgnoredApplication {
  application: AppliedPayment;
  reason: IgnoredApplicationReason;
}

/** An invoice issued on or before the day, with what remains open on it (negative when overpaid). */
export interface OpenInvoice {
  invoice: MetricInvoice;
  currency: string;
  openMinor: bigint;
}

export interface OpenBalances {
  asOf: string;
  invoices: OpenInvoice[];
  ignored: IgnoredApplication[];
}

/** The day an invoice falls due: its due date, or its issue date when it is due on receipt. */
export function dueDayOf(invoice: MetricInvoice): string {
  return invoice.dueOn ?? invoice.issuedOn;
}

/** Whole days past due at `asOf` (0 or negative while not yet due): due 2026-12-01, asOf 2026-12-15 -> 14. */
export function daysPastDue(invoice: MetricInvoice, asOf: string): number {
  return daysBetween(dueDayOf(invoice), asOf);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Customer, then due day, then id: the order every metric lists invoices in, whatever the input order. */
export function compareOpenInvoices(a: OpenInvoice, b: OpenInvoice): number {
  return (
    compareText(a.invoice.customerId, b.invoice.customerId) ||
    compareText(dueDayOf(a.invoice), dueDayOf(b.invoice)) ||
    compareText(a.invoice.id, b.invoice.id)
  );
}

/**
 * Open balance of every invoice issued on or before `asOf`: total minus the applications paid on or before `asOf`
 * (a refund, being negative, reopens what it gives back). Applications after `asOf` have not happened yet at `asOf`.
 */
export function openBalancesAt(
  invoices: readonly MetricInvoice[],
  applications: readonly AppliedPayment[],
  asOf: string,
): OpenBalances {
  daysBetween(asOf, asOf); // validates the day
  const byId = new Map<string, OpenInvoice>();
  const known = new Map<string, string>();
  for (const invoice of invoices) known.set(invoice.id, normalizeCurrency(invoice.currency));
  for (const invoice of invoices) {
    if (invoice.issuedOn > asOf) continue;
    byId.set(invoice.id, { invoice, currency: normalizeCurrency(invoice.currency), openMinor: invoice.totalMinor });
  }
  const ignored: IgnoredApplication[] = [];
  for (const application of applications) {
    if (application.paidOn > asOf) continue;
    const currency = known.get(application.invoiceId);
    if (currency === undefined) {
      ignored.push({ application, reason: "unknown-invoice" });
    } else if (normalizeCurrency(application.currency) !== currency) {
      ignored.push({ application, reason: "currency-mismatch" });
    } else {
      const open = byId.get(application.invoiceId);
      // An application to an invoice not yet issued at `asOf` (a prepayment) waits until the invoice exists.
      if (open) open.openMinor -= application.amountMinor;
    }
  }
  ignored.sort(
    (a, b) =>
      compareText(a.application.paidOn, b.application.paidOn) ||
      compareText(a.application.invoiceId, b.application.invoiceId),
  );
  return { asOf, invoices: [...byId.values()].sort(compareOpenInvoices), ignored };
}
