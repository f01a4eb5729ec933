// The account roll-up: one status (ok < attention < at_risk), money outstanding and overdue, and a headline sentence.

import type { PeriodResult } from "./account";
import { formatMoney, totalsByCurrency } from "./money";
import type { UnallocatedPayment } from "./payments";

export const accountStatuses = ["ok", "attention", "at_risk"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export interface AccountRollup {
  status: AccountStatus;
  /** Outstanding on all invoices, per currency (never added across currencies). */
  outstandingMinor: Record<string, bigint>;
  /** Outstanding on invoices past their due date, per currency. */
  overdueMinor: Record<string, bigint>;
  /** Most days any invoice is past due with money outstanding; 0 when none is. */
  maxDaysLate: number;
  /** Discrepancies over all periods, plus payments that match no invoice at all. */
  discrepancyCount: number;
  headline: string;
}

function listMoney(totals: Record<string, bigint>): string {
  const parts = Object.entries(totals)
    .filter(([, minor]) => minor !== 0n)
    .map(([currency, minor]) => formatMoney(minor, currency));
  return parts.length === 0 ? "" : parts.join(" and ");
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Rolls periods up into the account's status, the worst that applies:
 * - `at_risk`: an invoice is disputed, has a failed last charge with money outstanding, or is more than
 *   `atRiskDaysLate` days overdue;
 * - `attention`: any discrepancy, any overdue invoice, or a payment that matches no invoice;
 * - `ok`: none of these.
 */
export function rollUpAccount(
  periods: readonly PeriodResult[],
  unallocated: readonly UnallocatedPayment[],
  options: { atRiskDaysLate: number },
): AccountRollup {
  const invoices = periods.flatMap((p) => p.invoices);
  const outstandingMinor = totalsByCurrency(invoices.map((i) => ({ minor: i.outstandingMinor, currency: i.currency })));
  const overdue = invoices.filter((i) => i.daysLate !== null);
  const overdueMinor = totalsByCurrency(overdue.map((i) => ({ minor: i.outstandingMinor, currency: i.currency })));
  const maxDaysLate = overdue.reduce((max, i) => Math.max(max, i.daysLate ?? 0), 0);
  // Overpayments and currency mismatches are already discrepancies of their invoice's period; count the rest once.
  const unapplied = unallocated.filter((u) => u.reason === "unmatched");
  const discrepancies = periods.reduce((sum, p) => sum + p.discrepancies.length, 0);
  const discrepancyCount = discrepancies + unapplied.length;
  const disputed = invoices.filter((i) => i.status === "disputed").length;
  const failed = invoices.filter((i) => i.lastFailure !== null && i.outstandingMinor > 0n).length;

  const status: AccountStatus =
    disputed > 0 || failed > 0 || maxDaysLate > options.atRiskDaysLate
      ? "at_risk"
      : discrepancyCount > 0 || overdue.length > 0
        ? "attention"
        : "ok";

  const facts: string[] = [];
  const overdueText = listMoney(overdueMinor);
  if (overdue.length > 0) {
    facts.push(
      `${overdueText || "nothing"} overdue on ${count(overdue.length, "invoice", "invoices")}, up to ${count(maxDaysLate, "day", "days")} late`,
    );
  }
  if (failed > 0) facts.push(count(failed, "invoice whose last charge failed", "invoices whose last charge failed"));
  if (disputed > 0) facts.push(count(disputed, "disputed payment", "disputed payments"));
  if (discrepancies > 0) facts.push(count(discrepancies, "discrepancy", "discrepancies"));
  if (unapplied.length > 0) facts.push(count(unapplied.length, "payment not applied", "payments not applied"));
  const outstandingText = listMoney(outstandingMinor);
  facts.push(outstandingText ? `${outstandingText} outstanding in total` : "nothing outstanding");
  if (status === "ok") facts.unshift(`${count(periods.length, "period", "periods")} reconciled, nothing overdue`);

  const word = status === "ok" ? "OK" : status === "attention" ? "Attention" : "At risk";
  return {
    status,
    outstandingMinor,
    overdueMinor,
    maxDaysLate,
    discrepancyCount,
    headline: `${word}: ${facts.join("; ")}.`,
  };
}
