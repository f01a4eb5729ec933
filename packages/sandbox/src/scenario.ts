// A scenario: everything the sandbox serves for one tenant, as raw provider objects, plus what we know to be true of it.
import type Stripe from "stripe";

/** QuickBooks Online v3 entities, PascalCase as the API returns them (names from Intuit's Finance.xsd). */
export interface QboRef {
  value: string;
  name?: string;
}
export interface QboMeta {
  CreateTime: string;
  LastUpdatedTime: string;
}
export interface QboCustomer {
  Id: string;
  SyncToken: string;
  DisplayName: string;
  CompanyName?: string;
  PrimaryEmailAddr?: { Address: string };
  CurrencyRef?: QboRef;
  Active: boolean;
  Balance?: number;
  MetaData: QboMeta;
  status?: "Deleted"; // only in ChangeDataCapture answers
}
export interface QboItem {
  Id: string;
  SyncToken: string;
  Name: string;
  Sku?: string;
  Type: "Service" | "NonInventory" | "Inventory";
  UnitPrice?: number;
  Active: boolean;
  MetaData: QboMeta;
}
export interface QboSalesItemLine {
  Id: string;
  LineNum?: number;
  Description?: string;
  Amount: number;
  DetailType: "SalesItemLineDetail";
  SalesItemLineDetail: { ItemRef: QboRef; Qty?: number; UnitPrice?: number; ServiceDate?: string };
}
export interface QboSubTotalLine {
  Amount: number;
  DetailType: "SubTotalLineDetail";
  SubTotalLineDetail: Record<string, never>;
}
export interface QboInvoice {
  Id: string;
  SyncToken: string;
  DocNumber?: string;
  TxnDate: string;
  DueDate?: string;
  CustomerRef: QboRef;
  CurrencyRef?: QboRef;
  Line: Array<QboSalesItemLine | QboSubTotalLine>;
  TotalAmt: number;
  Balance: number;
  PrivateNote?: string;
  MetaData: QboMeta;
  status?: "Deleted";
}
export interface QboPayment {
  Id: string;
  SyncToken: string;
  TxnDate: string;
  CustomerRef: QboRef;
  CurrencyRef?: QboRef;
  TotalAmt: number;
  UnappliedAmt?: number;
  PaymentRefNum?: string;
  PrivateNote?: string;
  Line: Array<{ Amount: number; LinkedTxn: Array<{ TxnId: string; TxnType: "Invoice" }> }>;
  MetaData: QboMeta;
  status?: "Deleted";
}

/** One row of Amplitude's Export API (a JSON line), the fields Reckon reads. */
export interface AmplitudeExportEvent {
  $insert_id: string;
  event_type: string;
  event_time: string; // "2026-10-01 14:32:05.123000" UTC
  server_upload_time: string;
  user_id: string | null;
  event_properties: Record<string, unknown>;
  groups: Record<string, string | string[]>;
  group_properties?: Record<string, unknown>;
  // Further columns of a real export row (see the Export API's response schema); optional, Reckon does not read them.
  uuid?: string;
  event_id?: number;
  amplitude_id?: number;
  app?: number;
  device_id?: string | null;
  client_event_time?: string;
  server_received_time?: string;
  processed_time?: string;
  user_properties?: Record<string, unknown>;
  library?: string;
}

/**
 * A plan an account is billed on (sandbox addition, optional in tenant.json): a monthly base fee plus, per metric,
 * units included in it and a price per unit. Invoices bill every metered unit and credit the included ones.
 */
export interface RateCardFixture {
  quickbooksCustomerId: string;
  plan: string;
  currency: string;
  effectiveFrom: string; // YYYY-MM-DD
  baseFeeMinor: string; // bigint as string
  /** Minimum monthly commitment in minor units; absent or "0": none. */
  minimumCommitMinor?: string;
  /** Decimal strings in major units: a flat `unitPrice`, or `pricing` with graduated or volume tiers. */
  metrics: Array<{
    key: string;
    includedUnits: string;
    unitPrice?: string;
    pricing?: {
      model: "graduated" | "volume";
      tiers: Array<{ upTo: string | null; unitPrice: string; flatFeeMinor?: string }>;
    };
  }>;
}

/** The tenant's own settings as an admin would have entered them in Reckon (tenant.json in a fixture folder). */
export interface TenantFixture {
  name: string;
  baseCurrency: string;
  /** Usage-to-invoice threshold in basis points (500 = 5%). */
  thresholdBps: number;
  /** Amplitude group type that identifies a client, e.g. "org_id". */
  amplitudeGroupType: string;
  /** Metrics the tenant bills: Amplitude event type and QuickBooks item that carry each. */
  metrics: Array<{ key: string; unit: string; eventType: string; quickbooksItemIds: string[] }>;
  owners: Array<{ email: string; name: string }>;
  /** Account links an admin confirmed (optional: explicit ids in source metadata work too). */
  accounts: Array<{
    name: string;
    ownerEmail: string | null;
    quickbooksCustomerId: string | null;
    stripeCustomerId: string | null;
    amplitudeGroupId: string | null;
  }>;
  /** Rate cards per account, when the tenant keeps them in Reckon (sandbox addition; absent = none). */
  rateCards?: RateCardFixture[];
  /** Dated FX rates to the base currency: { from: "EUR", to: "USD", rate: "1.0843", effectiveOn: "2026-11-01" }. */
  fxRates?: Array<{ from: string; to: string; rate: string; effectiveOn: string }>;
}

export const discrepancyKinds = [
  "over_billed",
  "under_billed",
  "missing_invoice",
  "invoice_without_usage",
  "price_differs",
  "plan_change",
  "late_usage",
  "duplicate_usage_events",
  "duplicate_charge",
  "failed_payment",
  "partial_payment",
  "overpayment",
  "refund",
  "dispute",
  "currency_mismatch",
  "unmapped_record",
  "partial_sync",
] as const;
export type DiscrepancyKind = (typeof discrepancyKinds)[number];

/**
 * Ground truth: what the generator injected, so tests can score reconciliation against it. Kinds, amounts and source
 * ids follow packages/reconcile/src/discrepancies/README.md; `plan_change` entries are explanations, not discrepancies.
 */
export interface ManifestEntry {
  kind: DiscrepancyKind;
  /** The QuickBooks customer id of the account it concerns (or the unmapped record's own id). */
  accountRef: string;
  period: string | null; // YYYY-MM
  amountMinor: string | null; // bigint as string; JSON has no bigint
  sourceIds: string[];
  note: string;
}
export interface Manifest {
  seed: number;
  accounts: number;
  months: number;
  asOf: string; // ISO date the scenario is "now"
  entries: ManifestEntry[];
}

export interface Scenario {
  tenant: TenantFixture;
  stripe: {
    customers: Stripe.Customer[];
    invoices: Stripe.Invoice[];
    charges: Stripe.Charge[];
    paymentIntents: Stripe.PaymentIntent[];
    refunds: Stripe.Refund[];
    disputes: Stripe.Dispute[];
    events: Stripe.Event[];
  };
  quickbooks: {
    realmId: string;
    customers: QboCustomer[];
    items: QboItem[];
    invoices: QboInvoice[];
    payments: QboPayment[];
  };
  amplitude: { events: AmplitudeExportEvent[] };
  manifest: Manifest | null;
}
