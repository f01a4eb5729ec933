// Payment-to-invoice allocation: explicit references first, then same customer + equal amount + date window.

import { daysBetween, utcDay } from "./calendar";
import { formatMoney, normalizeCurrency } from "./money";
import {
  allocatableMinor,
  compareInvoices,
  comparePayments,
  compareText,
  type InvoiceInput,
  type PaymentInput,
  resolveReference,
} from "./records";

export type AllocationMethod = "reference" | "match";

export interface Allocation {
  paymentId: string;
  invoiceId: string;
  amountMinor: bigint;
  currency: string;
  method: AllocationMethod;
}

export type UnallocatedReason = "overpayment" | "unmatched" | "currency_mismatch";

export interface UnallocatedPayment {
  paymentId: string;
  currency: string;
  /** The part of the payment (net of refunds) that no invoice received. */
  amountMinor: bigint;
  reason: UnallocatedReason;
  /** For an overpayment, the invoice its credit belongs to: the latest invoice the payment paid or named. */
  creditInvoiceId: string | null;
  explanation: string;
}

export interface PaymentIssue {
  kind: "currency_mismatch" | "unknown_reference";
  paymentId: string;
  invoiceId: string | null;
  explanation: string;
}

export interface AllocationResult {
  allocations: Allocation[];
  unallocated: UnallocatedPayment[];
  issues: PaymentIssue[];
}

/** Window for matching without a reference: the payment from 5 days before to 60 days after the invoice date. */
export const MATCH_WINDOW_DAYS = { before: 5, after: 60 } as const;

function label(invoice: InvoiceInput): string {
  return invoice.number ?? invoice.id;
}

function minBigint(...values: bigint[]): bigint {
  // Math.min does not take bigints.
  let least = values[0] ?? 0n;
  for (const value of values) if (value < least) least = value;
  return least;
}

/**
 * Allocates payments to invoices, deterministically whatever the input order:
 * 1. explicit references, payments oldest first; within a payment, references with an amount (a split) first, then
 *    oldest invoice first; a reference without an amount takes what is left of the payment;
 * 2. payments that named no invoice of this set: the oldest invoice of the same customer and currency whose open amount
 *    equals the payment and whose date is within -5..+60 days of the payment.
 * Never more than the payment (net of refunds) nor more than the invoice total; what is left is an overpayment credit
 * (or unmatched). A currency mismatch is reported, never allocated.
 */
