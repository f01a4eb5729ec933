// Calendar arithmetic in UTC: days ("YYYY-MM-DD"), billing periods (calendar months "YYYY-MM") and their state.

const DAY_MS = 86_400_000;
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const periodPattern = /^(\d{4})-(\d{2})$/;

/** Milliseconds since the epoch of a day's UTC midnight; a malformed or impossible day is a caller bug. */
function dayStartMs(day: string): number {
  const match = dayPattern.exec(day);
  if (!match) throw new RangeError(`Not a day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  const [, y = "", m = "", d = ""] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  if (utcDay(new Date(ms)) !== day) throw new RangeError(`Not a calendar day: ${day}`);
  return ms;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** The UTC calendar day of an instant: utcDay(new Date("2026-10-15T23:30:00Z")) = "2026-10-15". */
export function utcDay(instant: Date): string {
  return `${pad(instant.getUTCFullYear(), 4)}-${pad(instant.getUTCMonth() + 1, 2)}-${pad(instant.getUTCDate(), 2)}`;
}

/** Whole days from `from` to `to` (positive when `to` is later): daysBetween("2026-10-15", "2026-11-25") = 41. */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStartMs(to) - dayStartMs(from)) / DAY_MS);
}

/** The day `days` after `day` (negative goes back): addDays("2026-10-30", 3) = "2026-11-02". */
export function addDays(day: string, days: number): string {
  return utcDay(new Date(dayStartMs(day) + days * DAY_MS));
}

/** The billing period (calendar month) a day falls in: periodOfDay("2026-10-15") = "2026-10". */
export function periodOfDay(day: string): string {
  dayStartMs(day);
  return day.slice(0, 7);
}

function periodParts(period: string): { year: number; month: number } {
  const match = periodPattern.exec(period);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) throw new RangeError(`Not a period (YYYY-MM): ${JSON.stringify(period)}`);
  return { year: Number(match[1]), month };
}

/** The period `months` after `period` (negative goes back): shiftPeriod("2026-01", -1) = "2025-12". */
export function shiftPeriod(period: string, months: number): string {
  const { year, month } = periodParts(period);
  const index = year * 12 + (month - 1) + months;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1, 2)}`;
}

/** The first day of a period: periodStart("2026-10") = "2026-10-01". */
export function periodStart(period: string): string {
  periodParts(period);
  return `${period}-01`;
}

/**
 * Where a billing period stands at `asOf`:
 * - `open`: the month is still running (asOf before the first day of the next month, UTC): usage is still arriving
 *   and the month is not invoiced yet (invoices bill in arrears), so nothing in it is a discrepancy;
 * - `invoicing`: the month has ended but fewer than `graceDays` days have passed, so a missing invoice is not yet missing;
 * - `closed`: everything in it can be reconciled.
 */
export type PeriodState = "open" | "invoicing" | "closed";

export function periodState(period: string, asOf: Date, graceDays = 0): PeriodState {
  const end = periodStart(shiftPeriod(period, 1));
  const today = utcDay(asOf);
  if (today < end) return "open";
  if (daysBetween(end, today) < graceDays) return "invoicing";
  return "closed";
}
