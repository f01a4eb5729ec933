// The interface every source connector implements, and the typed errors they raise at the boundary.
import type { SourceCustomer, SourceInvoice, SourcePayment, UsageDay } from "./records";

/**
 * One unit of sync work: records plus the cursor that is true once they are stored.
 * The sync writes a batch's records and its cursor in one transaction, so a crash never skips data.
 */
export interface SyncBatch {
  customers: SourceCustomer[];
  invoices: SourceInvoice[];
  payments: SourcePayment[];
  usage: UsageDay[];
  /** Opaque to the caller; hand it back to `pull` to resume after this batch. */
  cursor: string;
  /** What this batch was, for progress lines ("charges page 3"). */
  label: string;
}

export interface PullOptions {
  /** Wall-clock "now" for windows and lookbacks; tests pin it. */
  now: Date;
}

interface Connector {
  /**
   * Pulls everything changed since `cursor` (null: a full first sync), one batch at a time.
   * Stops when caught up. Throws SourceError for provider failures.
   */
  pull(cursor: string | null, options: PullOptions): AsyncIterable<SyncBatch>;
}

/** Stripe: customers and payments (charges with their intents, refunds and disputes). */
export interface PaymentSource extends Connector {
  readonly source: "stripe";
  /**
   * The charge as Stripe holds it now (a webhook's snapshot may be older than a later event already applied), or
   * null when Stripe has no such charge. Throws SourceError for provider failures.
   */
  retrievePayment(chargeId: string, options: PullOptions): Promise<SourcePayment | null>;
}
/** QuickBooks Online: customers, invoices (the invoice of record) and recorded payments. */
export interface InvoiceSource extends Connector {
  readonly source: "quickbooks";
}
/** Amplitude: daily usage per group and metric. */
export interface UsageSource extends Connector {
  readonly source: "amplitude";
}

export type AnySource = PaymentSource | InvoiceSource | UsageSource;

/** `revoked`: the provider refuses the grant itself (OAuth invalid_grant): only reconnecting the source can help. */
export const sourceErrorKinds = ["rate_limited", "unauthorized", "revoked", "transient", "invalid"] as const;
export type SourceErrorKind = (typeof sourceErrorKinds)[number];

/** A provider's answer turned into something the job layer can act on. Never classify by message text. */
export class SourceError extends Error {
  override readonly name = "SourceError";
  constructor(
    readonly source: string,
    readonly kind: SourceErrorKind,
    message: string,
    /** For rate_limited: how long the provider asked us to wait. */
    readonly retryAfterMs: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
  }
  /** Whether trying again later can help. */
  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "transient";
  }
}
