// Usage-to-invoice reconciliation for one account and one billing period: metered vs billed quantity per metric.

import type { PeriodState } from "./calendar";
import { changeBps, formatBpsPercent, formatQuantity, withinBps } from "./quantity";
import { compareText } from "./records";

/** The tenant's default tolerance between billed and metered quantity: 500 basis points = 5%. */
export const DEFAULT_THRESHOLD_BPS = 500;

export const usageStatuses = [
  "matched",
  "over_billed",
  "under_billed",
  "missing_invoice",
  "invoice_without_usage",
  "in_progress",
] as const;
export type UsageStatus = (typeof usageStatuses)[number];

/** Statuses that are discrepancies (matched and in_progress are not). */
export function isUsageDiscrepancy(status: UsageStatus): boolean {
  return status !== "matched" && status !== "in_progress";
}

/** An invoice as sentences name it: by its number when it has one, else by its id. */
export interface InvoiceRef {
  id: string;
  number: string | null;
}

export interface MetricUsageInput {
  metric: string;
  /** Unit for sentences ("GB"); the metric name is used when absent. */
  unit?: string | null;
  /** Sum of the period's daily usage, in micro-units. */
  meteredMicro: bigint;
  /** Sum of the period's invoice lines mapped to this metric, in micro-units. */
  billedMicro: bigint;
  /** Invoices with at least one line mapped to this metric in the period (empty: nothing invoiced it). */
  invoices: readonly InvoiceRef[];
}

export interface UsagePeriodInput {
  period: string; // YYYY-MM
  state: PeriodState;
  /** Tolerance in basis points; default 500 (5%). */
  thresholdBps?: number;
  /** Where usage comes from, for sentences; default "Amplitude". */
  usageSource?: string;
  metrics: readonly MetricUsageInput[];
}

export interface MetricResult {
  metric: string;
  unit: string | null;
  status: UsageStatus;
  meteredMicro: bigint;
  billedMicro: bigint;
  /** billed - metered, in micro-units. */
  varianceMicro: bigint;
  /** (billed - metered) / metered in basis points, rounded half-even; null when nothing was metered. */
  varianceBps: number | null;
  thresholdBps: number;
  invoices: InvoiceRef[];
  explanation: string;
}

/** "Invoice 1043", "Invoices 1043 and 1051", "Invoices 1043, 1051 and 1060". */
export function describeInvoices(invoices: readonly InvoiceRef[]): string {
  const labels = invoices.map((invoice) => invoice.number ?? invoice.id);
  if (labels.length <= 1) return `Invoice ${labels[0] ?? "(none)"}`;
  return `Invoices ${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

function sortedInvoices(invoices: readonly InvoiceRef[]): InvoiceRef[] {
  const unique = new Map(invoices.map((invoice) => [invoice.id, { id: invoice.id, number: invoice.number }]));
  return [...unique.values()].sort(
    (a, b) => compareText(a.number ?? a.id, b.number ?? b.id) || compareText(a.id, b.id),
  );
}

function classify(input: MetricUsageInput, state: PeriodState, thresholdBps: bigint, hasInvoice: boolean): UsageStatus {
  const { meteredMicro: metered, billedMicro: billed } = input;
  if (state === "open") return "in_progress";
  if (!hasInvoice && billed === 0n) {
    if (metered === 0n) return "matched";
    // Inside the grace days after the month ends, an invoice not yet issued is not yet missing.
    return state === "invoicing" ? "in_progress" : "missing_invoice";
  }
  if (metered === 0n && billed > 0n) return "invoice_without_usage";
  if (withinBps(metered, billed, thresholdBps)) return "matched";
  return billed > metered ? "over_billed" : "under_billed";
}

/**
 * Reconciles one metric of one period. `matched` when |billed - metered| <= threshold x metered (exact integer test,
 * so exactly 5% still matches); beyond it `over_billed` or `under_billed`. A closed period with usage and no invoice
 * line for the metric is `missing_invoice`; billing with nothing metered is `invoice_without_usage`. An open period is
 * `in_progress` whatever the numbers say: its usage is still arriving and it is not invoiced yet.
 */
export function reconcileMetric(
  input: MetricUsageInput,
  context: { period: string; state: PeriodState; thresholdBps?: number; usageSource?: string },
): MetricResult {
  const thresholdBps = context.thresholdBps ?? DEFAULT_THRESHOLD_BPS;
  if (!Number.isSafeInteger(thresholdBps) || thresholdBps < 0) {
    throw new RangeError(`thresholdBps must be a non-negative integer, got ${thresholdBps}`);
  }
  const source = context.usageSource ?? "Amplitude";
  const invoices = sortedInvoices(input.invoices);
  const status = classify(input, context.state, BigInt(thresholdBps), invoices.length > 0);
  const variance = changeBps(input.meteredMicro, input.billedMicro);
  const unit = input.unit ?? null;
  const amount = (micro: bigint) => `${formatQuantity(micro, 2)} ${unit ?? input.metric}`;
  const metered = amount(input.meteredMicro);
  const billed = amount(input.billedMicro);
  const threshold = formatBpsPercent(BigInt(thresholdBps));
  const percent = variance === null ? "nothing metered" : formatBpsPercent(variance, { decimals: 1, signed: true });
  const invoiceText = describeInvoices(invoices);

  let explanation: string;
  switch (status) {
    case "in_progress":
      explanation =
        context.state === "open"
          ? `${context.period} is still open: ${source} has metered ${metered} so far${invoices.length > 0 ? ` and ${invoiceText} bills ${billed}` : ""}; it is reconciled once the month is invoiced.`
          : `${context.period} has ended and ${source} metered ${metered}; its invoice is not in yet.`;
      break;
    case "missing_invoice":
      explanation = `No invoice bills ${unit ?? input.metric} for ${context.period}; ${source} metered ${metered}: missing invoice.`;
      break;
    case "invoice_without_usage":
      explanation = `${invoiceText} bills ${billed} for ${context.period}; ${source} metered none: invoice without usage.`;
      break;
    case "matched":
      explanation =
        invoices.length === 0
          ? `No ${unit ?? input.metric} metered or billed in ${context.period}.`
          : `${invoiceText} bills ${billed}; ${source} metered ${metered} (${percent}, within the ${threshold} threshold): matched.`;
      break;
    default:
      explanation = `${invoiceText} bills ${billed}; ${source} metered ${metered} (${percent}, beyond the ${threshold} threshold): ${status === "over_billed" ? "over-billed" : "under-billed"}.`;
  }

  return {
    metric: input.metric,
    unit,
    status,
    meteredMicro: input.meteredMicro,
    billedMicro: input.billedMicro,
    varianceMicro: input.billedMicro - input.meteredMicro,
    varianceBps: variance === null ? null : Number(variance),
    thresholdBps,
    invoices,
    explanation,
  };
}

/** Reconciles every metric of one period; results sorted by metric name, so input order does not matter. */
export function reconcileUsage(input: UsagePeriodInput): MetricResult[] {
  const context = {
    period: input.period,
    state: input.state,
    thresholdBps: input.thresholdBps ?? DEFAULT_THRESHOLD_BPS,
    usageSource: input.usageSource ?? "Amplitude",
  };
  return [...input.metrics]
    .sort((a, b) => compareText(a.metric, b.metric))
    .map((metric) => reconcileMetric(metric, context));
}
