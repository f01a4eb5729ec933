// The invoice and payment records reconciliation reads: plain data the caller adapts from its own rows.

import { periodOfDay, shiftPeriod } from "./calendar";

export const paymentStatuses = ["succeeded", "failed", "pending", "refunded", "disputed"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export interface InvoiceLineInput {
  /** The usage metric the line's item maps to; null when the item is not mapped (a base fee, a one-off). */
  metric: string | null;
  /** Billed quantity as a decimal string; null when the line has none. */
  quantity: string | null;
  amountMinor: bigint;
  serviceDate: string | null; // YYYY-MM-DD
  /** Unit price as the invoice states it, a decimal string in major units; checked against the rate card. */
  unitPrice?: string | null;
}

export interface InvoiceInput {
  id: string;
  number: string | null;
  /** Needed only when invoices of several customers are allocated together; omit it (or null) inside one account. */
  customerId?: string | null;
  currency: string;
  totalMinor: bigint;
  /** Open balance as the invoice's source reports it (shown when it disagrees; allocations decide what is paid). */
  balanceMinor: bigint;
  issuedOn: string; // YYYY-MM-DD
  dueOn: string | null; // YYYY-MM-DD
  lines: readonly InvoiceLineInput[];
}

/** An invoice a payment names: by invoice id or by invoice number, with the part of the payment meant for it. */
export interface PaymentReference {
  invoiceId: string | null;
  invoiceNumber: string | null;
  amountMinor: bigint | null;
}

export interface PaymentInput {
  id: string;
  customerId?: string | null;
  status: PaymentStatus;
  amountMinor: bigint;
  refundedMinor: bigint;
  currency: string;
  failureCode: string | null;
  failureMessage?: string | null;
  disputed: boolean;
  references: readonly PaymentReference[];
  createdAt: Date;
}

/** Plain code-unit order, the same in every locale and runtime. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest invoice first (issue date, then id). */
export function compareInvoices(a: InvoiceInput, b: InvoiceInput): number {
  return compareText(a.issuedOn, b.issuedOn) || compareText(a.id, b.id);
}

/** Oldest payment first (creation instant, then id). */
export function comparePayments(a: PaymentInput, b: PaymentInput): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.id, b.id);
}

/**
 * What a payment can pay, net of refunds: succeeded, refunded and disputed payments count for what was not refunded;
 * failed and pending ones for nothing.
 */
export function allocatableMinor(payment: PaymentInput): bigint {
  if (payment.status === "failed" || payment.status === "pending") return 0n;
  const net = payment.amountMinor - payment.refundedMinor;
  return net > 0n ? net : 0n;
}

/** The invoice a reference names: its id first, then its number; undefined when it is not among `invoices`. */
export function resolveReference(
  reference: PaymentReference,
  invoices: readonly InvoiceInput[],
): InvoiceInput | undefined {
  const byId = reference.invoiceId === null ? undefined : invoices.find((i) => i.id === reference.invoiceId);
  return (
    byId ?? (reference.invoiceNumber === null ? undefined : invoices.find((i) => i.number === reference.invoiceNumber))
  );
}

/**
 * The billing period of an invoice line: the month of its service date; without one, the month before the invoice's
 * issue date, because invoices bill usage in arrears (an invoice issued 2026-11-01 bills 2026-10).
 */
export function linePeriod(line: InvoiceLineInput, invoice: InvoiceInput): string {
  return line.serviceDate === null ? shiftPeriod(periodOfDay(invoice.issuedOn), -1) : periodOfDay(line.serviceDate);
}

/** The period an invoice's payment status is reported under: the earliest period among its lines (same rule). */
export function invoicePeriod(invoice: InvoiceInput): string {
  const periods = invoice.lines.map((line) => linePeriod(line, invoice)).sort();
  return periods[0] ?? shiftPeriod(periodOfDay(invoice.issuedOn), -1);
}
