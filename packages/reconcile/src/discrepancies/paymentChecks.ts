// Payment-side findings: duplicate charges, and per invoice failed, partial, over-, refunded, disputed and
// currency-mismatched payments (README.md states each rule).

import { utcDay } from "../calendar";
import type { InvoicePaymentResult } from "../invoiceStatus";
import { formatMoney, normalizeCurrency } from "../money";
import type { AllocationResult } from "../payments";
import { comparePayments, compareText, type InvoiceInput, type PaymentInput, resolveReference } from "../records";
import { type Discrepancy, discrepancy } from "./model";
import { sourceId } from "./sourceIds";

/** Two succeeded charges this close together, for the same amount and invoices, are one charge made twice. */
export const DUPLICATE_CHARGE_WINDOW_HOURS = 24;

export interface DuplicateCharge {
  original: PaymentInput;
  duplicate: PaymentInput;
  invoices: InvoiceInput[];
}

function namedInvoices(payment: PaymentInput, invoices: readonly InvoiceInput[]): InvoiceInput[] {
  const found = payment.references
    .map((r) => resolveReference(r, invoices))
    .filter((i): i is InvoiceInput => i !== undefined);
  return [...new Map(found.map((i) => [i.id, i])).values()].sort((a, b) => compareText(a.id, b.id));
}

/** Later charges that repeat an earlier one; each duplicate is reported once, against the charge it repeats. */
export function findDuplicateCharges(
  payments: readonly PaymentInput[],
  invoices: readonly InvoiceInput[],
): DuplicateCharge[] {
  const succeeded = payments.filter((p) => p.status === "succeeded").sort(comparePayments);
  const found: DuplicateCharge[] = [];
  const used = new Set<string>();
  const windowMs = DUPLICATE_CHARGE_WINDOW_HOURS * 3_600_000;
  for (const [index, later] of succeeded.entries()) {
    const laterInvoices = namedInvoices(later, invoices)
      .map((i) => i.id)
      .join(",");
    const original = succeeded.slice(0, index).find(
      (earlier) =>
        !used.has(earlier.id) &&
        (earlier.customerId ?? null) === (later.customerId ?? null) &&
        earlier.amountMinor === later.amountMinor &&
        normalizeCurrency(earlier.currency) === normalizeCurrency(later.currency) &&
        later.createdAt.getTime() - earlier.createdAt.getTime() <= windowMs &&
        namedInvoices(earlier, invoices)
          .map((i) => i.id)
          .join(",") === laterInvoices,
    );
    if (!original) continue;
    used.add(later.id);
    found.push({ original, duplicate: later, invoices: namedInvoices(later, invoices) });
  }
  return found;
}

export function duplicateChargeFinding(dup: DuplicateCharge, period: string): Discrepancy {
  const currency = normalizeCurrency(dup.duplicate.currency);
  const named = dup.invoices.map((i) => i.number ?? i.id).join(", ");
  const minutes = Math.round((dup.duplicate.createdAt.getTime() - dup.original.createdAt.getTime()) / 60_000);
  return discrepancy({
    code: "duplicate_charge",
    amountMinor: dup.duplicate.amountMinor,
    currency,
    period,
    sourceIds: [dup.original.id, dup.duplicate.id, ...dup.invoices.map((i) => sourceId.invoice(i.id))],
    explanation: `Charge ${dup.duplicate.id} repeats ${dup.original.id} ${minutes} minute${minutes === 1 ? "" : "s"} later for the same ${formatMoney(dup.duplicate.amountMinor, currency)}${named ? ` on invoice ${named}` : ""}: a duplicate charge to refund.`,
  });
}

/** The payment-side findings of one invoice. */
export function invoicePaymentFindings(
  invoice: InvoiceInput,
  result: InvoicePaymentResult,
  allocation: AllocationResult,
  payments: readonly PaymentInput[],
  period: string,
): Discrepancy[] {
  const found: Discrepancy[] = [];
  const currency = result.currency;
  const money = (minor: bigint) => formatMoney(minor, currency);
  const label = invoice.number ?? invoice.id;
  const ref = sourceId.invoice(invoice.id);
  const related = payments.filter((p) => result.paymentIds.includes(p.id));
  const add = (code: Discrepancy["code"], amountMinor: bigint, ids: string[], explanation: string) =>
    found.push(discrepancy({ code, amountMinor, currency, period, sourceIds: [...ids, ref], explanation }));

  const disputed = related.filter((p) => p.status === "disputed" || p.disputed);
  const refunded = related.filter((p) => p.refundedMinor > 0n || p.status === "refunded");
  if (disputed.length > 0) {
    const amount = disputed.reduce((sum, p) => sum + p.amountMinor, 0n);
    add(
      "dispute",
      amount,
      disputed.map((p) => p.id),
      `${result.explanation.replace(/\.$/, "")}: ${money(amount)} disputed.`,
    );
  }
  if (refunded.length > 0) {
    const amount = refunded.reduce(
      (sum, p) => sum + (p.status === "refunded" && p.refundedMinor === 0n ? p.amountMinor : p.refundedMinor),
      0n,
    );
    add(
      "refund",
      amount,
      refunded.map((p) => p.id),
      `${money(amount)} of the payment of invoice ${label} was refunded; ${money(result.outstandingMinor)} is open again.`,
    );
  }
  if (result.lastFailure && result.outstandingMinor > 0n) {
    add(
      "failed_payment",
      result.outstandingMinor,
      [result.lastFailure.paymentId],
      `${result.explanation.replace(/\.$/, "")}: failed payment, ${money(result.outstandingMinor)} not collected.`,
    );
  } else if (result.paidMinor > 0n && result.outstandingMinor > 0n && disputed.length === 0 && refunded.length === 0) {
    const payers = allocation.allocations.filter((a) => a.invoiceId === invoice.id).map((a) => a.paymentId);
    add(
      "partial_payment",
      result.outstandingMinor,
      payers,
      `Invoice ${label} for ${money(invoice.totalMinor)} was paid ${money(result.paidMinor)}: partial payment, ${money(result.outstandingMinor)} still outstanding.`,
    );
  }
  if (result.creditMinor > 0n) {
    const payers = allocation.unallocated
      .filter((u) => u.reason === "overpayment" && u.creditInvoiceId === invoice.id)
      .map((u) => u.paymentId);
    add("overpayment", result.creditMinor, payers, `${result.explanation.replace(/\.$/, "")}: overpayment.`);
  }
  const mismatches = allocation.issues.filter((i) => i.kind === "currency_mismatch" && i.invoiceId === invoice.id);
  if (mismatches.length > 0) {
    add(
      "currency_mismatch",
      invoice.totalMinor,
      mismatches.map((i) => i.paymentId),
      mismatches.map((i) => i.explanation).join(" "),
    );
  }
  return found;
}

/** The invoice period a duplicate charge belongs to: its invoice's, else the month it was made in. */
export function chargePeriod(dup: DuplicateCharge, periodOf: (invoice: InvoiceInput) => string): string {
  const first = dup.invoices[0];
  return first ? periodOf(first) : utcDay(dup.duplicate.createdAt).slice(0, 7);
}
