// Usage alerts: an account heading for (or past) its committed volume, and usage spiking against its own trend.

import { utcDay } from "../calendar";
import { BPS, changeBps, formatBpsPercent, formatQuantity, ratioBps } from "../quantity";
import { clampedFittedSum, fitLine, fittedNumerator } from "./linear";
import {
  DEFAULT_LOOKBACK_DAYS,
  dailyValues,
  projectToQuarterEnd,
  type UsageDay,
  type UsageProjection,
} from "./project";
import { dayIndex, dayOfIndex } from "./quarter";
import { fitWindow } from "./series";

export type AlertSeverity = "info" | "warning" | "critical";

export interface CommitAlert {
  kind: "commit";
  /** `approaching`: projected at or above the alert threshold; `exceeded`: actual usage is already above the commit. */
  status: "approaching" | "exceeded";
  metric: string;
  severity: AlertSeverity;
  explanation: string;
  quarter: string;
  committed: bigint;
  toDate: bigint;
  projectedTotal: bigint;
  /** projectedTotal / committed in basis points, rounded half-even. */
  projectedBps: bigint;
  /** The day usage went (exceeded) or is expected to go (approaching) above the commit; null if not this quarter. */
  crossingDay: string | null;
}

export interface SpikeAlert {
  kind: "spike";
  /** `day`: the last complete day; `week`: the last 7 complete days together. */
  window: "day" | "week";
  metric: string;
  severity: AlertSeverity;
  explanation: string;
  from: string;
  to: string;
  actual: bigint;
  /** The trend's value over the window (clamped at zero, rounded half-even once). */
  expected: bigint;
  /** How many residual standard deviations above the trend, to 0.1; null when the trend fitted its history exactly. */
  deviations: number | null;
}

export type UsageAlert = CommitAlert | SpikeAlert;

export interface CommitAlertInput {
  metric: string;
  /** Appended to quantities in the sentence ("GB"); none for counts like API calls. */
  unit?: string;
  /** Committed volume for the projection's quarter, in micro-units. */
  committed: bigint;
  projection: UsageProjection;
  /** Alert from this share of the commit, projected (default 8,000 bps = 80%). */
  thresholdBps?: bigint;
}

function amount(micro: bigint, unit: string | undefined): string {
  return unit ? `${formatQuantity(micro)} ${unit}` : formatQuantity(micro);
}

/** The first quarter day on which cumulative usage (actual, then fitted) is above `committed`. */
function crossingDayOf(projection: UsageProjection, committed: bigint, actualOnly: boolean): string | null {
  let cumulative = 0n;
  for (const point of projection.trend) {
    if (point.day < projection.quarterStart) continue;
    if (actualOnly && point.actual === null) return null;
    cumulative += point.actual ?? point.fitted;
    if (cumulative > committed) return point.day;
  }
  // Per-day fitted values are rounded separately; the exact total decides, so a crossing falls on the last day at latest.
  return !actualOnly && projection.projectedTotal > committed ? projection.quarterEnd : null;
}

/**
 * Compares usage to date plus the projected remainder with the quarter's committed volume. Returns null when the
 * projection is below the threshold (or there is no commit). Severity: critical once exceeded, warning when projected
 * above the commit, info when only at or above the threshold.
 */
export function commitAlert(input: CommitAlertInput): CommitAlert | null {
  const { projection, committed, metric, unit } = input;
  if (committed <= 0n) return null;
  const projectedBps = ratioBps(projection.projectedTotal, committed);
  const exceeded = projection.toDate > committed;
  if (!exceeded && projectedBps < (input.thresholdBps ?? 8_000n)) return null;
  const crossingDay = crossingDayOf(projection, committed, exceeded);
  const percent = formatBpsPercent(projectedBps, { decimals: 0 });
  const commitText = `the ${amount(committed, unit)} committed`;
  const when = projection.asOfDay <= projection.quarterEnd && projection.asOfDay >= projection.quarterStart;
  const period = when ? "this quarter" : `in ${projection.quarter}`;
  let explanation: string;
  if (exceeded) {
    const usedBps = formatBpsPercent(ratioBps(projection.toDate, committed), { decimals: 0 });
    explanation =
      `${metric} has already used ${amount(projection.toDate, unit)} of ${commitText} ${period} (${usedBps}), ` +
      `going over on ${crossingDay}; on track for ${percent} by ${projection.quarterEnd}.`;
  } else {
    explanation =
      `${metric} is on track for ${percent} of ${commitText} ${period}` +
      (crossingDay ? `, crossing it around ${crossingDay}.` : ".");
  }
  return {
    kind: "commit",
    status: exceeded ? "exceeded" : "approaching",
    metric,
    severity: exceeded ? "critical" : projection.projectedTotal > committed ? "warning" : "info",
    explanation,
    quarter: projection.quarter,
    committed,
    toDate: projection.toDate,
    projectedTotal: projection.projectedTotal,
    projectedBps,
    crossingDay,
  };
}

