// QuickBooks side: customers, items and one invoice per account and month billed from the usage the billing system
// saw, with the billing-side anomalies (over- and under-billing, a missing invoice) and harmless rounding noise.
import { addDays, addSeconds, formatDay, monthStart, qboTime } from "../calendar.js";
import type { Random } from "../random.js";
import type { QboCustomer, QboInvoice, QboItem, QboSalesItemLine } from "../scenario.js";
import { cardFor, type GenerationContext, type Period, type PlannedAccount } from "./model.js";
import { planChangeLines, repriceOneLine } from "./planChange.js";
import {
  amountMinor,
  decimalString,
  expectedTotal,
  includedUsageItem,
  metricDefinitions,
  platformFeeItem,
  type RateCard,
  toDecimal,
  usageValue,
} from "./rateCards.js";
import type { UsageResult } from "./usage.js";

export interface IssuedInvoice {
  invoice: QboInvoice;
  account: PlannedAccount;
  periodIndex: number;
  totalMinor: number;
}

export interface InvoicingResult {
  customers: QboCustomer[];
  items: QboItem[];
  invoices: IssuedInvoice[];
}

export const usd = { value: "USD", name: "United States Dollar" };

export function qboItems(createdAt: Date): QboItem[] {
  const meta = { CreateTime: qboTime(createdAt), LastUpdatedTime: qboTime(createdAt) };
  const item = (Id: string, Name: string, Sku: string): QboItem => ({
    Id,
    SyncToken: "0",
    Name,
    Sku,
    Type: "Service",
    Active: true,
    MetaData: meta,
  });
  return [
    ...metricDefinitions.map((metric) => item(metric.itemId, metric.itemName, metric.key)),
    item(platformFeeItem.id, platformFeeItem.name, platformFeeItem.sku),
    item(includedUsageItem.id, includedUsageItem.name, includedUsageItem.sku),
  ];
}

export type LineWriter = (
  item: { id: string; name: string },
  qty: number,
  unitPrice: number,
  minor: number,
  text: string,
) => void;

/** A line writer that appends QuickBooks SalesItemLines to `lines`. */
export function lineWriter(lines: QboSalesItemLine[], serviceDate: string): LineWriter {
  return (item, qty, unitPrice, minor, text) => {
    lines.push({
      Id: String(lines.length + 1),
      LineNum: lines.length + 1,
      Description: text,
      Amount: minor / 100,
      DetailType: "SalesItemLineDetail",
      SalesItemLineDetail: {
        ItemRef: { value: item.id, name: item.name },
        Qty: qty,
        UnitPrice: unitPrice,
        ServiceDate: serviceDate,
      },
    });
  };
}

/** Invoice lines for a month: the platform fee, every metered unit, and a credit for the units the plan includes. */
function invoiceLines(card: RateCard, quantities: Map<string, number>, serviceDate: string): QboSalesItemLine[] {
  const lines: QboSalesItemLine[] = [];
  const line = lineWriter(lines, serviceDate);
  const fee = card.baseFeeMinor;
  line(platformFeeItem, 1, fee / 100, fee, `${card.plan} plan, monthly platform fee`);
  for (const price of card.prices) {
    const scaled = quantities.get(price.metric.key) ?? 0;
    const unitPrice = price.priceMicro / 1_000_000;
    const item = { id: price.metric.itemId, name: price.metric.itemName };
    line(
      item,
      toDecimal(scaled, price.metric.scale),
      unitPrice,
      amountMinor(scaled, price),
      `${price.metric.unit} used`,
    );
    const covered = Math.min(scaled, price.includedScaled);
    if (covered > 0) {
      const qty = -toDecimal(covered, price.metric.scale);
      line(includedUsageItem, qty, unitPrice, amountMinor(-covered, price), `${price.metric.unit} included in plan`);
    }
  }
  return lines;
}

function linesTotal(lines: QboSalesItemLine[]): number {
  return lines.reduce((sum, line) => sum + Math.round(line.Amount * 100), 0);
}

