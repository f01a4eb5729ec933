// Source records: what every connector hands to the sync, in Reckon's own words, whatever the provider's shape.
// Money is integer minor units (bigint) plus an ISO 4217 currency, upper-case. Dates are UTC.
// Quantities are decimal strings ("1250.5"): exact, never floats.

export const sources = ["stripe", "quickbooks", "amplitude"] as const;
export type Source = (typeof sources)[number];

/** A customer as a source knows it: a Stripe customer or a QuickBooks customer. */
export interface SourceCustomer {
  source: "stripe" | "quickbooks";
  sourceId: string;
  name: string;
  email: string | null;
  /** Stripe metadata, or QuickBooks custom fields by name. Explicit links live here (see packages/sandbox/README.md). */
  metadata: Record<string, string>;
  currency: string | null;
  deleted: boolean;
  updatedAt: Date;
}

export interface SourceInvoiceLine {
  /** QuickBooks Line.Id, unique inside its invoice. */
  lineId: string;
  itemId: string | null;
  itemName: string | null;
  description: string | null;
  quantity: string | null;
  /** Unit price as the source states it, a decimal string in major units (may carry more than 2 decimals). */
  unitPrice: string | null;
  amountMinor: bigint;
  serviceDate: string | null; // YYYY-MM-DD
}

/** A QuickBooks invoice: the invoice of record. */
export interface SourceInvoice {
  sourceId: string;
  number: string | null;
  customerSourceId: string;
  currency: string;
  totalMinor: bigint;
  balanceMinor: bigint;
  issuedOn: string; // YYYY-MM-DD (TxnDate)
  dueOn: string | null; // YYYY-MM-DD
  lines: SourceInvoiceLine[];
  deleted: boolean;
  updatedAt: Date;
}

export const paymentStatuses = ["succeeded", "failed", "pending", "refunded", "disputed"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** An invoice a payment names explicitly: by QuickBooks invoice id or by invoice number (DocNumber). */
export interface InvoiceReference {
  invoiceSourceId: string | null;
  invoiceNumber: string | null;
  /** Part of the payment applied to this invoice, when the source says so (a split payment). */
  amountMinor: bigint | null;
}

/** A payment attempt: a Stripe charge (with its payment intent), or a QuickBooks Payment. */
export interface SourcePayment {
  source: "stripe" | "quickbooks";
  sourceId: string;
  paymentIntentId: string | null;
  customerSourceId: string | null;
  amountMinor: bigint;
  refundedMinor: bigint;
  currency: string;
  status: PaymentStatus;
  failureCode: string | null;
  failureMessage: string | null;
  disputed: boolean;
  references: InvoiceReference[];
  createdAt: Date;
  updatedAt: Date;
}

/** Usage of one metric by one Amplitude group (an org) on one UTC event day, as uploaded on one UTC day. */
export interface UsageDay {
  groupId: string;
  metric: string;
  day: string; // YYYY-MM-DD, the events' day (event_time)
  /** The UTC day the events were uploaded (server_upload_time): later than `day` for late usage. */
  uploadedOn: string; // YYYY-MM-DD
  quantity: string; // decimal
  eventCount: number;
  /** Events dropped because their insert id was already counted for the day (the earliest upload counts). */
  duplicateEvents: number;
  /** Their quantity (decimal), what counting them would have added. */
  duplicateQuantity: string;
  /** Their insert ids, sorted, at most MAX_DUPLICATE_IDS; `duplicateEvents` has the full count. */
  duplicateInsertIds: string[];
}

export const MAX_DUPLICATE_IDS = 100;
