// Calendar arithmetic in UTC: days ("YYYY-MM-DD"), billing periods (calendar months "YYYY-MM") and their state.

const periodPattern = /^(\d{4})-(\d{2})$/;

// Days are counted as whole numbers since 1970-01-01 with the proleptic Gregorian calendar's own arithmetic (Howard
// Hinnant's days_from_civil / civil_from_days), not through Date: forecasts walk two years of days many times over,
// and parsing each day into a Date and formatting it back was most of their time.

const CHAR_0 = 48;

/** The digits of `text` from `from` to `to` (exclusive) as a number, or -1 if any is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - CHAR_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;
}

/** Whole days from 1970-01-01 to the civil date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The "YYYY-MM-DD" of a day number (the inverse of daysFromCivil). */
function civilDay(dayNumber: number): string {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Whole days since 1970-01-01 of a "YYYY-MM-DD" day; a malformed or impossible day is a caller bug. */
export function dayNumber(day: string): number {
  const valid = day.length === 10 && day.charCodeAt(4) === 45 && day.charCodeAt(7) === 45;
  const year = valid ? digits(day, 0, 4) : -1;
  const month = valid ? digits(day, 5, 7) : -1;
  const date = valid ? digits(day, 8, 10) : -1;
  if (year < 0 || month < 0 || date < 0) throw new RangeError(`Not a day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  if (month < 1 || month > 12 || date < 1 || date > daysInMonth(year, month)) {
    throw new RangeError(`Not a calendar day: ${day}`);
  }
  return daysFromCivil(year, month, date);
}

/** The day of a day number: dayOfNumber(0) = "1970-01-01". */
export function dayOfNumber(dayNumberValue: number): string {
  if (!Number.isSafeInteger(dayNumberValue)) throw new RangeError(`Not a whole day number: ${dayNumberValue}`);
  return civilDay(dayNumberValue);
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
  return dayNumber(to) - dayNumber(from);
}

/** The day `days` after `day` (negative goes back): addDays("2026-10-30", 3) = "2026-11-02". */
export function addDays(day: string, days: number): string {
  return dayOfNumber(dayNumber(day) + days);
}

/** The billing period (calendar month) a day falls in: periodOfDay("2026-10-15") = "2026-10". */
export function periodOfDay(day: string): string {
  dayNumber(day);
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