export interface SpikeInput {
  metric: string;
  unit?: string;
  series: readonly UsageDay[];
  asOf: Date;
  /** Residual standard deviations above the trend that count as a spike (default 3). */
  sigmas?: number;
  /** And at least this much above the trend, in basis points (default 5,000 = 50%). */
  minRiseBps?: bigint;
  /** Days of baseline fitted before the tested week (default 90); at least `minBaselineDays` (default 14) are needed. */
  lookbackDays?: number;
  minBaselineDays?: number;
}

/**
 * Spikes against the account's own trend. The trend is fitted on the baseline BEFORE the last 7 complete days, so a
 * spike cannot hide by dragging the line up. The last complete day is a spike when it is more than `sigmas` residual
 * standard deviations (s) above the trend and at least 50% above it; the last 7 days together likewise, against s·√7
 * (the spread of a sum of 7 independent daily residuals).
 */
export function detectSpikes(input: SpikeInput): SpikeAlert[] {
  const sigmas = input.sigmas ?? 3;
  const minRiseBps = input.minRiseBps ?? 5_000n;
  const today = dayIndex(utcDay(input.asOf));
  const values = dailyValues(input.series);
  const baseline = fitLine(fitWindow(values, today - 7, input.lookbackDays ?? DEFAULT_LOOKBACK_DAYS));
  if (baseline.n < (input.minBaselineDays ?? 14)) return [];
  const s = baseline.residualStdError ?? 0;
  const windows = [
    { window: "day" as const, days: [today - 1] },
    { window: "week" as const, days: [1, 2, 3, 4, 5, 6, 7].map((back) => today - back).reverse() },
  ];
  const alerts: SpikeAlert[] = [];
  for (const { window, days } of windows) {
    let actual = 0n;
    let expectedNumerator = 0n;
    for (const day of days) {
      actual += values.get(day) ?? 0n;
      const fitted = fittedNumerator(baseline, day);
      if (fitted > 0n) expectedNumerator += fitted;
    }
    const expected = clampedFittedSum(baseline, days);
    const excess = Number(actual) - Number(expectedNumerator) / Number(baseline.denominator);
    const spread = s * Math.sqrt(days.length);
    // Exact: actual >= (1 + minRise) x expected, i.e. actual·BPS·denominator >= (BPS + minRise)·expectedNumerator.
    const risen = actual * BPS * baseline.denominator >= (BPS + minRiseBps) * expectedNumerator;
    if (!(excess > sigmas * spread && risen)) continue;
    const deviations = spread > 0 ? Math.round((excess / spread) * 10) / 10 : null;
    const from = dayOfIndex(days[0]!);
    const to = dayOfIndex(days[days.length - 1]!);
    const rise = changeBps(expected, actual);
    const above = rise === null ? "above" : `${formatBpsPercent(rise, { decimals: 0 })} above`;
    const how =
      deviations === null
        ? "its history had no variation around the trend"
        : `${deviations.toFixed(1)} standard deviations`;
    const when = window === "day" ? `on ${to}` : `over the last 7 days (${from} to ${to})`;
    alerts.push({
      kind: "spike",
      window,
      metric: input.metric,
      severity: "warning",
      explanation:
        `${input.metric} ${when} was ${amount(actual, input.unit)}, ${above} its trend of ` +
        `${amount(expected, input.unit)} (${how}).`,
      from,
      to,
      actual,
      expected,
      deviations,
    });
  }
  return alerts;
}

export interface UsageAlertsInput extends SpikeInput {
  /** Committed volume for the quarter `asOf` falls in, micro-units; none when the account has no commit. */
  committed?: bigint | null;
  thresholdBps?: bigint;
  /** projectToQuarterEnd of the same series, asOf and look-back, when the caller has it already (saves projecting twice). */
  projection?: UsageProjection;
}

/** All usage alerts for one account and metric at `asOf`: the commit check, then spikes. */
export function usageAlerts(input: UsageAlertsInput): UsageAlert[] {
  const alerts: UsageAlert[] = [];
  if (input.committed !== undefined && input.committed !== null) {
    const projection =
      input.projection ??
      projectToQuarterEnd({
        series: input.series,
        asOf: input.asOf,
        ...(input.lookbackDays === undefined ? {} : { lookbackDays: input.lookbackDays }),
      });
    const alert = commitAlert({
      metric: input.metric,
      committed: input.committed,
      projection,
      ...(input.unit === undefined ? {} : { unit: input.unit }),
      ...(input.thresholdBps === undefined ? {} : { thresholdBps: input.thresholdBps }),
    });
    if (alert) alerts.push(alert);
  }
  alerts.push(...detectSpikes(input));
  return alerts;
}
