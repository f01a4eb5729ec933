// Stripe objects to Reckon's source records: customers and charges (with their refunds, disputes and invoice links).
import type Stripe from "stripe";
import type { InvoiceReference, PaymentStatus, SourceCustomer, SourcePayment } from "../records";

/** Stripe metadata keys by which a payment names the QuickBooks invoice(s) it pays (see packages/sandbox/README.md). */
export const referenceKeys = {
  invoiceId: "quickbooks_invoice_id",
  invoiceNumber: "invoice_number",
  splitIds: "quickbooks_invoice_ids",
  splitAmounts: "quickbooks_invoice_amounts",
} as const;

const fromUnix = (seconds: number): Date => new Date(seconds * 1000);

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}

/**
 * A Stripe customer (live or deleted). Stripe customers carry no update time, so `observedAt` is when we saw this
 * state: the sync's clock for a listing, the event's `created` for an event snapshot.
 */
export function mapCustomer(
  customer: Stripe.Customer | Stripe.DeletedCustomer,
  observedAt: Date,
  deleted = false,
): SourceCustomer {
  if (customer.deleted === true) {
    return {
      source: "stripe",
      sourceId: customer.id,
      name: "",
      email: null,
      metadata: {},
      currency: null,
      deleted: true,
      updatedAt: observedAt,
    };
  }
  return {
    source: "stripe",
    sourceId: customer.id,
    name: customer.name ?? customer.business_name ?? customer.individual_name ?? "",
    email: customer.email ?? null,
    metadata: { ...customer.metadata },
    currency: customer.currency ? customer.currency.toUpperCase() : null,
    deleted,
    updatedAt: observedAt,
  };
}

/**
 * Status in Reckon's words: Stripe's own `status` first; a succeeded charge that was disputed is "disputed", one with
 * money returned (fully or partly; `refundedMinor` says how much) is "refunded".
 */
export function chargeStatus(charge: Stripe.Charge): PaymentStatus {
  if (charge.status === "failed") return "failed";
  if (charge.status === "pending") return "pending";
  if (charge.status !== "succeeded") return "pending";
  if (charge.disputed) return "disputed";
  if (charge.refunded || charge.amount_refunded > 0) return "refunded";
  return "succeeded";
}

const minorPattern = /^-?\d+$/;

/** The invoices a charge names in its metadata: one id/number, or a split over several ids with per-invoice amounts. */
export function chargeReferences(metadata: Stripe.Metadata): InvoiceReference[] {
  const splitIds = metadata[referenceKeys.splitIds]?.trim();
  if (splitIds) {
    const ids = splitIds
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "");
    const amounts = (metadata[referenceKeys.splitAmounts] ?? "").split(",").map((amount) => amount.trim());
    // Amounts count only when there is exactly one well-formed minor-unit integer per invoice id.
    const amountsUsable = amounts.length === ids.length && amounts.every((amount) => minorPattern.test(amount));
    return ids.map((id, index) => ({
      invoiceSourceId: id,
      invoiceNumber: null,
      amountMinor: amountsUsable ? BigInt(amounts[index] ?? "0") : null,
    }));
  }
  const invoiceSourceId = metadata[referenceKeys.invoiceId]?.trim() || null;
  const invoiceNumber = metadata[referenceKeys.invoiceNumber]?.trim() || null;
  if (invoiceSourceId === null && invoiceNumber === null) return [];
  return [{ invoiceSourceId, invoiceNumber, amountMinor: null }];
}

/**
 * A charge as a payment. Amounts are already minor units in Stripe. Invoice links come from metadata only: since API
 * version 2025-03-31 a Charge has no `invoice` field, and the invoice of record is QuickBooks' anyway.
 */
export function mapCharge(charge: Stripe.Charge, observedAt: Date): SourcePayment {
  const status = chargeStatus(charge);
  const failed = status === "failed";
  return {
    source: "stripe",
    sourceId: charge.id,
    paymentIntentId: idOf(charge.payment_intent),
    customerSourceId: idOf(charge.customer),
    amountMinor: BigInt(charge.amount),
    refundedMinor: BigInt(charge.amount_refunded),
    currency: charge.currency.toUpperCase(),
    status,
    failureCode: charge.failure_code ?? (failed ? (charge.outcome?.reason ?? null) : null),
    failureMessage: charge.failure_message ?? (failed ? (charge.outcome?.seller_message ?? null) : null),
    disputed: charge.disputed,
    references: chargeReferences(charge.metadata ?? {}),
    createdAt: fromUnix(charge.created),
    updatedAt: observedAt,
  };
}
