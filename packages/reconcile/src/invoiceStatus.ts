// Payment status of one invoice at a date: paid, partial, unpaid, overdue, overpaid, failed, refunded or disputed.

import { daysBetween, utcDay } from "./calendar";
import { formatMoney, normalizeCurrency } from "./money";
import type { AllocationResult } from "./payments";
import { allocatableMinor, comparePayments, type InvoiceInput, type PaymentInput, resolveReference } from "./records";

export const invoicePaymentStatuses = [
  "paid",
  "partial",
  "unpaid",
  "overdue",
  "overpaid",
  "failed",
  "refunded",
  "disputed",
] as const;
export type InvoicePaymentStatus = (typeof invoicePaymentStatuses)[number];

export interface PaymentFailure {
  paymentId: string;
  code: string | null;
  message: string | null;
  at: Date;
}

export interface InvoicePaymentResult {
  invoiceId: string;
  invoiceNumber: string | null;
  currency: string;
  totalMinor: bigint;
  /** What the allocated payments (net of refunds) paid towards the invoice. */
  paidMinor: bigint;
  /** totalMinor - paidMinor, never below zero. */
  outstandingMinor: bigint;
  /** Overpayment credit belonging to this invoice. */
  creditMinor: bigint;
  /** The open balance the invoice's source reports, for comparison. */
  sourceBalanceMinor: bigint;
  dueOn: string | null;
  /** Days past the due date while something is outstanding; null when nothing is late. */
  daysLate: number | null;
  status: InvoicePaymentStatus;
  /** The latest payment attempt on the invoice, when it failed. */
  lastFailure: PaymentFailure | null;
  /** Payments related to the invoice (allocated to it or naming it), oldest first. */
  paymentIds: string[];
  explanation: string;
}

function failureText(failure: PaymentFailure): string {
  const detail = [failure.code, failure.message].filter((part) => part !== null && part !== "").join(": ");
  return detail ? `the last charge failed (${detail})` : "the last charge failed";
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * The invoice's payment status at `asOf`, with the first that applies:
 * disputed (a payment for it is disputed) > refunded (a payment for it was refunded and something is open again) >
 * overpaid / paid (nothing outstanding, with or without a credit) > overdue (past the due date; `daysLate` counts UTC
 * days) > failed (the latest attempt failed) > partial > unpaid. `lastFailure` and `daysLate` are reported whatever
 * the status, so an overdue invoice whose last charge failed says both.
 * Payments count through `allocation` (the result of allocatePayments over the same invoices and payments).
 */
export function invoicePaymentStatus(
  invoice: InvoiceInput,
  allocation: AllocationResult,
  payments: readonly PaymentInput[],
  asOf: Date,
): InvoicePaymentResult {
  const currency = normalizeCurrency(invoice.currency);
  const money = (minor: bigint) => formatMoney(minor, currency);
  const mine = allocation.allocations.filter((a) => a.invoiceId === invoice.id);
  const paidMinor = mine.reduce((sum, a) => sum + a.amountMinor, 0n);
  const open = invoice.totalMinor - paidMinor;
  const outstandingMinor = open > 0n ? open : 0n;
  const creditMinor = allocation.unallocated
    .filter((u) => u.reason === "overpayment" && u.creditInvoiceId === invoice.id)
    .reduce((sum, u) => sum + u.amountMinor, 0n);

  const allocatedIds = new Set(mine.map((a) => a.paymentId));
  const related = payments
    .filter(
      (p) => allocatedIds.has(p.id) || p.references.some((r) => resolveReference(r, [invoice])?.id === invoice.id),
    )
    .sort(comparePayments);
  const latest = related.at(-1);
  const lastFailure: PaymentFailure | null =
    latest?.status === "failed"
      ? { paymentId: latest.id, code: latest.failureCode, message: latest.failureMessage ?? null, at: latest.createdAt }
      : null;

  const today = utcDay(asOf);
  const late = invoice.dueOn === null ? 0 : daysBetween(invoice.dueOn, today);
  const daysLate = outstandingMinor > 0n && late > 0 ? late : null;
  const disputed = related.filter((p) => p.status === "disputed" || p.disputed);
  const refunded = related.filter((p) => p.refundedMinor > 0n || p.status === "refunded");

  const head = `Invoice ${invoice.number ?? invoice.id} for ${money(invoice.totalMinor)}`;
  const due = invoice.dueOn === null ? "has no due date" : `is due ${invoice.dueOn}`;
  const failure = lastFailure && outstandingMinor > 0n ? `; ${failureText(lastFailure)}` : "";
  const lateText = daysLate === null ? "" : `, ${plural(daysLate, "day")} overdue`;

  let status: InvoicePaymentStatus;
  let explanation: string;
  if (disputed[0]) {
    status = "disputed";
    const atRisk = disputed.reduce((sum, p) => sum + allocatableMinor(p), 0n);
    explanation = `${head}: payment ${disputed.map((p) => p.id).join(", ")} is disputed, so ${money(atRisk)} received may be reversed; ${money(outstandingMinor)} outstanding${lateText}.`;
  } else if (refunded[0] && outstandingMinor > 0n) {
    status = "refunded";
    const back = refunded.reduce(
      (sum, p) => sum + (p.status === "refunded" && p.refundedMinor === 0n ? p.amountMinor : p.refundedMinor),
      0n,
    );
    explanation = `${head}: ${money(back)} of payment ${refunded.map((p) => p.id).join(", ")} was refunded; ${money(outstandingMinor)} outstanding${lateText}.`;
  } else if (outstandingMinor === 0n) {
    status = creditMinor > 0n ? "overpaid" : "paid";
    const by = allocatedIds.size > 1 ? ` by ${plural(allocatedIds.size, "payment")}` : "";
    explanation =
      creditMinor > 0n
        ? `${head} was paid in full with ${money(creditMinor)} over, held as a credit.`
        : invoice.totalMinor === 0n
          ? `${head} has nothing to pay.`
          : `${head} was paid in full${by}.`;
  } else if (daysLate !== null) {
    status = "overdue";
    const after = paidMinor > 0n ? ` after ${money(paidMinor)} paid` : "";
    explanation = `${head} was due ${invoice.dueOn}: ${plural(daysLate, "day")} overdue, ${money(outstandingMinor)} outstanding${after}${failure}.`;
  } else if (lastFailure) {
    status = "failed";
    explanation = `${head} ${due}: ${money(outstandingMinor)} outstanding${failure}.`;
  } else if (paidMinor > 0n) {
    status = "partial";
    explanation = `${head} ${due}: ${money(paidMinor)} paid, ${money(outstandingMinor)} outstanding.`;
  } else {
    status = "unpaid";
    explanation = `${head} ${due}: ${money(outstandingMinor)} outstanding, not yet overdue.`;
  }
  for (const issue of allocation.issues) {
    if (issue.kind === "currency_mismatch" && issue.invoiceId === invoice.id) explanation += ` ${issue.explanation}`;
  }
  if (invoice.balanceMinor !== outstandingMinor)
    explanation += ` Its source shows ${money(invoice.balanceMinor)} open.`;

  return {
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    currency,
    totalMinor: invoice.totalMinor,
    paidMinor,
    outstandingMinor,
    creditMinor,
    sourceBalanceMinor: invoice.balanceMinor,
    dueOn: invoice.dueOn,
    daysLate,
    status,
    lastFailure,
    paymentIds: related.map((p) => p.id),
    explanation,
  };
}
