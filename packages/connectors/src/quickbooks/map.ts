// QuickBooks Online v3 entities (validated with zod) to Reckon's source records; money converted exactly.
import { z } from "zod";
import { currencyExponent, decimalToMinor, toDecimalString } from "../decimal";
import type { InvoiceReference, SourceCustomer, SourceInvoice, SourceInvoiceLine, SourcePayment } from "../records";

// Field names from Intuit's Finance.xsd (intuit/QuickBooks-V3-Java-SDK); JSON uses the same PascalCase names.
// ChangeDataCapture answers a deleted entity with only Id, MetaData and status "Deleted", so most fields are optional.
const amount = z.union([z.number(), z.string()]);
const ref = z.object({ value: z.string(), name: z.string().optional() });
const meta = z.object({ CreateTime: z.string().optional(), LastUpdatedTime: z.string() });
const deletedStatus = z.string().optional();

export const qboCustomerSchema = z.object({
  Id: z.string(),
  DisplayName: z.string().optional(),
  CompanyName: z.string().optional(),
  PrimaryEmailAddr: z.object({ Address: z.string().optional() }).optional(),
  CurrencyRef: ref.optional(),
  Active: z.boolean().optional(),
  Notes: z.string().optional(),
  MetaData: meta,
  status: deletedStatus,
});

const salesLine = z.object({
  Id: z.string().optional(),
  DetailType: z.literal("SalesItemLineDetail"),
  Description: z.string().optional(),
  Amount: amount,
  SalesItemLineDetail: z.object({
    ItemRef: ref.optional(),
    Qty: amount.optional(),
    UnitPrice: amount.optional(),
    ServiceDate: z.string().optional(),
  }),
});
// SubTotal, discount, description-only and other line kinds are not billed items: kept loosely, then skipped.
const otherLine = z.object({ DetailType: z.string() }).loose();

export const qboInvoiceSchema = z.object({
  Id: z.string(),
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  DueDate: z.string().optional(),
  CustomerRef: ref.optional(),
  CurrencyRef: ref.optional(),
  Line: z.array(z.union([salesLine, otherLine])).optional(),
  TotalAmt: amount.optional(),
  Balance: amount.optional(),
  MetaData: meta,
  status: deletedStatus,
});

export const qboPaymentSchema = z.object({
  Id: z.string(),
  TxnDate: z.string().optional(),
  CustomerRef: ref.optional(),
  CurrencyRef: ref.optional(),
  TotalAmt: amount.optional(),
  Line: z
    .array(
      z.object({
        Amount: amount,
        LinkedTxn: z.array(z.object({ TxnId: z.string(), TxnType: z.string() })).optional(),
      }),
    )
    .optional(),
  MetaData: meta,
  status: deletedStatus,
});

export type QboCustomer = z.infer<typeof qboCustomerSchema>;
export type QboInvoice = z.infer<typeof qboInvoiceSchema>;
export type QboPayment = z.infer<typeof qboPaymentSchema>;

const isDeleted = (entity: { status?: string | undefined }): boolean => entity.status === "Deleted";
const instant = (text: string): Date => new Date(text);
/** A date (YYYY-MM-DD) from an ISO timestamp with offset, in UTC. */
const utcDay = (text: string): string => instant(text).toISOString().slice(0, 10);

const minor = (value: number | string | undefined, currency: string): bigint =>
  value === undefined ? 0n : decimalToMinor(value, currencyExponent(currency));
const decimalOrNull = (value: number | string | undefined): string | null =>
  value === undefined ? null : toDecimalString(value);

/**
 * A QuickBooks customer. QuickBooks "deletes" a customer by making it inactive, so inactive customers are flagged
 * deleted too. Customers carry no custom fields in QBO; `Notes` stays out of metadata (it is free text).
 */
