// MRR and ARR per account and month, and the movements between consecutive months that reconcile them exactly.

import { periodStart, shiftPeriod } from "../calendar";
import { normalizeCurrency } from "../money";

/** One account's recurring amount for one calendar month; several entries for the same month add up. */
export interface MrrEntry {
  accountId: string;
  period: string; // YYYY-MM
  currency: string;
  mrrMinor: bigint;
}

export const mrrMovementKinds = ["new", "expansion", "contraction", "churn", "reactivation"] as const;
export type MrrMovementKind = (typeof mrrMovementKinds)[number];

/** One account's change from the month before `period` to `period`; `amountMinor` is always positive. */
export interface MrrMovement {
  accountId: string;
  period: string;
  kind: MrrMovementKind;
  amountMinor: bigint;
  previousMinor: bigint;
  currentMinor: bigint;
}

/** Movement totals between MRR at `startMinor` and MRR at `endMinor`, each total positive. */
export interface MrrChange {
  startMinor: bigint;
  newMinor: bigint;
  expansionMinor: bigint;
  reactivationMinor: bigint;
  contractionMinor: bigint;
  churnMinor: bigint;
  endMinor: bigint;
}

export interface MrrMonth {
  period: string;
  mrrMinor: bigint;
  /** ARR = 12 x MRR. */
  arrMinor: bigint;
  activeAccounts: number;
  /** From the month before (the first month's change is against the month before `from`, zero without history). */
  change: MrrChange;
}

/** MRR of one currency from `from` to `to`; `total` goes from MRR of the month before `from` to MRR of `to`. */
export interface MrrReport {
  currency: string;
  from: string;
  to: string;
  months: MrrMonth[];
  movements: MrrMovement[];
  total: MrrChange;
}

export interface MrrMovementsInput {
  entries: readonly MrrEntry[];
  from: string; // YYYY-MM
  to: string; // YYYY-MM
}

export const MRR_IDENTITY = "MRR(start) + new + expansion + reactivation - contraction - churn = MRR(end)";

/**
 * Classifies one account's change from `previous` to `current` MRR:
 * - 0 -> positive: `new`, or `reactivation` when the account had MRR in some earlier month (so it comes back after at
 *   least one month at zero);
 * - positive -> 0: `churn` of the whole previous amount;
 * - positive -> more: `expansion` by the difference; positive -> less (but not 0): `contraction` by the difference.
 */
export function classifyMrrChange(
  previous: bigint,
  current: bigint,
  hadMrrBefore: boolean,
): { kind: MrrMovementKind; amountMinor: bigint } | null {
  if (previous === current) return null;
  if (previous === 0n) return { kind: hadMrrBefore ? "reactivation" : "new", amountMinor: current };
  if (current === 0n) return { kind: "churn", amountMinor: previous };
  return current > previous
    ? { kind: "expansion", amountMinor: current - previous }
    : { kind: "contraction", amountMinor: previous - current };
}

function emptyChange(startMinor: bigint): MrrChange {
  return {
    startMinor,
    newMinor: 0n,
    expansionMinor: 0n,
    reactivationMinor: 0n,
    contractionMinor: 0n,
    churnMinor: 0n,
    endMinor: startMinor,
  };
}

const changeField = {
  new: "newMinor",
  expansion: "expansionMinor",
  reactivation: "reactivationMinor",
  contraction: "contractionMinor",
  churn: "churnMinor",
} as const satisfies Record<MrrMovementKind, keyof MrrChange>;

function addMovement(change: MrrChange, kind: MrrMovementKind, amount: bigint): void {
  change[changeField[kind]] += amount;
  change.endMinor += kind === "contraction" || kind === "churn" ? -amount : amount;
}

/** The months from `from` to `to` inclusive. */
export function monthsFromTo(from: string, to: string): string[] {
  const months: string[] = [];
  periodStart(to); // validates `to`; `from` is validated by shiftPeriod
  for (let period = shiftPeriod(from, 0); period <= to; period = shiftPeriod(period, 1)) months.push(period);
  if (months.length === 0) throw new RangeError(`MRR window ends before it starts: ${from}..${to}`);
  return months;
}

function reportFor(currency: string, entries: readonly MrrEntry[], from: string, to: string): MrrReport {
  const months = monthsFromTo(from, to);
  const series = new Map<string, Map<string, bigint>>();
  for (const entry of entries) {
    if (entry.mrrMinor < 0n) throw new RangeError(`Negative MRR for ${entry.accountId} in ${entry.period}`);
    const own = series.get(entry.accountId) ?? new Map<string, bigint>();
    series.set(entry.accountId, own);
    own.set(entry.period, (own.get(entry.period) ?? 0n) + entry.mrrMinor);
  }
  const accounts = [...series.keys()].sort();
  const mrrAt = (account: string, period: string) => series.get(account)?.get(period) ?? 0n;
  // Whether the account had MRR in any month before `period` (history before `from` counts).
  const firstPaid = new Map<string, string>();
  for (const [account, own] of series) {
    const paid = [...own.entries()].filter(([, amount]) => amount > 0n).map(([period]) => period);
    if (paid.length > 0) firstPaid.set(account, paid.sort()[0]!);
  }
  const mrrOfMonth = (period: string) => accounts.reduce((sum, account) => sum + mrrAt(account, period), 0n);
  const movements: MrrMovement[] = [];
  const total = emptyChange(mrrOfMonth(shiftPeriod(from, -1)));
  const reportMonths = months.map((period) => {
    const previousPeriod = shiftPeriod(period, -1);
    const change = emptyChange(mrrOfMonth(previousPeriod));
    let mrrMinor = 0n;
    let activeAccounts = 0;
    for (const account of accounts) {
      const previous = mrrAt(account, previousPeriod);
      const current = mrrAt(account, period);
      mrrMinor += current;
      if (current > 0n) activeAccounts += 1;
      const first = firstPaid.get(account);
      const movement = classifyMrrChange(previous, current, first !== undefined && first < previousPeriod);
      if (!movement) continue;
      addMovement(change, movement.kind, movement.amountMinor);
      addMovement(total, movement.kind, movement.amountMinor);
      movements.push({ accountId: account, period, ...movement, previousMinor: previous, currentMinor: current });
    }
    return { period, mrrMinor, arrMinor: 12n * mrrMinor, activeAccounts, change };
  });
  return { currency, from, to, months: reportMonths, movements, total };
}

/**
 * MRR per month from `from` to `to` with each account's movement against the month before, one report per currency
 * (currencies in alphabetical order). Totals reconcile exactly, month by month and over the window:
 * MRR(start) + new + expansion + reactivation - contraction - churn = MRR(end). A negative MRR entry is a caller bug.
 */
export function mrrMovements(input: MrrMovementsInput): MrrReport[] {
  const byCurrency = new Map<string, MrrEntry[]>();
  for (const entry of input.entries) {
    const currency = normalizeCurrency(entry.currency);
    const own = byCurrency.get(currency);
    if (own) own.push(entry);
    else byCurrency.set(currency, [entry]);
  }
  return [...byCurrency.keys()]
    .sort()
    .map((currency) => reportFor(currency, byCurrency.get(currency)!, input.from, input.to));
}
