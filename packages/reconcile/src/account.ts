// Reconciles one account: usage, invoices and payments grouped into billing periods, plus the account roll-up.

import { type PeriodState, periodOfDay, periodState, shiftPeriod } from "./calendar";
import { type InvoicePaymentResult, invoicePaymentStatus } from "./invoiceStatus";
import { type Allocation, allocatePayments, type PaymentIssue, type UnallocatedPayment } from "./payments";
import { formatBpsPercent, parseQuantity } from "./quantity";
import { compareInvoices, type InvoiceInput, type InvoiceLineInput, type PaymentInput } from "./records";
import { type AccountRollup, rollUpAccount } from "./rollup";
import { DEFAULT_THRESHOLD_BPS, type InvoiceRef, isUsageDiscrepancy, type MetricResult, reconcileUsage } from "./usage";

/** One day of one metric's usage. */
export interface UsageRowInput {
  metric: string;
  day: string; // YYYY-MM-DD (UTC)
  quantity: string; // decimal
}

export interface AccountInput {
  usage: readonly UsageRowInput[];
  invoices: readonly InvoiceInput[];
  payments: readonly PaymentInput[];
  /** Unit per metric for sentences ({ gb_stored: "GB" }); the metric name is used otherwise. */
  metricUnits?: Readonly<Record<string, string>>;
}

export interface ReconcileOptions {
  asOf: Date;
  /** Tolerance between billed and metered quantity, in basis points; default 500 (5%). */
  thresholdBps?: number;
  /** Days after a month ends before a missing invoice counts as missing; default 0. */
  invoiceGraceDays?: number;
  /** Days overdue beyond which an account is at risk; default 30. */
  atRiskDaysLate?: number;
  /** Name of the usage source in sentences; default "Amplitude". */
  usageSource?: string;
}

export const discrepancyKinds = [
  "over_billed",
  "under_billed",
  "missing_invoice",
  "invoice_without_usage",
  "failed_payment",
  "overpayment",
  "refund",
  "dispute",
  "currency_mismatch",
] as const;
export type DiscrepancyKind = (typeof discrepancyKinds)[number];

export interface Discrepancy {
  kind: DiscrepancyKind;
  metric: string | null;
  invoiceId: string | null;
  paymentId: string | null;
  explanation: string;
}

export type PeriodStatus = "matched" | "discrepancy" | "in_progress";

export interface PeriodResult {
  period: string; // YYYY-MM
  state: PeriodState;
  status: PeriodStatus;
  usage: MetricResult[];
  invoices: InvoicePaymentResult[];
  discrepancies: Discrepancy[];
  /** Invoice lines of the period whose item maps to no metric (base fees, one-offs): listed, not compared. */
  unmappedLineCount: number;
  explanation: string;
}

