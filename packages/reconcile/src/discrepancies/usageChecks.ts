// Usage-side findings of one period: over/under-billing, missing invoice, invoice without usage, late usage and
// duplicate usage events; price differs and the plan-change explanation come from rating (README.md states each rule).

import { formatMoney } from "../money";
import { formatQuantity } from "../quantity";
import { describeInvoices, type InvoiceRef, type MetricResult } from "../usage";
import { type Discrepancy, discrepancy } from "./model";
import { duplicateValue, expectedTotal, parseUnitPrice, priceMinor, usageValue } from "./rateCards";
import { type PeriodRatingFacts, planChange, priceDiffers } from "./ratingChecks";
import { MAX_INSERT_IDS, sourceId } from "./sourceIds";

/** What one period of one account brings to the usage checks. */
export interface PeriodUsageFacts extends PeriodRatingFacts {
  /** True once the period is closed (invoices and usage can be compared). */
  closed: boolean;
  usage: readonly MetricResult[];
  /** Per metric, micro-units uploaded after the period's first invoice was issued. */
  lateMicro: ReadonlyMap<string, bigint>;
  lastLateUpload: string | null;
  duplicateMicro: ReadonlyMap<string, bigint>;
  duplicateEvents: number;
  duplicateInsertIds: readonly string[];
  links: { quickbooksCustomerId: string | null; amplitudeGroupId: string | null };
  usageSource: string;
}

export interface PeriodUsageFindings {
  discrepancies: Discrepancy[];
  explanations: Discrepancy[];
}

const invoiceIds = (refs: readonly InvoiceRef[]) => refs.map((r) => sourceId.invoice(r.id));

function groupRef(facts: PeriodUsageFacts): string[] {
  return facts.links.amplitudeGroupId ? [sourceId.amplitudeGroup(facts.links.amplitudeGroupId)] : [];
}

function quantityText(facts: PeriodUsageFacts, byMetric: ReadonlyMap<string, bigint>): string {
  const unit = (metric: string) => facts.usage.find((m) => m.metric === metric)?.unit ?? metric;
  return [...byMetric]
    .filter(([, q]) => q > 0n)
    .map(([metric, q]) => `${formatQuantity(q, 2)} ${unit(metric)}`)
    .join(" and ");
}

/** |value(billed) - value(metered)| under the card, else the quantity difference at the invoice line's unit price. */
function varianceValue(facts: PeriodUsageFacts, m: MetricResult): bigint | null {
  const card = facts.cards.card;
  if (card) {
    const billed = usageValue(card, m.metric, m.billedMicro);
    const metered = usageValue(card, m.metric, m.meteredMicro);
    if (billed !== null && metered !== null) return billed > metered ? billed - metered : metered - billed;
  }
  const line = facts.invoices.flatMap((i) => i.lines).find((l) => l.metric === m.metric && l.unitPrice);
  if (!line?.unitPrice) return null;
  const diff = m.varianceMicro < 0n ? -m.varianceMicro : m.varianceMicro;
  return priceMinor(diff, parseUnitPrice(line.unitPrice), facts.currency);
}

function sumOrNull(values: ReadonlyArray<bigint | null>): bigint | null {
  let total = 0n;
  for (const value of values) {
    if (value === null) return null;
    total += value;
  }
  return total;
}

function billingVariances(facts: PeriodUsageFacts, out: Discrepancy[]): void {
  const periodInvoices = facts.invoices.map((i) => ({ id: i.invoice.id, number: i.invoice.number }));
  for (const code of ["over_billed", "under_billed"] as const) {
    // A metric no invoice line bills, in a period that has an invoice, is under-billed on that invoice.
    const metrics = facts.usage.filter(
      (m) =>
        m.status === code || (code === "under_billed" && m.status === "missing_invoice" && periodInvoices.length > 0),
    );
    if (metrics.length === 0) continue;
    const amounts = metrics.map((m) => varianceValue(facts, m));
    const amount = sumOrNull(amounts);
    const sentences = metrics.map((m, i) => {
      const value = amounts[i];
      const base =
        m.status === "missing_invoice"
          ? `${describeInvoices(periodInvoices)} bills no ${m.unit ?? m.metric}; ${facts.usageSource} metered ${formatQuantity(m.meteredMicro, 2)} ${m.unit ?? m.metric}: under-billed`
          : m.explanation.replace(/\.$/, "");
      return value === null || value === undefined ? `${base}.` : `${base} by ${formatMoney(value, facts.currency)}.`;
    });
    const refs = metrics.flatMap((m) => (m.invoices.length > 0 ? m.invoices : periodInvoices));
    out.push(
      discrepancy({
        code,
        amountMinor: amount,
        currency: facts.currency,
        period: facts.period,
        sourceIds: invoiceIds(refs),
        explanation: sentences.join(" "),
      }),
    );
  }
}

