// Invoice lines against the rate card: prices that differ, and variances a mid-period plan change fully explains.

import { periodStart } from "../calendar";
import { isDecimal, toDecimalString } from "../decimal";
import { currencyExponent, formatMoney, normalizeCurrency } from "../money";
import { parseQuantity } from "../quantity";
import { compareText } from "../records";
import { type CardInPeriod, coverPeriod, type PlanSegment } from "./coverage";
import { compareFractions, type Fraction, parseExactDecimal, roundHalfEven } from "./fraction";
import { priceExactly, priceQuantity } from "./price";
import { type DailyUsage, rateAccountPeriod } from "./rate";
import type { RateCard } from "./rateCard";
import { describeSegments, formatUnitPrice, units } from "./sentences";

export interface InvoicedLine {
  invoiceId: string;
  invoiceNumber: string | null;
  lineId?: string | null;
  /** The usage metric the line's item maps to; null for lines that map to none (not compared). */
  metric: string | null;
  /** Billed quantity (a decimal), taken as billable units: usage beyond what the plan includes. */
  quantity: string | null;
  unitPrice: string | null;
  amountMinor: bigint;
}

export interface PriceDiffers {
  kind: "price_differs";
  metric: string;
  invoiceId: string;
  invoiceNumber: string | null;
  lineId: string | null;
  /** The plan whose price the line was held against. */
  plan: string;
  quantityMicro: bigint;
  /** The rate card's unit price; for tiered pricing, the average unit price of the line's quantity (6 decimals). */
  expectedUnitPrice: string;
  invoicedUnitPrice: string | null;
  expectedAmountMinor: bigint;
  invoicedAmountMinor: bigint;
  /** Money at stake: |invoiced - expected| for the billed quantity. */
  amountMinor: bigint;
  explanation: string;
}

function invoiceName(line: InvoicedLine): string {
  return `Invoice ${line.invoiceNumber ?? line.invoiceId}`;
}

function sameDecimal(a: string, b: string): boolean {
  return isDecimal(a) && isDecimal(b) && compareFractions(parseExactDecimal(a), parseExactDecimal(b)) === 0;
}

/** The average unit price of `quantityMicro` units, in major units, rounded half-even to 6 decimals. */
function averageUnitPrice(exactMinor: Fraction, quantityMicro: bigint, currency: string): string {
  if (quantityMicro === 0n) return "0";
  // major per unit = minor / 10^exponent / (micro / 10^6); kept to 10^-6 of a major unit.
  const numerator = exactMinor.numerator * 10n ** 12n;
  const denominator = exactMinor.denominator * 10n ** BigInt(currencyExponent(currency)) * quantityMicro;
  return toDecimalString(roundHalfEven({ numerator, denominator }), 6);
}

function judgeLine(
  line: InvoicedLine,
  metric: string,
  quantityMicro: bigint,
  candidate: CardInPeriod,
  currency: string,
) {
  const price = candidate.card.metrics.find((m) => m.metric === metric);
  if (!price) return null;
  const exact = priceExactly(price.pricing, quantityMicro, currency);
  const expectedAmountMinor = priceQuantity(price.pricing, quantityMicro, currency).amountMinor;
  const difference = line.amountMinor - expectedAmountMinor;
  const atStake = difference < 0n ? -difference : difference;
  const flat = price.pricing.model === "flat" ? price.pricing.unitPrice : null;
  // Flat: the unit price must be the card's; tiered (or no unit price on the line): the amount, to a minor unit.
  const matches = flat !== null && line.unitPrice !== null ? sameDecimal(flat, line.unitPrice) : atStake <= 1n;
  const expectedUnitPrice = flat ?? averageUnitPrice(exact.exact, quantityMicro, currency);
  return {
    candidate,
    model: price.pricing.model,
    matches,
    expectedAmountMinor,
    difference,
    atStake,
    expectedUnitPrice,
  };
}

/**
 * Invoice lines whose price is not the rate card's for their metric and period. Lines without a metric or quantity,
 * and metrics no card in effect prices, are not compared. When cards split the period, a line matching any of them is
 * fine; otherwise it is held against the card closest to it. A difference that moves no money is not reported.
 */