/** Bills a quantity more than 5% away from the metered one, in the given direction. */
function skew(random: Random, scaled: number, direction: 1 | -1): number {
  const factor = direction > 0 ? 1.1 + random.next() * 0.2 : 0.7 + random.next() * 0.2;
  const skewed = Math.round(scaled * factor);
  if (Math.abs(skewed - scaled) > scaled * 0.06) return skewed;
  return scaled + direction * Math.max(1, Math.ceil(scaled * 0.1));
}

export function issueInvoices(context: GenerationContext, usage: UsageResult): InvoicingResult {
  const random = context.random.fork("invoices");
  const result: InvoicingResult = {
    customers: [],
    items: qboItems(addDays(context.periods[0]!.start, -400)),
    invoices: [],
  };
  for (const account of context.accounts) {
    const meta = { CreateTime: qboTime(account.createdAt), LastUpdatedTime: qboTime(account.createdAt) };
    result.customers.push({
      Id: account.quickbooksCustomerId,
      SyncToken: "0",
      DisplayName: account.name,
      CompanyName: account.name,
      PrimaryEmailAddr: { Address: `billing@${account.domain}` },
      CurrencyRef: usd,
      Active: true,
      Balance: 0,
      MetaData: meta,
    });
  }
  let nextTxnId = 100;
  let nextDocNumber = 1001;
  context.periods.forEach((period, periodIndex) => {
    if (!period.invoiced) return;
    for (const account of context.accounts) {
      if (periodIndex < account.firstPeriod) continue;
      const injected = account.injected?.period === periodIndex ? account.injected.kind : null;
      const basis = usage.billingBasis.get(account.quickbooksCustomerId)?.get(period.key) ?? new Map<string, number>();
      const metered = usage.metered.get(account.quickbooksCustomerId)?.get(period.key) ?? new Map<string, number>();
      const serviceDate = formatDay(addDays(monthStart(period.start, 1), -1));
      const card = cardFor(account, periodIndex);
      if (injected === "missing_invoice") {
        const expected = linesTotal(invoiceLines(card, metered, serviceDate));
        context.manifest.push({
          kind: "missing_invoice",
          accountRef: account.quickbooksCustomerId,
          period: period.key,
          amountMinor: String(expected),
          sourceIds: [`qbo:Customer:${account.quickbooksCustomerId}`, `amplitude:group:${account.amplitudeGroupId}`],
          note: `${account.name} used the product in ${period.key} but was never invoiced for it.`,
        });
        continue;
      }
      const billed = new Map(basis);
      const skewedMetric = skewQuantities(random, account, billed, injected);
      const lines =
        injected === "plan_change" && account.planChange
          ? planChangeLines(account, period, billed, usage.beforeChange.get(account.quickbooksCustomerId), serviceDate)
          : invoiceLines(card, billed, serviceDate);
      const repriced = injected === "price_differs" ? repriceOneLine(random, card, lines) : null;
      const totalMinor = linesTotal(lines);
      const issued = issue(account, period, lines, totalMinor, String(nextTxnId++), String(nextDocNumber++));
      result.invoices.push({ invoice: issued, account, periodIndex, totalMinor });
      if ((injected === "over_billed" || injected === "under_billed") && skewedMetric) {
        const scale = metricDefinitions.find((metric) => metric.key === skewedMetric)?.scale ?? 0;
        const shown = (m: Map<string, number>) => decimalString(m.get(skewedMetric) ?? 0, scale);
        const correctMinor = linesTotal(invoiceLines(card, metered, serviceDate));
        context.manifest.push({
          kind: injected,
          accountRef: account.quickbooksCustomerId,
          period: period.key,
          amountMinor: String(Math.abs(totalMinor - correctMinor)),
          sourceIds: [`qbo:Invoice:${issued.Id}`],
          note: `Invoice ${issued.DocNumber} bills ${shown(billed)} ${skewedMetric} against ${shown(metered)} metered.`,
        });
      }
      const cite = [`qbo:Invoice:${issued.Id}`];
      const note = (
        kind: "price_differs" | "plan_change" | "late_usage",
        amount: number,
        ids: string[],
        text: string,
      ) =>
        context.manifest.push({
          kind,
          accountRef: account.quickbooksCustomerId,
          period: period.key,
          amountMinor: String(amount),
          sourceIds: ids,
          note: text,
        });
      if (repriced) {
        note(
          "price_differs",
          repriced.stakeMinor,
          cite,
          `Invoice ${issued.DocNumber} bills ${repriced.metric} at ${repriced.unitPrice} instead of the plan's price.`,
        );
      }
      if (injected === "plan_change" && account.planChange) {
        const alone = expectedTotal(account.rateCard, metered);
        note(
          "plan_change",
          Math.abs(totalMinor - alone),
          cite,
          `${account.name} moved from ${account.rateCard.plan} to ${account.planChange.next.plan} on day ${account.planChange.day}; invoice ${issued.DocNumber} prorates both plans correctly.`,
        );
      }
      const late = injected === "late_usage" ? usage.late.get(account.quickbooksCustomerId) : undefined;
      if (late) {
        const price = card.prices.find((p) => p.metric.key === late.metric)!;
        const all = metered.get(late.metric) ?? 0;
        const stake = usageValue(all, price) - usageValue(all - late.scaled, price);
        note(
          "late_usage",
          stake,
          [...cite, `amplitude:group:${account.amplitudeGroupId}`],
          `${late.events.length} events for ${period.key} arrived after invoice ${issued.DocNumber} was issued.`,
        );
      }
      if (injected === "invoice_without_usage") {
        const entry = context.manifest.find(
          (e) =>
            e.kind === "invoice_without_usage" &&
            e.accountRef === account.quickbooksCustomerId &&
            e.period === period.key,
        );
        if (entry) {
          entry.amountMinor = String(totalMinor - card.baseFeeMinor);
          entry.sourceIds.push(`qbo:Invoice:${issued.Id}`);
        }
      }
    }
  });
  return result;
}

