// Reconciles one account: usage, invoices and payments grouped into billing periods, plus the account roll-up.

import { type PeriodState, periodOfDay, periodState } from "./calendar";
import { type PeriodCharges, periodCharges } from "./discrepancies/expectedCharges";
import { compareDiscrepancies, type Discrepancy } from "./discrepancies/model";
import {
  chargePeriod,
  duplicateChargeFinding,
  findDuplicateCharges,
  invoicePaymentFindings,
} from "./discrepancies/paymentChecks";
import { cardsForPeriod } from "./discrepancies/rateCards";
import { type PeriodUsageFacts, usageFindings } from "./discrepancies/usageChecks";
import { metricDecimalsOf, usageExtras } from "./discrepancies/usageExtras";
import { type InvoicePaymentResult, invoicePaymentStatus } from "./invoiceStatus";
import { normalizeCurrency } from "./money";
import { type Allocation, allocatePayments, type PaymentIssue, type UnallocatedPayment } from "./payments";
import { formatBpsPercent, parseQuantity } from "./quantity";
import type { DailyUsage } from "./rating/rate";
import type { RateCard } from "./rating/rateCard";
import {
  compareInvoices,
  type InvoiceInput,
  type InvoiceLineInput,
  invoicePeriod,
  linePeriod,
  type PaymentInput,
} from "./records";
import { type AccountRollup, rollUpAccount } from "./rollup";
import { DEFAULT_THRESHOLD_BPS, type InvoiceRef, type MetricResult, reconcileUsage } from "./usage";

export { invoicePeriod, linePeriod } from "./records";

/**
 * Usage of one metric on one day, or summed over days and dated the first of them (a month, dated its 1st). A summed
 * row must not span a rate-card change: rating prices a row on the card in effect on its day.
 */
export interface UsageRowInput {
  metric: string;
  day: string; // YYYY-MM-DD (UTC)
  quantity: string; // decimal
  /** The UTC day this quantity was uploaded, when it matters (late usage); null or absent = on time. */
  uploadedOn?: string | null;
  /** Events dropped as repeats of an insert id already counted, their quantity, and (some of) their insert ids. */
  duplicateEvents?: number;
  duplicateQuantity?: string;
  duplicateInsertIds?: readonly string[];
}

/** The account's ids in each source, for the source ids findings cite. */
export interface AccountLinks {
  quickbooksCustomerId: string | null;
  stripeCustomerId: string | null;
  amplitudeGroupId: string | null;
}

