// Linear projections to quarter end: one account's daily usage of one metric, and its monthly billed revenue.

import { periodOfDay, utcDay } from "../calendar";
import { normalizeCurrency } from "../money";
import {
  dayIndex,
  dayOfIndex,
  monthIndex,
  periodOfMonthIndex,
  type Quarter,
  quarterEndingOn,
  quarterOfDay,
} from "./quarter";
import { type Confidence, type IndexedProjection, projectIndexed, sumByIndex } from "./series";

/** Days of history the usage line is fitted over, unless the caller says otherwise. */
export const DEFAULT_LOOKBACK_DAYS = 90;
/** Months of billed history the revenue line is fitted over, unless the caller says otherwise. */
export const DEFAULT_LOOKBACK_MONTHS = 12;

export interface UsageDay {
  /** UTC day, "YYYY-MM-DD". */
  day: string;
  /** Quantity in micro-units (see quantity.ts). */
  quantity: bigint;
}

export interface ProjectUsageInput {
  /**
   * Daily usage of one metric for one account, covering at least the quarter to date and the look-back. Several rows for
   * one day add up; a day without a row is a day without usage (zero), not a gap: incomplete data is the partial-sync
   * flag's business (portfolio.ts leaves such accounts out).
   */
  series: readonly UsageDay[];
  /** The moment of the projection. Its UTC day is still running, so only earlier days are actuals. */
  asOf: Date;
  /** Last day of the quarter to project ("2026-12-31"); by default the quarter `asOf` falls in. */
  quarterEnd?: string;
  /** Days fitted (default 90), counted back from the day before `asOf`. */
  lookbackDays?: number;
  /** Quarters are UTC calendar quarters for now; the tenant's time zone comes later, and is refused until then. */
  timeZone?: never;
}

/** Shared by the usage and revenue projections: amounts are micro-units (usage) or minor units (revenue). */
export interface ProjectionSummary {
  quarter: string;
  quarterStart: string;
  quarterEnd: string;
  /** Actuals in the quarter before the as-of day (or month). */
  toDate: bigint;
  /** The fitted values from the as-of day (or month) to quarter end, clamped at zero, summed and rounded once. */
  projectedRemaining: bigint;
  /** toDate + projectedRemaining. */
  projectedTotal: bigint;
  /** ~80% prediction interval for projectedTotal (never below toDate); zero width when the fit is exact. */
  band: { low: bigint; high: bigint };
  method: string;
  pointsUsed: number;
  confidence: Confidence;
}

export interface UsageTrendPoint {
  day: string;
  /** Usage that day; null from the as-of day on. */
  actual: bigint | null;
  fitted: bigint;
  low: bigint;
  high: bigint;
}

export interface UsageProjection extends ProjectionSummary {
  asOfDay: string;
  trend: UsageTrendPoint[];
  /** Slope of the fitted line in micro-units per day, rounded half-even. */
  slopePerDay: bigint;
}

// Indexed once per series: a forecast projects the same series many times over (the projection, each backtest quarter,
// the alerts). Series are readonly by contract, so the array itself is the key.
const indexedSeries = new WeakMap<readonly UsageDay[], ReadonlyMap<number, bigint>>();

/** The series' quantities summed per day index (days since 1970-01-01), computed once per series array. */
export function dailyValues(series: readonly UsageDay[]): ReadonlyMap<number, bigint> {
  const known = indexedSeries.get(series);
  if (known) return known;
  const values = sumByIndex(
    series,
    (row) => dayIndex(row.day),
    (row) => row.quantity,
  );
  indexedSeries.set(series, values);
  return values;
}

function targetQuarter(asOfDay: string, quarterEnd: string | undefined): Quarter {
  return quarterEnd === undefined ? quarterOfDay(asOfDay) : quarterEndingOn(quarterEnd);
}

function describeMethod(projection: IndexedProjection, unit: "day" | "month"): string {
  const n = projection.pointsUsed;
  if (n === 0) return `no history before the as-of ${unit}: projected as zero (low confidence)`;
  if (n === 1) return `flat projection from a single ${unit} (low confidence: fewer than 2 points)`;
  const method = `linear least squares over the last ${n} ${unit}s`;
  return n === 2 ? `${method} (low confidence: too few points to estimate a band)` : method;
}