function missingInvoice(facts: PeriodUsageFacts, out: Discrepancy[]): void {
  if (facts.invoices.length > 0) return;
  const missing = facts.usage.filter((m) => m.status === "missing_invoice");
  if (missing.length === 0) return;
  const metered = new Map(facts.usage.map((m) => [m.metric, m.meteredMicro]));
  const card = facts.cards.card;
  const amount = card ? expectedTotal(card, metered) : null;
  const expected =
    amount === null || !card ? "" : `, ${formatMoney(amount, facts.currency)} expected on the ${card.plan} plan`;
  out.push(
    discrepancy({
      code: "missing_invoice",
      amountMinor: amount,
      currency: facts.currency,
      period: facts.period,
      sourceIds: [
        ...(facts.links.quickbooksCustomerId ? [sourceId.quickbooksCustomer(facts.links.quickbooksCustomerId)] : []),
        ...groupRef(facts),
      ],
      explanation: `No invoice bills ${facts.period}; ${facts.usageSource} metered ${quantityText(facts, metered)}: missing invoice${expected}.`,
    }),
  );
}

function invoiceWithoutUsage(facts: PeriodUsageFacts, out: Discrepancy[]): void {
  const metrics = facts.usage.filter((m) => m.status === "invoice_without_usage");
  if (metrics.length === 0) return;
  const card = facts.cards.card;
  const amounts = metrics.map((m) => {
    const value = card ? usageValue(card, m.metric, m.billedMicro) : null;
    if (value !== null) return value;
    const lines = facts.invoices.flatMap((i) => i.lines).filter((l) => l.metric === m.metric);
    return lines.reduce((sum, l) => sum + l.amountMinor, 0n);
  });
  const amount = sumOrNull(amounts) ?? 0n;
  out.push(
    discrepancy({
      code: "invoice_without_usage",
      amountMinor: amount,
      currency: facts.currency,
      period: facts.period,
      sourceIds: [...groupRef(facts), ...invoiceIds(metrics.flatMap((m) => m.invoices))],
      explanation: `${metrics.map((m) => m.explanation.replace(/\.$/, "")).join("; ")}: ${formatMoney(amount, facts.currency)} billed for usage nobody metered.`,
    }),
  );
}

function lateUsage(facts: PeriodUsageFacts, out: Discrepancy[]): void {
  const late = [...facts.lateMicro].filter(([, q]) => q > 0n);
  const first = facts.invoices.map((i) => i.invoice).sort((a, b) => (a.issuedOn < b.issuedOn ? -1 : 1))[0];
  if (late.length === 0 || !first) return;
  const card = facts.cards.card;
  const amounts = late.map(([metric, q]) => {
    if (!card) return null;
    const metered = facts.usage.find((m) => m.metric === metric)?.meteredMicro ?? q;
    const all = usageValue(card, metric, metered);
    const billed = usageValue(card, metric, metered - q);
    return all === null || billed === null ? null : all - billed;
  });
  const amount = sumOrNull(amounts);
  const money = amount === null ? "" : `: ${formatMoney(amount, facts.currency)} not billed`;
  out.push(
    discrepancy({
      code: "late_usage",
      amountMinor: amount,
      currency: facts.currency,
      period: facts.period,
      sourceIds: [...invoiceIds(facts.invoices.map((i) => i.invoice)), ...groupRef(facts)],
      explanation: `After invoice ${first.number ?? first.id} was issued on ${first.issuedOn}, ${facts.usageSource} received ${quantityText(facts, new Map(late))} more for ${facts.period} (uploaded up to ${facts.lastLateUpload ?? "later"})${money}.`,
    }),
  );
}

function duplicateEvents(facts: PeriodUsageFacts, out: Discrepancy[]): void {
  if (facts.duplicateEvents === 0) return;
  const card = facts.cards.card;
  const amounts = [...facts.duplicateMicro].map(([metric, q]) => {
    const metered = facts.metered.get(metric) ?? 0n;
    return card ? duplicateValue(card, metric, metered, q) : null;
  });
  const amount = sumOrNull(amounts);
  const n = facts.duplicateEvents;
  const money = amount === null ? "" : `, so ${formatMoney(amount, facts.currency)} was not billed twice`;
  out.push(
    discrepancy({
      code: "duplicate_usage_events",
      amountMinor: amount,
      currency: facts.currency,
      period: facts.period,
      sourceIds: facts.duplicateInsertIds.slice(0, MAX_INSERT_IDS).map(sourceId.insertId),
      explanation: `${n} ${facts.usageSource} event${n === 1 ? "" : "s"} of ${facts.period} arrived twice with the same $insert_id (${quantityText(facts, facts.duplicateMicro)}); each was counted once${money}.`,
    }),
  );
}

/** Every usage-side finding of one closed period. */
export function usageFindings(facts: PeriodUsageFacts): PeriodUsageFindings {
  const discrepancies: Discrepancy[] = [];
  const explanations: Discrepancy[] = [];
  if (!facts.closed) return { discrepancies, explanations };
  billingVariances(facts, discrepancies);
  missingInvoice(facts, discrepancies);
  invoiceWithoutUsage(facts, discrepancies);
  priceDiffers(facts, discrepancies);
  lateUsage(facts, discrepancies);
  duplicateEvents(facts, discrepancies);
  planChange(facts, explanations);
  return { discrepancies, explanations };
}