export interface AccountInput {
  usage: readonly UsageRowInput[];
  invoices: readonly InvoiceInput[];
  payments: readonly PaymentInput[];
  /** Unit per metric for sentences ({ gb_stored: "GB" }); the metric name is used otherwise. */
  metricUnits?: Readonly<Record<string, string>>;
  /** The account's rate cards, any order (none: amounts that need a card are null); see rateCardsFromStored. */
  rateCards?: readonly RateCard[];
  /** Decimals a metric's quantities carry ({ seats: 0 }); default: read from the usage (metricDecimalsOf). */
  metricDecimals?: Readonly<Record<string, number>>;
  links?: AccountLinks;
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

export type PeriodStatus = "matched" | "discrepancy" | "in_progress";

export interface PeriodResult {
  period: string; // YYYY-MM
  state: PeriodState;
  status: PeriodStatus;
  usage: MetricResult[];
  invoices: InvoicePaymentResult[];
  /** Findings of the period (README.md in discrepancies/), sorted. */
  discrepancies: Discrepancy[];
  /** Variances explained rather than flagged (plan changes). */
  explanations: Discrepancy[];
  /** Invoice lines of the period whose item maps to no metric (base fees, one-offs): listed, not compared. */
  unmappedLineCount: number;
  /** Expected (rating) against invoiced, per metric and in total; null when no rate card covers the period. */
  charges: PeriodCharges | null;
  explanation: string;
}

export interface AccountReconciliation {
  periods: PeriodResult[];
  /** Every finding of the account (periods' and those of no period), sorted. */
  discrepancies: Discrepancy[];
  explanations: Discrepancy[];
  /** Later charges that repeat an earlier one: left out of allocation. */
  duplicateChargeIds: string[];
  allocations: Allocation[];
  unallocated: UnallocatedPayment[];
  issues: PaymentIssue[];
  account: AccountRollup;
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
 * does not depend on their order, and running it twice gives equal results. A charge that repeats an earlier one
 * (findDuplicateCharges) is reported and left out of allocation, so it does not also read as an overpayment.
 */
export function reconcileAccount(input: AccountInput, options: ReconcileOptions): AccountReconciliation {
  const thresholdBps = options.thresholdBps ?? DEFAULT_THRESHOLD_BPS;
  const invoices = [...input.invoices].sort(compareInvoices);
  const duplicates = findDuplicateCharges(input.payments, invoices);
  const duplicateIds = new Set(duplicates.map((d) => d.duplicate.id));
  const payments = input.payments.filter((p) => !duplicateIds.has(p.id));
  const allocation = allocatePayments(invoices, payments);
  const links = input.links ?? { quickbooksCustomerId: null, stripeCustomerId: null, amplitudeGroupId: null };

  const totals = new Map<string, Map<string, MetricTotals>>(); // period -> metric -> totals
  const unmapped = new Map<string, number>();
  const invoicesByPeriod = new Map<string, InvoiceInput[]>();
  const linesByPeriod = new Map<string, Map<InvoiceInput, InvoiceLineInput[]>>();
  const emptyTotals = (): MetricTotals => ({ metered: 0n, billed: 0n, invoices: new Map() });

  const dailyUsage = new Map<string, DailyUsage[]>();
  for (const row of input.usage) {
    const metrics = bucket(totals, periodOfDay(row.day), () => new Map<string, MetricTotals>());
    const quantity = parseQuantity(row.quantity);
    bucket(metrics, row.metric, emptyTotals).metered += quantity;
    bucket(dailyUsage, periodOfDay(row.day), () => []).push({ metric: row.metric, day: row.day, quantity });
  }
  const rateCards = input.rateCards ?? [];
  const metricDecimals = { ...metricDecimalsOf(input.usage), ...input.metricDecimals };
  for (const invoice of invoices) {
    bucket(invoicesByPeriod, invoicePeriod(invoice), () => []).push(invoice);
    for (const line of invoice.lines) {
      const period = linePeriod(line, invoice);
      bucket(
        bucket(linesByPeriod, period, () => new Map()),
        invoice,
        () => [],
      ).push(line);
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
  const firstIssued = new Map<string, string>();
  for (const [period, byInvoice] of linesByPeriod) {
    const days = [...byInvoice.keys()].map((i) => i.issuedOn).sort();
    if (days[0]) firstIssued.set(period, days[0]);
  }
  const extras = usageExtras(input.usage, firstIssued);
  const duplicateFindings = duplicates.map((d) => ({
    period: chargePeriod(d, invoicePeriod),
    finding: duplicateChargeFinding(d, chargePeriod(d, invoicePeriod)),
  }));

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
    const periodInvoices = invoicesByPeriod.get(period) ?? [];
    const invoiceResults = periodInvoices.map((invoice) =>
      invoicePaymentStatus(invoice, allocation, payments, options.asOf),
    );
    const billing = [...(linesByPeriod.get(period) ?? new Map<InvoiceInput, InvoiceLineInput[]>())].map(
      ([invoice, lines]) => ({ invoice, lines }),
    );
    const extra = extras.get(period);
    const facts: PeriodUsageFacts = {
      period,
      closed: state === "closed",
      usage,
      invoices: billing,
      rateCards,
      cards: cardsForPeriod(rateCards, period),
      metered: new Map(usage.map((m) => [m.metric, m.meteredMicro])),
      dailyUsage: dailyUsage.get(period) ?? [],
      metricDecimals,
      lateMicro: extra?.late ?? new Map(),
      lastLateUpload: extra?.lastLate ?? null,
      duplicateMicro: extra?.duplicates ?? new Map(),
      duplicateEvents: extra?.duplicateEvents ?? 0,
      duplicateInsertIds: extra?.insertIds ?? [],
      links,
      currency: normalizeCurrency(billing[0]?.invoice.currency ?? rateCards[0]?.currency ?? "USD"),
      usageSource: options.usageSource ?? "Amplitude",
    };
    const found = usageFindings(facts);
    const discrepancies = [
      ...found.discrepancies,
      ...periodInvoices.flatMap((invoice, i) =>
        invoicePaymentFindings(invoice, invoiceResults[i]!, allocation, payments, period),
      ),
      ...duplicateFindings.filter((d) => d.period === period).map((d) => d.finding),
    ].sort(compareDiscrepancies);
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
      explanations: found.explanations,
      unmappedLineCount: unmapped.get(period) ?? 0,
      charges: periodCharges(facts),
    };
    const said = periodExplanation(period, state, status, result, formatBpsPercent(BigInt(thresholdBps)));
    return { ...result, explanation: result.charges ? `${said} ${result.charges.explanation}` : said };
  });
  const inPeriods = new Set(periods);
  const outside = duplicateFindings.filter((d) => !inPeriods.has(d.period)).map((d) => d.finding);

  return {
    periods: results,
    discrepancies: [...results.flatMap((p) => p.discrepancies), ...outside].sort(compareDiscrepancies),
    explanations: results.flatMap((p) => p.explanations),
    duplicateChargeIds: [...duplicateIds].sort(),
    allocations: allocation.allocations,
    unallocated: allocation.unallocated,
    issues: allocation.issues,
    account: rollUpAccount(results, allocation.unallocated, { atRiskDaysLate: options.atRiskDaysLate ?? 30 }),
  };
}
