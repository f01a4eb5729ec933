// Revenue by month: billed vs collected, and earned vs deferred for invoices spanning a service period (straight-line by day).

import { addDays, periodStart, shiftPeriod } from "../calendar";
import { normalizeCurrency } from "../money";
import { allocateByWeights, allocatedUpTo } from "./allocate";
import type { AppliedPayment, MetricInvoice, ServicePeriod } from "./ledger";
import { monthsFromTo } from "./mrr";
import { daysInclusive, monthSlices } from "./receivables";

/** One calendar month of a service period and the part of the invoice earned in it. */
export interface RevenuePiece {
  period: string; // YYYY-MM
  from: string;
  to: string;
  days: number;
  earnedMinor: bigint;
}

/**
 * Straight-line by day: each month of the service period earns total x its days / the period's days, allocated by
 * rounding the running total half-even (allocateByWeights), so the pieces sum exactly to the total and the earned
 * amount at any month end is the exact share rounded once. $3,100 over 2026-10-01..2026-12-31 (92 days):
 * Oct 310,000 x 31/92 = 104,456.52 -> 104,457; Oct+Nov 310,000 x 61/92 = 205,543.48 -> 205,543, so Nov 101,086;
 * Dec 310,000 - 205,543 = 104,457.
 */
export function straightLineSchedule(totalMinor: bigint, servicePeriod: ServicePeriod): RevenuePiece[] {
  const slices = monthSlices(servicePeriod.from, servicePeriod.to);
  const pieces = allocateByWeights(
    totalMinor,
    slices.map((slice) => BigInt(slice.days)),
  );
  return slices.map((slice, index) => ({ ...slice, earnedMinor: pieces[index]! }));
}

/**
 * What of an invoice is earned by the end of `day`. Nothing before the invoice is issued (revenue is not recognized
 * on an invoice that does not exist yet; service days before the issue day are caught up on it); all of it once issued
 * when it has no service period; otherwise round-half-even(total x service days elapsed by `day` / service days).
 */
export function earnedUpTo(invoice: MetricInvoice, day: string): bigint {
  if (invoice.issuedOn > day) return 0n;
  const span = invoice.servicePeriod;
  if (!span) return invoice.totalMinor;
  const days = daysInclusive(span.from, span.to);
  if (day < span.from) return 0n;
  const elapsed = day >= span.to ? days : daysInclusive(span.from, day);
  return allocatedUpTo(invoice.totalMinor, BigInt(elapsed), BigInt(days));
}

export interface EarnedDeferredLine {
  invoiceId: string;
  customerId: string;
  currency: string;
  totalMinor: bigint;
  earnedMinor: bigint;
  deferredMinor: bigint;
  servicePeriod: ServicePeriod | null;
}

export interface EarnedDeferredTotals {
  currency: string;
  billedMinor: bigint;
  earnedMinor: bigint;
  deferredMinor: bigint;
}

export interface EarnedDeferredReport {
  asOf: string;
  /** Invoices issued on or before `asOf` whose service is not fully earned, by customer then id. */
  lines: EarnedDeferredLine[];
  accounts: { customerId: string; totals: EarnedDeferredTotals[] }[];
  totals: EarnedDeferredTotals[];
}

