// The forecast's own accuracy on an account's history: project each past quarter from the same day and compare (MAPE).

import { addDays, daysBetween, utcDay } from "../calendar";
import { divideHalfEven } from "../decimal";
import { DEFAULT_LOOKBACK_DAYS, dailyValues, type UsageDay } from "./project";
import { dayIndex, quarterOfDay, shiftQuarter } from "./quarter";
import { projectIndexed } from "./series";

export const MAPE_FORMULA = "MAPE = mean over quarters with actual > 0 of |actual - forecast| / actual";

export interface BacktestInput {
  /** The account's daily usage of one metric, as for projectToQuarterEnd. */
  series: readonly UsageDay[];
  /** Each past quarter is projected from the same day of the quarter as this moment's. */
  asOf: Date;
  lookbackDays?: number;
  /** A quarter is tested only if the account had usage this many days before its cutoff (default 28). */
  minHistoryDays?: number;
  /** The most recent quarters tested, at most (default 8: two years). */
  maxQuarters?: number;
}

export interface BacktestQuarter {
  quarter: string;
  /** The as-of day of the test projection: only usage before it was used. */
  cutoff: string;
  forecast: bigint;
  actual: bigint;
  /** forecast - actual (positive: the forecast was too high). */
  error: bigint;
  /** |actual - forecast| / actual in percent, rounded half-even to 0.1; null when actual is 0 (not in the MAPE). */
  absolutePercentError: number | null;
}

export interface Backtest {
  /** Days from quarter start to the cutoff (0 on a quarter's first day). */
  dayOfQuarter: number;
  /** In percent, rounded half-even to 0.1 once, at the end; null when no quarter could be used. */
  mapePercent: number | null;
  /** Every quarter tested, oldest first. */
  quarters: BacktestQuarter[];
  /** The quarters the MAPE is the mean over (those with actual > 0). */
  quartersUsed: string[];
  formula: string;
  explanation: string;
}

function absolute(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function tenthsToPercent(tenths: bigint): number {
  return Number(tenths) / 10;
}

/**
 * Backtests projectToQuarterEnd on the account's own history. For each past quarter with enough history, it projects
 * the quarter from the data available at (quarter start + the as-of day's offset in its quarter) and compares the
 * projected total with the actual quarter total. MAPE is computed exactly as a fraction and rounded once.
 */
export function backtestForecast(input: BacktestInput): Backtest {
  const asOfDay = utcDay(input.asOf);
  const current = quarterOfDay(asOfDay);
  const dayOfQuarter = daysBetween(current.start, asOfDay);
  const minHistoryDays = input.minHistoryDays ?? 28;
  const maxQuarters = input.maxQuarters ?? 8;
  let firstDay: string | null = null;
  for (const { day } of input.series) if (day < asOfDay && (firstDay === null || day < firstDay)) firstDay = day;

  const values = dailyValues(input.series);
  const lookback = input.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  if (!Number.isSafeInteger(lookback) || lookback < 1) {
    throw new RangeError(`lookbackDays must be a whole number >= 1: ${lookback}`);
  }
  const quarters: BacktestQuarter[] = [];
  for (let back = 1; firstDay !== null && quarters.length < maxQuarters; back++) {
    const quarter = shiftQuarter(current, -back);
    if (quarter.end < firstDay) break;
    // A quarter shorter than the offset is projected from the day after its end, i.e. from all its actuals.
    const cutoff = addDays(quarter.start, Math.min(dayOfQuarter, daysBetween(quarter.start, quarter.end) + 1));
    if (daysBetween(firstDay, cutoff) < minHistoryDays) continue;
    // projectToQuarterEnd's totals from `cutoff` (its trend is not needed here).
    const start = dayIndex(quarter.start);
    const end = dayIndex(quarter.end);
    const projection = projectIndexed({
      values,
      today: dayIndex(cutoff),
      start,
      end,
      lookback,
      totalsOnly: true,
    });
    let actual = 0n;
    for (let index = start; index <= end; index++) actual += values.get(index) ?? 0n;
    const forecast = projection.projectedTotal;
    const error = forecast - actual;
    quarters.push({
      quarter: quarter.label,
      cutoff,
      forecast,
      actual,
      error,
      absolutePercentError: actual > 0n ? tenthsToPercent(divideHalfEven(absolute(error) * 1000n, actual)) : null,
    });
  }
  quarters.reverse();

  // Σ |a - f| / a as one exact fraction, then the mean in tenths of a percent, rounded half-even once.
  let numerator = 0n;
  let denominator = 1n;
  const used = quarters.filter((q) => q.actual > 0n);
  for (const q of used) {
    numerator = numerator * q.actual + absolute(q.error) * denominator;
    denominator *= q.actual;
  }
  const mapePercent =
    used.length === 0 ? null : tenthsToPercent(divideHalfEven(numerator * 1000n, denominator * BigInt(used.length)));
  const quartersUsed = used.map((q) => q.quarter);
  const day = dayOfQuarter + 1;
  const explanation =
    mapePercent === null
      ? `Not enough history to backtest: no past quarter had ${minHistoryDays} days of usage before its day ${day}.`
      : `Projected from day ${day} of each quarter, the forecast missed the actual quarter total by ${mapePercent.toFixed(1)}% ` +
        `on average (MAPE) over ${used.length} ${used.length === 1 ? "quarter" : "quarters"}, ` +
        `${quartersUsed[0]} to ${quartersUsed[quartersUsed.length - 1]}.`;
  return { dayOfQuarter, mapePercent, quarters, quartersUsed, formula: MAPE_FORMULA, explanation };
}