export function checkInvoicePricing(input: {
  cards: readonly RateCard[];
  period: string;
  invoiceLines: readonly InvoicedLine[];
  currency: string;
}): PriceDiffers[] {
  const currency = normalizeCurrency(input.currency);
  const { cards } = coverPeriod(input.cards, input.period, currency);
  const found: PriceDiffers[] = [];
  for (const line of input.invoiceLines) {
    const metric = line.metric;
    if (metric === null || line.quantity === null || !isDecimal(line.quantity)) continue;
    const quantityMicro = parseQuantity(line.quantity);
    if (quantityMicro < 0n) continue;
    const judged = cards.flatMap((c) => judgeLine(line, metric, quantityMicro, c, currency) ?? []);
    if (judged.length === 0 || judged.some((j) => j.matches)) continue;
    const closest = judged.sort(
      (a, b) =>
        (a.atStake < b.atStake ? -1 : a.atStake > b.atStake ? 1 : 0) ||
        compareText(b.candidate.card.effectiveFrom, a.candidate.card.effectiveFrom),
    )[0];
    if (!closest || closest.atStake === 0n) continue;
    const plan = closest.candidate.card.plan;
    const direction = closest.difference > 0n ? "more" : "less";
    const money = (minor: bigint) => formatMoney(minor, currency);
    const stake = `${money(closest.atStake)} ${direction} than the rate card (${money(line.amountMinor)} instead of ${money(closest.expectedAmountMinor)})`;
    const explanation =
      closest.model === "flat" && line.unitPrice !== null
        ? `${invoiceName(line)} bills ${metric} at ${formatUnitPrice(line.unitPrice, currency)} a unit; the ${plan} rate card says ${formatUnitPrice(closest.expectedUnitPrice, currency)}: ${units(quantityMicro)} units cost ${stake}.`
        : `${invoiceName(line)} bills ${units(quantityMicro)} ${metric} for ${money(line.amountMinor)}; the ${plan} rate card's ${closest.model} pricing makes that ${money(closest.expectedAmountMinor)}: ${stake}.`;
    found.push({
      kind: "price_differs",
      metric,
      invoiceId: line.invoiceId,
      invoiceNumber: line.invoiceNumber,
      lineId: line.lineId ?? null,
      plan,
      quantityMicro,
      expectedUnitPrice: closest.expectedUnitPrice,
      invoicedUnitPrice: line.unitPrice,
      expectedAmountMinor: closest.expectedAmountMinor,
      invoicedAmountMinor: line.amountMinor,
      amountMinor: closest.atStake,
      explanation,
    });
  }
  return found.sort(
    (a, b) =>
      compareText(a.invoiceNumber ?? a.invoiceId, b.invoiceNumber ?? b.invoiceId) ||
      compareText(a.invoiceId, b.invoiceId) ||
      compareText(a.lineId ?? "", b.lineId ?? "") ||
      compareText(a.metric, b.metric) ||
      (a.invoicedAmountMinor < b.invoicedAmountMinor ? -1 : a.invoicedAmountMinor > b.invoicedAmountMinor ? 1 : 0),
  );
}

export interface PlanChangeExplained {
  kind: "plan_change";
  /** The variance the plan change explains: |invoiced - a full month on the plan in effect at the period's end|. */
  amountMinor: bigint;
  expectedMinor: bigint;
  invoicedMinor: bigint;
  /** What a full month on the period-end plan would have cost. */
  fullMonthMinor: bigint;
  planSegments: PlanSegment[];
  explanation: string;
}

/**
 * "Explained, not a discrepancy": returned when the cards change inside the period and the prorated expectation equals
 * what was invoiced for the period within one minor unit per invoice line (each line rounds once). Otherwise null,
 * and the variance stands for the usage and pricing checks to classify.
 */
export function explainPlanChange(input: {
  cards: readonly RateCard[];
  period: string;
  usage: ReadonlyMap<string, bigint>;
  dailyUsage?: readonly DailyUsage[];
  metricDecimals?: Readonly<Record<string, number>>;
  invoiceLines: ReadonlyArray<{ amountMinor: bigint }>;
  currency: string;
}): PlanChangeExplained | null {
  const currency = normalizeCurrency(input.currency);
  const coverage = coverPeriod(input.cards, input.period, currency);
  const last = coverage.cards.reduce<CardInPeriod | null>(
    (a, b) => (a === null || b.firstDay > a.firstDay ? b : a),
    null,
  );
  if (coverage.cards.length < 2 || !last || input.invoiceLines.length === 0) return null;
  const rating = rateAccountPeriod({ ...input, currency });
  const invoicedMinor = input.invoiceLines.reduce((sum, line) => sum + line.amountMinor, 0n);
  const gap = invoicedMinor - rating.totalMinor;
  if ((gap < 0n ? -gap : gap) > BigInt(input.invoiceLines.length)) return null;
  const fullMonthCard = { ...last.card, effectiveFrom: periodStart(input.period), effectiveTo: null };
  const fullMonthMinor = rateAccountPeriod({ ...input, cards: [fullMonthCard], currency }).totalMinor;
  const variance = invoicedMinor - fullMonthMinor;
  const amountMinor = variance < 0n ? -variance : variance;
  const money = (minor: bigint) => formatMoney(minor, currency);
  const who = describeSegments(input.period, rating.planSegments, rating.uncovered, coverage.days);
  const shares = rating.planSegments.map((s) => s.share).join(" and ");
  const explanation =
    `${input.period} was invoiced ${money(invoicedMinor)}, ${money(amountMinor)} from a full month on ${last.card.plan} ` +
    `(${money(fullMonthMinor)}): ${who}, so the month is prorated ${shares}, which comes to ${money(rating.totalMinor)}. ` +
    "The plan change explains the difference: not a discrepancy.";
  return {
    kind: "plan_change",
    amountMinor,
    expectedMinor: rating.totalMinor,
    invoicedMinor,
    fullMonthMinor,
    planSegments: rating.planSegments,
    explanation,
  };
}
