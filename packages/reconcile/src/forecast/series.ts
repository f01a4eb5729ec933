// The projection engine shared by daily usage and monthly revenue: fit the recent window, add the fit to quarter end.

import {
  clampedFittedSum,
  fitLine,
  fittedAt,
  type LinearFit,
  type LinePoint,
  predictionHalfWidth,
  roundHalfEvenNumber,
  slopeOf,
  t80,
} from "./linear";

/** Whether the band can be trusted: `low` below 3 points (a flat guess, or a line with no residual to measure). */
export type Confidence = "normal" | "low";

export interface IndexedSeriesInput {
  /** Amounts per index (day or month number), already summed per index. A missing index counts as zero. */
  values: ReadonlyMap<number, bigint>;
  /** The first index that is not complete yet: indexes before it are actuals, it and later ones are projected. */
  today: number;
  /** First and last index of the quarter, inclusive. */
  start: number;
  end: number;
  /** How many complete indexes before `today` the line is fitted over. */
  lookback: number;
  /** Leave the per-index trend out (empty) when only the totals are wanted, as in a backtest. */
  totalsOnly?: boolean;
}

export interface IndexedTrendPoint {
  index: number;
  actual: bigint | null;
  fitted: bigint;
  low: bigint;
  high: bigint;
}

export interface IndexedProjection {
  toDate: bigint;
  projectedRemaining: bigint;
  projectedTotal: bigint;
  band: { low: bigint; high: bigint };
  slope: bigint;
  trend: IndexedTrendPoint[];
  pointsUsed: number;
  confidence: Confidence;
  fit: LinearFit;
  /** The first index of the fit window (equal to `today` when there is no history). */
  windowStart: number;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function atLeastZero(value: bigint): bigint {
  return value < 0n ? 0n : value;
}

/**
 * The series' fit window: the last `lookback` complete indexes, but never before the first index with data (a new
 * account's trend starts with its first usage; zeros before it say nothing about its trend).
 */
export function fitWindow(values: ReadonlyMap<number, bigint>, today: number, lookback: number): LinePoint[] {
  let first: number | null = null;
  for (const index of values.keys()) if (index < today && (first === null || index < first)) first = index;
  if (first === null) return [];
  return range(Math.max(first, today - lookback), today - 1).map((x) => ({ x, y: values.get(x) ?? 0n }));
}

/**
 * Projects a series to the end of its quarter:
 * - toDate: the exact sum of actuals in the quarter before `today`;
 * - projectedRemaining: the fitted values of the quarter's indexes from `today` on, each clamped at zero (usage and
 *   revenue are never negative), summed exactly and rounded half-even once;
 * - band: projectedTotal ± the ~80% prediction half-width for the sum of the remaining indexes (see
 *   predictionHalfWidth), rounded half-even once, never below what is already actual;
 * - trend: one point per index from the fit window (or quarter start, if earlier) to quarter end, with the fitted value
 *   and its own ~80% prediction interval (each rounded half-even once, clamped at zero).
 * With fewer than 2 points the fit is flat (the single value, or zero); below 3 points confidence is low (no band).
 */
export function projectIndexed(input: IndexedSeriesInput): IndexedProjection {
  const { values, today, start, end, lookback } = input;
  const points = fitWindow(values, today, lookback);
  const fit = fitLine(points);
  const quantile = t80(fit.n - 2);
  let toDate = 0n;
  for (let i = start; i <= Math.min(end, today - 1); i++) toDate += values.get(i) ?? 0n;
  const remaining = range(Math.max(start, today), end);
  const projectedRemaining = clampedFittedSum(fit, remaining);
  const projectedTotal = toDate + projectedRemaining;
  const halfWidth = roundHalfEvenNumber(predictionHalfWidth(fit, remaining, quantile));
  const band = {
    low: projectedTotal - halfWidth < toDate ? toDate : projectedTotal - halfWidth,
    high: projectedTotal + halfWidth,
  };
  const windowStart = points[0]?.x ?? today;
  const trend = (input.totalsOnly ? [] : range(Math.min(windowStart, start), end)).map((index): IndexedTrendPoint => {
    const fitted = fittedAt(fit, index);
    const spread = roundHalfEvenNumber(predictionHalfWidth(fit, [index], quantile));
    return {
      index,
      actual: index < today ? (values.get(index) ?? 0n) : null,
      fitted: atLeastZero(fitted),
      low: atLeastZero(fitted - spread),
      high: atLeastZero(fitted + spread),
    };
  });
  return {
    toDate,
    projectedRemaining,
    projectedTotal,
    band,
    slope: slopeOf(fit),
    trend,
    pointsUsed: fit.n,
    confidence: fit.n < 3 ? "low" : "normal",
    fit,
    windowStart,
  };
}

/** Sums amounts per index, so duplicates add up and input order cannot matter. */
export function sumByIndex<T>(rows: readonly T[], index: (row: T) => number, amount: (row: T) => bigint) {
  const values = new Map<number, bigint>();
  for (const row of rows) {
    const key = index(row);
    values.set(key, (values.get(key) ?? 0n) + amount(row));
  }
  return values;
}
