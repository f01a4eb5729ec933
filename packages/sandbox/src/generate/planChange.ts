// Invoice lines for the two injected pricing cases: a month split between two plans (prorated by day, correct), and
// one usage line billed at a unit price other than the plan's (price_differs).
import { daysInMonth } from "../calendar.js";
import type { Random } from "../random.js";
import type { QboSalesItemLine } from "../scenario.js";
import { lineWriter } from "./invoices.js";
import type { Period, PlannedAccount } from "./model.js";
import {
  amountMinor,
  halfEven,
  includedUsageItem,
  type MetricPrice,
  platformFeeItem,
  type RateCard,
  toDecimal,
} from "./rateCards.js";

/**
 * The month of a plan change: each plan's base fee for its days, and each metric's usage before and after the change
 * at that plan's price, less that plan's included units prorated by its days (half-even on scaled units).
 */
export function planChangeLines(
  account: PlannedAccount,
  period: Period,
  billed: Map<string, number>,
  before: Map<string, number> | undefined,
  serviceDate: string,
): QboSalesItemLine[] {
  const change = account.planChange!;
  const dim = daysInMonth(period.start);
  const segments: Array<{ card: RateCard; days: number; share: (key: string) => number }> = [
    { card: account.rateCard, days: change.day - 1, share: (key) => before?.get(key) ?? 0 },
    { card: change.next, days: dim - change.day + 1, share: (key) => (billed.get(key) ?? 0) - (before?.get(key) ?? 0) },
  ];
  const lines: QboSalesItemLine[] = [];
  const line = lineWriter(lines, serviceDate);
  for (const { card, days } of segments) {
    const fee = halfEven(card.baseFeeMinor * days, dim);
    line(platformFeeItem, 1, fee / 100, fee, `${card.plan} plan, platform fee for ${days} of ${dim} days`);
  }
  for (const { card, days, share } of segments) {
    for (const price of card.prices) {
      const scaled = share(price.metric.key);
      if (scaled <= 0) continue;
      const unitPrice = price.priceMicro / 1_000_000;
      const item = { id: price.metric.itemId, name: price.metric.itemName };
      const qty = toDecimal(scaled, price.metric.scale);
      line(item, qty, unitPrice, amountMinor(scaled, price), `${price.metric.unit} used on the ${card.plan} plan`);
      const included = halfEven(price.includedScaled * days, dim);
      const covered = Math.min(scaled, included);
      if (covered > 0) {
        const credit = -toDecimal(covered, price.metric.scale);
        line(
          includedUsageItem,
          credit,
          unitPrice,
          -amountMinor(covered, price),
          `${price.metric.unit} included (${days} days)`,
        );
      }
    }
  }
  return lines;
}

/** Bills the first usage line with units at 10-30% off the plan's price; returns what that puts at stake. */
export function repriceOneLine(
  random: Random,
  card: RateCard,
  lines: QboSalesItemLine[],
): { stakeMinor: number; metric: string; unitPrice: number } | null {
  for (const line of lines) {
    const detail = line.SalesItemLineDetail;
    const price = card.prices.find((p) => p.metric.itemId === detail.ItemRef.value);
    if (!price || (detail.Qty ?? 0) <= 0) continue;
    const factor = random.chance(0.5) ? 1.1 + random.next() * 0.2 : 0.7 + random.next() * 0.2;
    const wrong: MetricPrice = { ...price, priceMicro: Math.max(1, Math.round(price.priceMicro * factor)) };
    const scaled = Math.round((detail.Qty ?? 0) * 10 ** price.metric.scale);
    const before = amountMinor(scaled, price);
    const after = amountMinor(scaled, wrong);
    detail.UnitPrice = wrong.priceMicro / 1_000_000;
    line.Amount = after / 100;
    return { stakeMinor: Math.abs(after - before), metric: price.metric.key, unitPrice: detail.UnitPrice };
  }
  return null;
}