export function mapQboCustomer(customer: QboCustomer): SourceCustomer {
  return {
    source: "quickbooks",
    sourceId: customer.Id,
    name: customer.DisplayName ?? customer.CompanyName ?? "",
    email: customer.PrimaryEmailAddr?.Address ?? null,
    metadata: {},
    currency: customer.CurrencyRef?.value.toUpperCase() ?? null,
    deleted: isDeleted(customer) || customer.Active === false,
    updatedAt: instant(customer.MetaData.LastUpdatedTime),
  };
}

/**
 * A QuickBooks invoice: SalesItemLineDetail lines only (the SubTotal line repeats the total). Amounts are JSON numbers
 * in major units, converted through their exact decimal string. A deleted invoice (CDC) has only its id and times:
 * the other fields are placeholders and only `deleted`/`updatedAt` mean anything.
 */
export function mapQboInvoice(invoice: QboInvoice, homeCurrency: string): SourceInvoice {
  const currency = (invoice.CurrencyRef?.value ?? homeCurrency).toUpperCase();
  const lines: SourceInvoiceLine[] = [];
  for (const [index, line] of (invoice.Line ?? []).entries()) {
    const parsed = salesLine.safeParse(line);
    if (!parsed.success) continue;
    const { SalesItemLineDetail: detail } = parsed.data;
    lines.push({
      lineId: parsed.data.Id ?? String(index + 1),
      itemId: detail.ItemRef?.value ?? null,
      itemName: detail.ItemRef?.name ?? null,
      description: parsed.data.Description ?? null,
      quantity: decimalOrNull(detail.Qty),
      unitPrice: decimalOrNull(detail.UnitPrice),
      amountMinor: minor(parsed.data.Amount, currency),
      serviceDate: detail.ServiceDate ?? null,
    });
  }
  return {
    sourceId: invoice.Id,
    number: invoice.DocNumber ?? null,
    customerSourceId: invoice.CustomerRef?.value ?? "",
    currency,
    totalMinor: minor(invoice.TotalAmt, currency),
    balanceMinor: minor(invoice.Balance, currency),
    issuedOn: invoice.TxnDate ?? utcDay(invoice.MetaData.LastUpdatedTime),
    dueOn: invoice.DueDate ?? null,
    lines,
    deleted: isDeleted(invoice),
    updatedAt: instant(invoice.MetaData.LastUpdatedTime),
  };
}

/**
 * A payment recorded in QuickBooks, always succeeded. Each Line applies `Amount` to the invoice(s) in its LinkedTxn;
 * a line linked to one invoice gives that invoice its amount, several lines for one invoice add up.
 */
export function mapQboPayment(payment: QboPayment, homeCurrency: string): SourcePayment {
  const currency = (payment.CurrencyRef?.value ?? homeCurrency).toUpperCase();
  const byInvoice = new Map<string, InvoiceReference>();
  for (const line of payment.Line ?? []) {
    const invoices = (line.LinkedTxn ?? []).filter((txn) => txn.TxnType === "Invoice");
    const lineAmount = invoices.length === 1 ? minor(line.Amount, currency) : null;
    for (const txn of invoices) {
      const known = byInvoice.get(txn.TxnId);
      const amountMinor =
        known === undefined
          ? lineAmount
          : known.amountMinor === null || lineAmount === null
            ? null
            : known.amountMinor + lineAmount;
      byInvoice.set(txn.TxnId, { invoiceSourceId: txn.TxnId, invoiceNumber: null, amountMinor });
    }
  }
  const updatedAt = instant(payment.MetaData.LastUpdatedTime);
  return {
    source: "quickbooks",
    sourceId: payment.Id,
    paymentIntentId: null,
    customerSourceId: payment.CustomerRef?.value ?? null,
    amountMinor: minor(payment.TotalAmt, currency),
    refundedMinor: 0n,
    currency,
    status: "succeeded",
    failureCode: null,
    failureMessage: null,
    disputed: false,
    references: [...byInvoice.values()],
    // The payment's own date (TxnDate) is when the money came in; CreateTime is only when it was keyed in.
    createdAt: payment.TxnDate ? new Date(`${payment.TxnDate}T00:00:00Z`) : updatedAt,
    updatedAt,
  };
}
