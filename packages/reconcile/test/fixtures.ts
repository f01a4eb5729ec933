// Builders for test records: readable defaults, overridden field by field.

import type { InvoiceInput, InvoiceLineInput, PaymentInput, PaymentReference } from "../src/records";

export function invoice(fields: Partial<InvoiceInput> & { id: string }): InvoiceInput {
  const totalMinor = fields.totalMinor ?? 520_000n;
  return {
    number: fields.id.replace(/^inv-/, ""),
    currency: "USD",
    totalMinor,
    balanceMinor: totalMinor,
    issuedOn: "2026-10-01",
    dueOn: "2026-10-15",
    lines: [],
    ...fields,
  };
}

export function line(fields: Partial<InvoiceLineInput> = {}): InvoiceLineInput {
  return { metric: "gb_stored", quantity: "0", amountMinor: 0n, serviceDate: null, ...fields };
}

export function payment(fields: Partial<PaymentInput> & { id: string }): PaymentInput {
  return {
    status: "succeeded",
    amountMinor: 520_000n,
    refundedMinor: 0n,
    currency: "USD",
    failureCode: null,
    failureMessage: null,
    disputed: false,
    references: [],
    createdAt: new Date("2026-10-10T12:00:00Z"),
    ...fields,
  };
}

/** A reference by invoice number, optionally with the amount meant for it. */
export function ref(invoiceNumber: string, amountMinor: bigint | null = null): PaymentReference {
  return { invoiceId: null, invoiceNumber, amountMinor };
}