/** Returns the metric whose billed quantity was skewed on purpose, if any; adds sub-threshold noise elsewhere. */
function skewQuantities(
  random: Random,
  account: PlannedAccount,
  billed: Map<string, number>,
  injected: string | null,
): string | null {
  const scalable = account.rateCard.prices.filter((price) => (billed.get(price.metric.key) ?? 0) > 100);
  if (injected === "over_billed" || injected === "under_billed") {
    const price = random.pick(account.rateCard.prices);
    billed.set(price.metric.key, skew(random, billed.get(price.metric.key) ?? 0, injected === "over_billed" ? 1 : -1));
    return price.metric.key;
  }
  if (injected === null && scalable.length > 0 && random.chance(0.08)) {
    const price = random.pick(scalable);
    const scaled = billed.get(price.metric.key)!;
    const factor = 1 + (random.chance(0.5) ? 1 : -1) * (0.01 + random.next() * 0.03);
    billed.set(price.metric.key, Math.round(scaled * factor));
  }
  return null;
}

function issue(
  account: PlannedAccount,
  period: Period,
  lines: QboSalesItemLine[],
  totalMinor: number,
  id: string,
  docNumber: string,
): QboInvoice {
  const txnDate = monthStart(period.start, 1);
  const created = addSeconds(txnDate, 9 * 3600 + (account.index % 3600));
  return {
    Id: id,
    SyncToken: "0",
    DocNumber: docNumber,
    TxnDate: formatDay(txnDate),
    DueDate: formatDay(addDays(txnDate, 30)),
    CustomerRef: { value: account.quickbooksCustomerId, name: account.name },
    CurrencyRef: usd,
    Line: [...lines, { Amount: totalMinor / 100, DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} }],
    TotalAmt: totalMinor / 100,
    Balance: totalMinor / 100,
    PrivateNote: `Usage for ${period.key}`,
    MetaData: { CreateTime: qboTime(created), LastUpdatedTime: qboTime(created) },
  };
}