export function allocatePayments(
  invoices: readonly InvoiceInput[],
  payments: readonly PaymentInput[],
): AllocationResult {
  const sortedInvoices = [...invoices].sort(compareInvoices);
  const sortedPayments = [...payments].sort(comparePayments);
  const invoiceOrder = new Map(sortedInvoices.map((invoice, index) => [invoice.id, index]));
  const invoiceOpen = new Map(sortedInvoices.map((i) => [i.id, i.totalMinor > 0n ? i.totalMinor : 0n]));
  const paymentLeft = new Map(sortedPayments.map((p) => [p.id, allocatableMinor(p)]));
  const allocated = new Map<string, Allocation>();
  const issues: PaymentIssue[] = [];
  const named = new Map<string, InvoiceInput[]>(); // payment id -> same-currency invoices it names
  const mismatched = new Set<string>();

  const allocate = (payment: PaymentInput, invoice: InvoiceInput, amount: bigint, method: AllocationMethod) => {
    if (amount <= 0n) return;
    const key = `${payment.id}\u0000${invoice.id}\u0000${method}`;
    const existing = allocated.get(key);
    if (existing) existing.amountMinor += amount;
    else {
      allocated.set(key, {
        paymentId: payment.id,
        invoiceId: invoice.id,
        amountMinor: amount,
        currency: normalizeCurrency(invoice.currency),
        method,
      });
    }
    paymentLeft.set(payment.id, (paymentLeft.get(payment.id) ?? 0n) - amount);
    invoiceOpen.set(invoice.id, (invoiceOpen.get(invoice.id) ?? 0n) - amount);
  };

  const mismatch = (payment: PaymentInput, invoice: InvoiceInput, how: string) => {
    mismatched.add(payment.id);
    issues.push({
      kind: "currency_mismatch",
      paymentId: payment.id,
      invoiceId: invoice.id,
      explanation: `Payment ${payment.id} of ${formatMoney(payment.amountMinor, payment.currency)} ${how} invoice ${label(invoice)}, billed in ${normalizeCurrency(invoice.currency)}: not applied (currency mismatch).`,
    });
  };

  // 1. Explicit references.
  for (const payment of sortedPayments) {
    const resolved: { invoice: InvoiceInput; amount: bigint | null }[] = [];
    for (const reference of payment.references) {
      const invoice = resolveReference(reference, sortedInvoices);
      if (invoice) resolved.push({ invoice, amount: reference.amountMinor });
      else {
        issues.push({
          kind: "unknown_reference",
          paymentId: payment.id,
          invoiceId: null,
          explanation: `Payment ${payment.id} names invoice ${reference.invoiceNumber ?? reference.invoiceId ?? "(blank)"}, which is not among this account's invoices.`,
        });
      }
    }
    resolved.sort(
      (a, b) =>
        Number(a.amount === null) - Number(b.amount === null) ||
        (invoiceOrder.get(a.invoice.id) ?? 0) - (invoiceOrder.get(b.invoice.id) ?? 0) ||
        (a.amount !== null && b.amount !== null ? (a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0) : 0),
    );
    for (const { invoice, amount } of resolved) {
      if (normalizeCurrency(invoice.currency) !== normalizeCurrency(payment.currency)) {
        if (!issues.some((i) => i.paymentId === payment.id && i.invoiceId === invoice.id))
          mismatch(payment, invoice, "names");
        continue;
      }
      const list = named.get(payment.id) ?? [];
      if (!list.includes(invoice)) list.push(invoice);
      named.set(payment.id, list);
      const wanted = amount === null ? (paymentLeft.get(payment.id) ?? 0n) : amount;
      allocate(
        payment,
        invoice,
        minBigint(wanted, paymentLeft.get(payment.id) ?? 0n, invoiceOpen.get(invoice.id) ?? 0n),
        "reference",
      );
    }
  }

  // 2. Matching for payments that named none of these invoices (or only ones in another currency).
  for (const payment of sortedPayments) {
    const left = paymentLeft.get(payment.id) ?? 0n;
    if (left <= 0n || named.has(payment.id) || mismatched.has(payment.id)) continue;
    const paidOn = utcDay(payment.createdAt);
    const candidates = sortedInvoices.filter((invoice) => {
      const days = daysBetween(invoice.issuedOn, paidOn);
      return (
        (invoice.customerId ?? null) === (payment.customerId ?? null) &&
        invoiceOpen.get(invoice.id) === left &&
        days >= -MATCH_WINDOW_DAYS.before &&
        days <= MATCH_WINDOW_DAYS.after
      );
    });
    const currency = normalizeCurrency(payment.currency);
    const match = candidates.find((invoice) => normalizeCurrency(invoice.currency) === currency);
    if (match) {
      named.set(payment.id, [match]);
      allocate(payment, match, left, "match");
    } else if (candidates[0]) mismatch(payment, candidates[0], "matches the amount and date of");
  }

  const allocations = [...allocated.values()].sort(
    (a, b) =>
      compareText(a.paymentId, b.paymentId) ||
      (invoiceOrder.get(a.invoiceId) ?? 0) - (invoiceOrder.get(b.invoiceId) ?? 0) ||
      compareText(a.method, b.method),
  );

  const unallocated: UnallocatedPayment[] = [];
  for (const payment of sortedPayments) {
    const left = paymentLeft.get(payment.id) ?? 0n;
    if (left <= 0n) continue;
    const currency = normalizeCurrency(payment.currency);
    const amount = formatMoney(left, currency);
    const credited = (named.get(payment.id) ?? []).sort(compareInvoices).at(-1);
    if (credited) {
      unallocated.push({
        paymentId: payment.id,
        currency,
        amountMinor: left,
        reason: "overpayment",
        creditInvoiceId: credited.id,
        explanation: `Payment ${payment.id} paid ${amount} more than invoice ${label(credited)} had open: an overpayment credit.`,
      });
    } else {
      const isMismatch = mismatched.has(payment.id);
      unallocated.push({
        paymentId: payment.id,
        currency,
        amountMinor: left,
        reason: isMismatch ? "currency_mismatch" : "unmatched",
        creditInvoiceId: null,
        explanation: isMismatch
          ? `Payment ${payment.id} (${amount}) is in a different currency from the invoice it is for, so it was not applied.`
          : `Payment ${payment.id} (${amount}) names no invoice and matches none by amount and date: unapplied.`,
      });
    }
  }

  issues.sort(
    (a, b) =>
      compareText(a.paymentId, b.paymentId) ||
      compareText(a.invoiceId ?? "", b.invoiceId ?? "") ||
      compareText(a.kind, b.kind) ||
      compareText(a.explanation, b.explanation),
  );
  return { allocations, unallocated: unallocated.sort((a, b) => compareText(a.paymentId, b.paymentId)), issues };
}
