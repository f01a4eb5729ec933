// The period findings rating decides: invoice lines priced off the rate card, and plan changes that explain a variance.

import { formatMoney } from "../money";
import { checkInvoicePricing, explainPlanChange, type InvoicedLine } from "../rating/checks";
import type { DailyUsage } from "../rating/rate";
import type { RateCard } from "../rating/rateCard";
import type { InvoiceInput, InvoiceLineInput } from "../records";
import { describeInvoices } from "../usage";
import { type Discrepancy, discrepancy } from "./model";
import { expectedTotal, type PeriodCards } from "./rateCards";
import { sourceId } from "./sourceIds";

/** What rating needs of one account's period. */
export interface PeriodRatingFacts {
  period: string;
  currency: string;
  /** All the account's rate cards (rating picks those that touch the period). */
  rateCards: readonly RateCard[];
  cards: PeriodCards;
  /** Metered quantity per metric, micro-units. */
  metered: ReadonlyMap<string, bigint>;
  /** The period's usage by day (rows summed over days are dated their first day), for plan changes. */
  dailyUsage: readonly DailyUsage[];
  metricDecimals: Readonly<Record<string, number>>;
  invoices: ReadonlyArray<{ invoice: InvoiceInput; lines: readonly InvoiceLineInput[] }>;
}

/** The period's invoice lines as rating's checks read them. */
export function invoicedLines(facts: Pick<PeriodRatingFacts, "invoices">): InvoicedLine[] {
  return facts.invoices.flatMap(({ invoice, lines }) =>
    lines.map((line, index) => ({
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      lineId: String(index + 1),
      metric: line.metric,
      quantity: line.quantity,
      unitPrice: line.unitPrice ?? null,
      amountMinor: line.amountMinor,
    })),
  );
}

/** price_differs: every line checkInvoicePricing holds off the card(s) of the period, as one finding. */
export function priceDiffers(facts: PeriodRatingFacts, out: Discrepancy[]): void {
  if (facts.rateCards.length === 0) return;
  const found = checkInvoicePricing({
    cards: facts.rateCards,
    period: facts.period,
    invoiceLines: invoicedLines(facts),
    currency: facts.currency,
  });
  if (found.length === 0) return;
  out.push(
    discrepancy({
      code: "price_differs",
      amountMinor: found.reduce((sum, f) => sum + f.amountMinor, 0n),
      currency: facts.currency,
      period: facts.period,
      sourceIds: found.map((f) => sourceId.invoice(f.invoiceId)),
      explanation: found.map((f) => f.explanation).join(" "),
    }),
  );
}

/**
 * plan_change, an explanation: when explainPlanChange finds that the plans prorated by day account for what the
 * period's invoice lines bill. Its amount is README.md's (and the generator's): |invoice total - expected total on
 * the earlier card alone|, not rating's variance against a full month on the later plan.
 */
export function planChange(facts: PeriodRatingFacts, out: Discrepancy[]): void {
  const { card, next } = facts.cards;
  if (!card || !next || facts.invoices.length === 0) return;
  const explained = explainPlanChange({
    cards: facts.rateCards,
    period: facts.period,
    usage: facts.metered,
    dailyUsage: facts.dailyUsage,
    metricDecimals: facts.metricDecimals,
    invoiceLines: facts.invoices.flatMap((i) => i.lines),
    currency: facts.currency,
  });
  if (!explained) return;
  const money = (minor: bigint) => formatMoney(minor, facts.currency);
  const invoiced = facts.invoices.reduce((sum, i) => sum + i.invoice.totalMinor, 0n);
  const alone = expectedTotal(card, facts.metered);
  const amount = alone === null ? null : invoiced > alone ? invoiced - alone : alone - invoiced;
  const refs = facts.invoices.map((i) => ({ id: i.invoice.id, number: i.invoice.number }));
  const segments = explained.planSegments.map((s) => `${s.plan} ${s.share}`).join(", ");
  const variance =
    alone === null ? "" : `; ${card.plan} alone would have cost ${money(alone)}, ${money(amount ?? 0n)} apart`;
  out.push(
    discrepancy({
      code: "plan_change",
      amountMinor: amount,
      currency: facts.currency,
      period: facts.period,
      sourceIds: refs.map((r) => sourceId.invoice(r.id)),
      explanation:
        `The plan changed from ${card.plan} to ${next.plan} on ${next.effectiveFrom}: ${describeInvoices(refs)} ` +
        `bills ${money(invoiced)}, and the plans prorated by day (${segments}) come to ${money(explained.expectedMinor)}` +
        `${variance}. The variance is explained, not a discrepancy.`,
    }),
  );
}