function byCurrency<T extends { currency: string }>(rows: Iterable<T>): T[] {
  return [...rows].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

function addTo(map: Map<string, EarnedDeferredTotals>, currency: string, billed: bigint, earned: bigint): void {
  const totals = map.get(currency) ?? { currency, billedMinor: 0n, earnedMinor: 0n, deferredMinor: 0n };
  totals.billedMinor += billed;
  totals.earnedMinor += earned;
  totals.deferredMinor += billed - earned;
  map.set(currency, totals);
}

/**
 * Earned vs deferred at the end of `asOf` over the invoices issued on or before it: earned = earnedUpTo(invoice, asOf),
 * deferred = total - earned (billed but not yet earned). Per currency, per account and for the portfolio.
 */
export function earnedVsDeferred(input: { invoices: readonly MetricInvoice[]; asOf: string }): EarnedDeferredReport {
  const lines: EarnedDeferredLine[] = [];
  const totals = new Map<string, EarnedDeferredTotals>();
  const accounts = new Map<string, Map<string, EarnedDeferredTotals>>();
  const issued = input.invoices.filter((invoice) => invoice.issuedOn <= input.asOf);
  issued.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : a.id < b.id ? -1 : 1));
  for (const invoice of issued) {
    const currency = normalizeCurrency(invoice.currency);
    const earnedMinor = earnedUpTo(invoice, input.asOf);
    addTo(totals, currency, invoice.totalMinor, earnedMinor);
    const own = accounts.get(invoice.customerId) ?? new Map<string, EarnedDeferredTotals>();
    addTo(own, currency, invoice.totalMinor, earnedMinor);
    accounts.set(invoice.customerId, own);
    if (earnedMinor === invoice.totalMinor) continue;
    const { id: invoiceId, customerId, totalMinor } = invoice;
    const servicePeriod = invoice.servicePeriod ?? null;
    lines.push({
      invoiceId,
      customerId,
      currency,
      totalMinor,
      earnedMinor,
      deferredMinor: totalMinor - earnedMinor,
      servicePeriod,
    });
  }
  return {
    asOf: input.asOf,
    lines,
    accounts: [...accounts.entries()].map(([customerId, own]) => ({ customerId, totals: byCurrency(own.values()) })),
    totals: byCurrency(totals.values()),
  };
}

export interface RevenueMonth {
  period: string;
  /** Totals of invoices issued in the month. */
  billedMinor: bigint;
  /** Applications paid in the month (refunds negative), whichever invoice they name. */
  collectedMinor: bigint;
  /** Revenue earned in the month: earnedUpTo(month end) - earnedUpTo(previous month end), summed over invoices. */
  earnedMinor: bigint;
  /** Deferred revenue at the month end; deferred(end) = deferred(previous end) + billed - earned, exactly. */
  deferredMinor: bigint;
}

export interface RevenueReport {
  currency: string;
  /** Deferred revenue at the end of the month before the first. */
  openingDeferredMinor: bigint;
  months: RevenueMonth[];
}

export interface RevenueByMonthInput {
  invoices: readonly MetricInvoice[];
  applications: readonly AppliedPayment[];
  from: string; // YYYY-MM
  to: string; // YYYY-MM
}

/** Billed, collected, earned and deferred per calendar month from `from` to `to`, one report per currency. */
export function revenueByMonth(input: RevenueByMonthInput): RevenueReport[] {
  const months = monthsFromTo(input.from, input.to);
  const monthEnd = (period: string) => addDays(periodStart(shiftPeriod(period, 1)), -1);
  const openingDay = addDays(periodStart(months[0]!), -1);
  const currencies = new Set<string>();
  for (const row of [...input.invoices, ...input.applications]) currencies.add(normalizeCurrency(row.currency));
  return [...currencies].sort().map((currency) => {
    // Invoices fully earned before the window, or issued after it, add nothing to any month: left out for speed.
    const lastDay = monthEnd(months[months.length - 1]!);
    const invoices = input.invoices.filter(
      (invoice) =>
        normalizeCurrency(invoice.currency) === currency &&
        invoice.issuedOn <= lastDay &&
        !(invoice.issuedOn < openingDay && (!invoice.servicePeriod || invoice.servicePeriod.to < openingDay)),
    );
    const applications = input.applications.filter((row) => normalizeCurrency(row.currency) === currency);
    const deferredAt = (day: string) =>
      invoices.reduce(
        (sum, invoice) => sum + (invoice.issuedOn <= day ? invoice.totalMinor - earnedUpTo(invoice, day) : 0n),
        0n,
      );
    const earnedAt = (day: string) => invoices.reduce((sum, invoice) => sum + earnedUpTo(invoice, day), 0n);
    let previousEarned = earnedAt(openingDay);
    const reportMonths = months.map((period) => {
      const end = monthEnd(period);
      const inMonth = (day: string) => day.slice(0, 7) === period;
      const earned = earnedAt(end);
      const row: RevenueMonth = {
        period,
        billedMinor: invoices.filter((i) => inMonth(i.issuedOn)).reduce((sum, i) => sum + i.totalMinor, 0n),
        collectedMinor: applications.filter((a) => inMonth(a.paidOn)).reduce((sum, a) => sum + a.amountMinor, 0n),
        earnedMinor: earned - previousEarned,
        deferredMinor: deferredAt(end),
      };
      previousEarned = earned;
      return row;
    });
    return { currency, openingDeferredMinor: deferredAt(openingDay), months: reportMonths };
  });
}