export interface AccountReconciliation {
  periods: PeriodResult[];
  allocations: Allocation[];
  unallocated: UnallocatedPayment[];
  issues: PaymentIssue[];
  account: AccountRollup;
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

interface MetricTotals {
  metered: bigint;
  billed: bigint;
  invoices: Map<string, InvoiceRef>;
}

function bucket<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

const paymentKinds: Partial<Record<InvoicePaymentResult["status"], DiscrepancyKind>> = {
  overpaid: "overpayment",
  refunded: "refund",
  disputed: "dispute",
  failed: "failed_payment",
};

function invoiceDiscrepancies(result: InvoicePaymentResult, issues: readonly PaymentIssue[]): Discrepancy[] {
  const found: Discrepancy[] = [];
  const subject = { metric: null, invoiceId: result.invoiceId };
  const kind = paymentKinds[result.status];
  if (kind)
    found.push({ kind, ...subject, paymentId: result.paymentIds.at(-1) ?? null, explanation: result.explanation });
  // A failed last charge on an invoice that is overdue (or partly paid) is still a failed payment to act on.
  if (!kind && result.lastFailure && result.outstandingMinor > 0n) {
    found.push({
      kind: "failed_payment",
      ...subject,
      paymentId: result.lastFailure.paymentId,
      explanation: result.explanation,
    });
  }
  for (const issue of issues) {
    if (issue.kind === "currency_mismatch" && issue.invoiceId === result.invoiceId) {
      found.push({ kind: "currency_mismatch", ...subject, paymentId: issue.paymentId, explanation: issue.explanation });
    }
  }
  return found;
}

function periodExplanation(
  period: string,
  state: PeriodState,
  status: PeriodStatus,
  result: Omit<PeriodResult, "explanation">,
  threshold: string,
): string {
  if (status === "discrepancy") {
    const count = result.discrepancies.length;
    return `${period}: ${count} discrepanc${count === 1 ? "y" : "ies"}. ${result.discrepancies.map((d) => d.explanation).join(" ")}`;
  }
  if (state === "open") return `${period} is still open: usage is reconciled once the month is invoiced.`;
  if (status === "in_progress") return `${period} has ended and is waiting for its invoice.`;
  const metrics = result.usage.length;
  const usage =
    metrics === 0
      ? "no metered usage"
      : `${metrics} metric${metrics === 1 ? "" : "s"} within the ${threshold} threshold`;
  const invoices = result.invoices.map((i) => `${i.invoiceNumber ?? i.invoiceId} ${i.status}`);
  const invoiceText =
    invoices.length === 0 ? "" : `; invoice${invoices.length === 1 ? "" : "s"} ${invoices.join(", ")}`;
  return `${period} reconciles: ${usage}${invoiceText}.`;
}

/**
 * Reconciles one account as of `options.asOf`. Pure and deterministic: inputs are copied and sorted, so the output
 * does not depend on their order, and running it twice gives equal results.
 */
export function reconcileAccount(input: AccountInput, options: ReconcileOptions): AccountReconciliation {
  const thresholdBps = options.thresholdBps ?? DEFAULT_THRESHOLD_BPS;
  const invoices = [...input.invoices].sort(compareInvoices);
  const allocation = allocatePayments(invoices, input.payments);

  const totals = new Map<string, Map<string, MetricTotals>>(); // period -> metric -> totals
  const unmapped = new Map<string, number>();
  const invoicesByPeriod = new Map<string, InvoiceInput[]>();
  const emptyTotals = (): MetricTotals => ({ metered: 0n, billed: 0n, invoices: new Map() });

  for (const row of input.usage) {
    const metrics = bucket(totals, periodOfDay(row.day), () => new Map<string, MetricTotals>());
    bucket(metrics, row.metric, emptyTotals).metered += parseQuantity(row.quantity);
  }
  for (const invoice of invoices) {
    bucket(invoicesByPeriod, invoicePeriod(invoice), () => []).push(invoice);
    for (const line of invoice.lines) {
      const period = linePeriod(line, invoice);
      if (line.metric === null) {
        unmapped.set(period, (unmapped.get(period) ?? 0) + 1);
        continue;
      }
      const metric = bucket(
        bucket(totals, period, () => new Map()),
        line.metric,
        emptyTotals,
      );
      metric.billed += line.quantity === null ? 0n : parseQuantity(line.quantity);
      metric.invoices.set(invoice.id, { id: invoice.id, number: invoice.number });
    }
  }

  const periods = [...new Set([...totals.keys(), ...invoicesByPeriod.keys(), ...unmapped.keys()])].sort();
  const results = periods.map((period): PeriodResult => {
    const state = periodState(period, options.asOf, options.invoiceGraceDays ?? 0);
    const usage = reconcileUsage({
      period,
      state,
      thresholdBps,
      ...(options.usageSource === undefined ? {} : { usageSource: options.usageSource }),
      metrics: [...(totals.get(period) ?? new Map<string, MetricTotals>()).entries()].map(([metric, t]) => ({
        metric,
        unit: input.metricUnits?.[metric] ?? null,
        meteredMicro: t.metered,
        billedMicro: t.billed,
        invoices: [...t.invoices.values()],
      })),
    });
    const invoiceResults = (invoicesByPeriod.get(period) ?? []).map((invoice) =>
      invoicePaymentStatus(invoice, allocation, input.payments, options.asOf),
    );
    const discrepancies: Discrepancy[] = [
      ...usage
        .filter((m) => isUsageDiscrepancy(m.status))
        .map((m) => ({
          kind: m.status as DiscrepancyKind,
          metric: m.metric,
          invoiceId: m.invoices[0]?.id ?? null,
          paymentId: null,
          explanation: m.explanation,
        })),
      ...invoiceResults.flatMap((r) => invoiceDiscrepancies(r, allocation.issues)),
    ];
    const status: PeriodStatus =
      discrepancies.length > 0
        ? "discrepancy"
        : state === "open" || usage.some((m) => m.status === "in_progress")
          ? "in_progress"
          : "matched";
    const result = {
      period,
      state,
      status,
      usage,
      invoices: invoiceResults,
      discrepancies,
      unmappedLineCount: unmapped.get(period) ?? 0,
    };
    return {
      ...result,
      explanation: periodExplanation(period, state, status, result, formatBpsPercent(BigInt(thresholdBps))),
    };
  });

  return {
    periods: results,
    allocations: allocation.allocations,
    unallocated: allocation.unallocated,
    issues: allocation.issues,
    account: rollUpAccount(results, allocation.unallocated, { atRiskDaysLate: options.atRiskDaysLate ?? 30 }),
  };
}
