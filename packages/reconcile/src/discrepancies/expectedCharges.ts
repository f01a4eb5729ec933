// Expected against invoiced for one period: what the rate cards charge (rating) beside what the invoices bill.

import { formatMoney } from "../money";
import { changeBps, formatBpsPercent } from "../quantity";
import { rateAccountPeriod } from "../rating/rate";
import type { InvoiceLineInput } from "../records";
import { parseUnitPrice } from "./rateCards";
import type { PeriodRatingFacts } from "./ratingChecks";

export interface MetricCharge {
  metric: string;
  /** What the cards in effect charge for the metered usage beyond the included units. */
  expectedMinor: bigint;
  /** The period's lines billing the metric, net of the included-units credits that name its price (see below). */
  invoicedMinor: bigint;
  /** invoiced - expected. */
  differenceMinor: bigint;
  /** Rating's sentence: used, included, billable, priced how. */
  explanation: string;
}

export interface PeriodCharges {
  currency: string;
  /** The plans in effect in the period, in order (two or more after a plan change). */
  plans: string[];
  /** Base fee, usage and minimum-commit top-up, prorated by day across plans (rateAccountPeriod). */
  expectedMinor: bigint;
  /** Every line of the period's invoices. */
  invoicedMinor: bigint;
  differenceMinor: bigint;
  /** (invoiced - expected) / expected in basis points; null when nothing is expected. */
  differenceBps: number | null;
  baseFeeMinor: bigint;
  commitTopUpMinor: bigint;
  /** Invoiced on lines of no metric (platform fees, one-offs) that are not included-units credits of a metric. */
  otherInvoicedMinor: bigint;
  metrics: MetricCharge[];
  /** Rating's account of the expected total: who applied when, base fee, each metric. */
  ratingExplanation: string;
  /** "Expected $1,234.56 from the Growth plan; invoiced $1,250.00 (+1.3%)." */
  explanation: string;
}

/**
 * The metric a line of no metric credits, if any: invoices often bill every metered unit on the metric's line and
 * credit the included units on a separate item ("Included usage") at the same unit price with a negative quantity.
 * Such a line counts against the one metric its invoice bills at that unit price; otherwise it is nobody's.
 */
function creditedMetric(line: InvoiceLineInput, siblings: readonly InvoiceLineInput[]): string | null {
  if (line.metric !== null || !line.unitPrice || line.quantity === null || !line.quantity.startsWith("-")) return null;
  const price = parseUnitPrice(line.unitPrice);
  const metrics = new Set(
    siblings.flatMap((s) =>
      s.metric !== null && s.unitPrice && parseUnitPrice(s.unitPrice) === price ? [s.metric] : [],
    ),
  );
  const [only, ...others] = [...metrics];
  return only !== undefined && others.length === 0 ? only : null;
}

function describePlans(plans: readonly string[]): string {
  if (plans.length <= 1) return `the ${plans[0] ?? "?"} plan`;
  return `the ${plans.slice(0, -1).join(", ")} and ${plans[plans.length - 1]} plans prorated by day`;
}

/**
 * Expected and invoiced amounts of a period, per metric and in total; null when no rate card covers any of its days
 * (in the invoice's currency). Expected comes from rateAccountPeriod on the period's usage by day.
 */
export function periodCharges(facts: PeriodRatingFacts): PeriodCharges | null {
  if (facts.rateCards.length === 0) return null;
  const rating = rateAccountPeriod({
    cards: facts.rateCards,
    period: facts.period,
    usage: facts.metered,
    dailyUsage: facts.dailyUsage,
    metricDecimals: facts.metricDecimals,
    currency: facts.currency,
  });
  if (rating.planSegments.length === 0) return null;
  const invoicedByMetric = new Map<string, bigint>();
  let invoicedMinor = 0n;
  let otherInvoicedMinor = 0n;
  for (const { lines } of facts.invoices) {
    for (const line of lines) {
      invoicedMinor += line.amountMinor;
      const metric = line.metric ?? creditedMetric(line, lines);
      if (metric === null) otherInvoicedMinor += line.amountMinor;
      else invoicedByMetric.set(metric, (invoicedByMetric.get(metric) ?? 0n) + line.amountMinor);
    }
  }
  const names = new Set([...rating.expected.map((e) => e.metric), ...invoicedByMetric.keys()]);
  const metrics = [...names].sort().map((metric): MetricCharge => {
    const charge = rating.expected.find((e) => e.metric === metric);
    const expectedMinor = charge?.amountMinor ?? 0n;
    const invoiced = invoicedByMetric.get(metric) ?? 0n;
    const explanation = charge?.explanation ?? `${metric}: billed, and no rate card in effect prices it.`;
    return { metric, expectedMinor, invoicedMinor: invoiced, differenceMinor: invoiced - expectedMinor, explanation };
  });
  const plans = [...new Set(rating.planSegments.map((s) => s.plan))];
  const bps = changeBps(rating.totalMinor, invoicedMinor);
  const money = (minor: bigint) => formatMoney(minor, facts.currency);
  const percent = bps === null ? "" : ` (${formatBpsPercent(bps, { decimals: 1, signed: true })})`;
  const invoicedText =
    facts.invoices.length === 0
      ? "not invoiced yet"
      : `invoiced ${money(invoicedMinor)}${invoicedMinor === rating.totalMinor ? ", as expected" : percent}`;
  return {
    currency: facts.currency,
    plans,
    expectedMinor: rating.totalMinor,
    invoicedMinor,
    differenceMinor: invoicedMinor - rating.totalMinor,
    differenceBps: bps === null ? null : Number(bps),
    baseFeeMinor: rating.baseFeeMinor,
    commitTopUpMinor: rating.commitTopUpMinor,
    otherInvoicedMinor,
    metrics,
    ratingExplanation: rating.explanation,
    explanation: `Expected ${money(rating.totalMinor)} from ${describePlans(plans)}; ${invoicedText}.`,
  };
}
