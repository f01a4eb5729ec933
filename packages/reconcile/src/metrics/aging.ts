// AR aging at a day: each invoice's open balance in its bucket (current, 1-30, 31-60, 61-90, 90+), per account and portfolio.

import {
  type AppliedPayment,
  daysPastDue,
  dueDayOf,
  type IgnoredApplication,
  type MetricInvoice,
  openBalancesAt,
} from "./ledger";

export const agingBucketNames = ["current", "1-30", "31-60", "61-90", "90+"] as const;
export type AgingBucketName = (typeof agingBucketNames)[number];
export type AgingBuckets = Record<AgingBucketName, bigint>;

/**
 * The bucket of an invoice `daysPastDue` days after its due day: current when not yet past due (0 or fewer days: an
 * invoice due today is current), then 1-30, 31-60, 61-90, and 90+ for 91 days or more.
 */
export function agingBucketOf(daysPastDue: number): AgingBucketName {
  if (daysPastDue <= 0) return "current";
  if (daysPastDue <= 30) return "1-30";
  if (daysPastDue <= 60) return "31-60";
  if (daysPastDue <= 90) return "61-90";
  return "90+";
}

/** One open invoice in the aging: its open balance at `asOf` and where it falls. */
export interface AgingLine {
  invoiceId: string;
  number: string | null;
  customerId: string;
  currency: string;
  openMinor: bigint;
  dueOn: string;
  daysPastDue: number;
  bucket: AgingBucketName;
}

/** Buckets of one currency; `totalMinor` is their sum. */
export interface AgingTotals {
  currency: string;
  buckets: AgingBuckets;
  totalMinor: bigint;
  invoiceCount: number;
}

export interface AccountAging {
  customerId: string;
  totals: AgingTotals[];
}

/** An overpaid invoice: a credit the customer holds, which is not receivable, so it sits outside the buckets. */
export interface AgingCredit {
  invoiceId: string;
  customerId: string;
  currency: string;
  creditMinor: bigint;
}

export interface AgingReport {
  asOf: string;
  lines: AgingLine[];
  accounts: AccountAging[];
  portfolio: AgingTotals[];
  credits: AgingCredit[];
  ignored: IgnoredApplication[];
}

export interface AgeReceivablesInput {
  invoices: readonly MetricInvoice[];
  applications: readonly AppliedPayment[];
  asOf: string; // YYYY-MM-DD
}

export function emptyBuckets(): AgingBuckets {
  return { current: 0n, "1-30": 0n, "31-60": 0n, "61-90": 0n, "90+": 0n };
}

/** Totals per currency of aging lines, currencies in alphabetical order. */
export function totalAging(lines: readonly AgingLine[]): AgingTotals[] {
  const byCurrency = new Map<string, AgingTotals>();
  for (const line of lines) {
    let totals = byCurrency.get(line.currency);
    if (!totals) {
      totals = { currency: line.currency, buckets: emptyBuckets(), totalMinor: 0n, invoiceCount: 0 };
      byCurrency.set(line.currency, totals);
    }
    totals.buckets[line.bucket] += line.openMinor;
    totals.totalMinor += line.openMinor;
    totals.invoiceCount += 1;
  }
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/**
 * AR aging at `asOf`. Open balance = invoice total - applications paid on or before `asOf` (refunds negative), for
 * invoices issued on or before `asOf`; days past due = asOf - due day (due day = issue day when due on receipt).
 * Invoices with a positive balance go in their bucket; overpaid ones are listed as credits; paid ones drop out.
 * Per currency, never summed across currencies (convert with fx.ts for a base-currency total).
 */
export function ageReceivables(input: AgeReceivablesInput): AgingReport {
  const { invoices, ignored } = openBalancesAt(input.invoices, input.applications, input.asOf);
  const lines: AgingLine[] = [];
  const credits: AgingCredit[] = [];
  for (const { invoice, currency, openMinor } of invoices) {
    if (openMinor < 0n) {
      credits.push({ invoiceId: invoice.id, customerId: invoice.customerId, currency, creditMinor: -openMinor });
    } else if (openMinor > 0n) {
      const late = daysPastDue(invoice, input.asOf);
      lines.push({
        invoiceId: invoice.id,
        number: invoice.number,
        customerId: invoice.customerId,
        currency,
        openMinor,
        dueOn: dueDayOf(invoice),
        daysPastDue: late,
        bucket: agingBucketOf(late),
      });
    }
  }
  const byAccount = new Map<string, AgingLine[]>();
  for (const line of lines) {
    const own = byAccount.get(line.customerId);
    if (own) own.push(line);
    else byAccount.set(line.customerId, [line]);
  }
  const accounts = [...byAccount.entries()].map(([customerId, own]) => ({ customerId, totals: totalAging(own) }));
  return { asOf: input.asOf, lines, accounts, portfolio: totalAging(lines), credits, ignored };
}