function summary(quarter: Quarter, projection: IndexedProjection, unit: "day" | "month"): ProjectionSummary {
  return {
    quarter: quarter.label,
    quarterStart: quarter.start,
    quarterEnd: quarter.end,
    toDate: projection.toDate,
    projectedRemaining: projection.projectedRemaining,
    projectedTotal: projection.projectedTotal,
    band: projection.band,
    method: describeMethod(projection, unit),
    pointsUsed: projection.pointsUsed,
    confidence: projection.confidence,
  };
}

function positiveWhole(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number >= 1: ${value}`);
  return value;
}

/**
 * Projects one account's usage of one metric to quarter end by a least-squares line over its recent daily usage.
 * Worked example: 10, 20, 30 units on Nov 12-14 and asOf Nov 15 fit exactly 10 more units a day, so Nov 15 (still
 * running) is projected at 40 and Dec 31 at 500; see project.test.ts.
 */
export function projectToQuarterEnd(input: ProjectUsageInput): UsageProjection {
  const asOfDay = utcDay(input.asOf);
  const quarter = targetQuarter(asOfDay, input.quarterEnd);
  const projection = projectIndexed({
    values: dailyValues(input.series),
    today: dayIndex(asOfDay),
    start: dayIndex(quarter.start),
    end: dayIndex(quarter.end),
    lookback: positiveWhole(input.lookbackDays ?? DEFAULT_LOOKBACK_DAYS, "lookbackDays"),
  });
  return {
    ...summary(quarter, projection, "day"),
    asOfDay,
    trend: projection.trend.map(({ index, ...point }) => ({ day: dayOfIndex(index), ...point })),
    slopePerDay: projection.slope,
  };
}

export interface BilledMonth {
  /** Service period billed, "YYYY-MM". */
  period: string;
  /** Amount billed for it, in minor units of the projection's currency. */
  amountMinor: bigint;
}

export interface ProjectRevenueInput {
  /** Monthly billed amounts in one currency (several rows for one month add up; a missing month billed nothing). */
  months: readonly BilledMonth[];
  currency: string;
  /** The month `asOf` falls in is still running (invoices bill in arrears), so only earlier months are actuals. */
  asOf: Date;
  quarterEnd?: string;
  /** Months fitted (default 12). */
  lookbackMonths?: number;
  timeZone?: never;
}

export interface RevenueTrendPoint {
  period: string;
  actual: bigint | null;
  fitted: bigint;
  low: bigint;
  high: bigint;
}

export interface RevenueProjection extends ProjectionSummary {
  currency: string;
  asOfPeriod: string;
  trend: RevenueTrendPoint[];
  /** Slope of the fitted line in minor units per month, rounded half-even. */
  slopePerMonth: bigint;
}

/** Projects one account's billed revenue for the quarter (minor units) by a least-squares line over its monthly bills. */
export function projectRevenue(input: ProjectRevenueInput): RevenueProjection {
  const asOfDay = utcDay(input.asOf);
  const quarter = targetQuarter(asOfDay, input.quarterEnd);
  const asOfPeriod = periodOfDay(asOfDay);
  const start = monthIndex(quarter.start.slice(0, 7));
  const projection = projectIndexed({
    values: sumByIndex(
      input.months,
      (row) => monthIndex(row.period),
      (row) => row.amountMinor,
    ),
    today: monthIndex(asOfPeriod),
    start,
    end: start + 2,
    lookback: positiveWhole(input.lookbackMonths ?? DEFAULT_LOOKBACK_MONTHS, "lookbackMonths"),
  });
  return {
    ...summary(quarter, projection, "month"),
    currency: normalizeCurrency(input.currency),
    asOfPeriod,
    trend: projection.trend.map(({ index, ...point }) => ({ period: periodOfMonthIndex(index), ...point })),
    slopePerMonth: projection.slope,
  };
}
