// Calendar quarters in UTC ("2026-Q4" = 2026-10-01..2026-12-31) and the whole-number indexes the fit runs on.

import { addDays, dayNumber, dayOfNumber, periodStart, shiftPeriod } from "../calendar";

/**
 * A calendar quarter. Boundaries are UTC calendar days for now; the tenant's time zone (STYLE: "a tenant's time zone
 * only at the edges ... quarter boundaries") will shift them later, which is why the projections accept no time zone yet.
 */
export interface Quarter {
  /** "2026-Q4". */
  label: string;
  /** First day, "2026-10-01". */
  start: string;
  /** Last day, "2026-12-31". */
  end: string;
}

/** Whole days since 1970-01-01: the x of a daily series. */
export function dayIndex(day: string): number {
  return dayNumber(day);
}

/** The day of a day index. */
export function dayOfIndex(index: number): string {
  return dayOfNumber(index);
}

/** Whole months since 0000-01: the x of a monthly series ("2026-10" -> 2026·12 + 9). */
export function monthIndex(period: string): number {
  const start = periodStart(period);
  return Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1;
}

/** The period ("YYYY-MM") of a month index. */
export function periodOfMonthIndex(index: number): string {
  return shiftPeriod("0000-01", index);
}

function quarterOfYearMonth(year: number, month: number): Quarter {
  const q = Math.floor((month - 1) / 3);
  const first = `${String(year).padStart(4, "0")}-${String(q * 3 + 1).padStart(2, "0")}`;
  return {
    label: `${String(year).padStart(4, "0")}-Q${q + 1}`,
    start: periodStart(first),
    end: addDays(periodStart(shiftPeriod(first, 3)), -1),
  };
}

/** The quarter a day falls in: quarterOfDay("2026-11-15") = { label: "2026-Q4", start: "2026-10-01", end: "2026-12-31" }. */
export function quarterOfDay(day: string): Quarter {
  addDays(day, 0); // validates the day
  return quarterOfYearMonth(Number(day.slice(0, 4)), Number(day.slice(5, 7)));
}

/** The quarter whose last day is `day`; any other day is a caller bug (fiscal quarters are not supported yet). */
export function quarterEndingOn(day: string): Quarter {
  const quarter = quarterOfDay(day);
  if (quarter.end !== day) throw new RangeError(`Not the last day of a calendar quarter: ${day}`);
  return quarter;
}

/** The quarter `count` quarters after `quarter` (negative goes back). */
export function shiftQuarter(quarter: Quarter, count: number): Quarter {
  const first = shiftPeriod(quarter.start.slice(0, 7), count * 3);
  return quarterOfYearMonth(Number(first.slice(0, 4)), Number(first.slice(5, 7)));
}

/** The quarter of a label: quarterOfLabel("2026-Q4") = { label: "2026-Q4", start: "2026-10-01", end: "2026-12-31" }. */
export function quarterOfLabel(label: string): Quarter {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!match) throw new RangeError(`Not a quarter (YYYY-Qn): ${JSON.stringify(label)}`);
  return quarterOfYearMonth(Number(match[1]), Number(match[2]) * 3 - 2);
}
