// A portfolio forecast: the sum of its accounts' projections, leaving out (and listing) accounts whose data is partial.

import type { ProjectionSummary, RevenueProjection, UsageProjection } from "./project";
import { quarterOfLabel } from "./quarter";

export interface PortfolioAccount<P extends UsageProjection | RevenueProjection> {
  accountId: string;
  /** Shown in explanations; the id when absent. */
  name?: string;
  /** The account's last sync was partial: its data is incomplete, so it stays out of forecasts until resolved. */
  partialSync: boolean;
  projection: P;
}

export type ExclusionReason = "partial_sync" | "other_quarter" | "other_currency";

export interface PortfolioExclusion {
  accountId: string;
  reason: ExclusionReason;
  explanation: string;
}

export interface PortfolioTrendPoint {
  /** "YYYY-MM-DD" for usage, "YYYY-MM" for revenue. */
  at: string;
  /** Sum of the accounts' actuals that day (or month); null when no account has one. */
  actual: bigint | null;
  fitted: bigint;
  low: bigint;
  high: bigint;
}

export interface PortfolioForecast extends Omit<ProjectionSummary, "method" | "pointsUsed" | "confidence"> {
  /** Accounts summed, by id. */
  included: string[];
  /** Accounts left out and why, by id. */
  excluded: PortfolioExclusion[];
  /** Accounts among the included whose own projection is low-confidence (too little history). */
  lowConfidence: string[];
  trend: PortfolioTrendPoint[];
  currency: string | null;
  method: string;
}

export interface ForecastPortfolioInput<P extends UsageProjection | RevenueProjection> {
  /** The quarter summed ("2026-Q4"); projections of another quarter are left out. */
  quarter: string;
  /** For revenue: the currency summed; projections in another currency are left out (convert them first). */
  currency?: string;
  accounts: ReadonlyArray<PortfolioAccount<P>>;
}

const BAND_NOTE =
  "band: sum of the accounts' bands (conservative: as if their errors moved together; independent errors would give a narrower band)";

function byId(a: { accountId: string }, b: { accountId: string }): number {
  return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;
}

function exclusionOf<P extends UsageProjection | RevenueProjection>(
  account: PortfolioAccount<P>,
  quarter: string,
  currency: string | undefined,
): PortfolioExclusion | null {
  const name = account.name ?? account.accountId;
  const { accountId, projection } = account;
  if (account.partialSync) {
    return {
      accountId,
      reason: "partial_sync",
      explanation: `${name} is left out of the forecast: its last sync was partial, so its data is incomplete until resolved.`,
    };
  }
  if (projection.quarter !== quarter) {
    return {
      accountId,
      reason: "other_quarter",
      explanation: `${name} is left out of the forecast: its projection is for ${projection.quarter}, not ${quarter}.`,
    };
  }
  if ("currency" in projection && currency !== undefined && projection.currency !== currency.toUpperCase()) {
    return {
      accountId,
      reason: "other_currency",
      explanation: `${name} is left out of the forecast: it bills in ${projection.currency}, not ${currency.toUpperCase()} (convert it first).`,
    };
  }
  return null;
}

/**
 * Sums account projections into a portfolio forecast. Totals, to-date and remaining are exact sums; the band is the sum
 * of the accounts' lows and of their highs, a simple conservative choice (stated in `method`). Accounts flagged
 * `partialSync` are left out and listed with the reason, as the brief asks, and so are projections of another quarter
 * or currency. The result does not depend on the order of `accounts`.
 */
export function forecastPortfolio<P extends UsageProjection | RevenueProjection>(
  input: ForecastPortfolioInput<P>,
): PortfolioForecast {
  const quarter = quarterOfLabel(input.quarter);
  if (input.currency === undefined && input.accounts.some((a) => "currency" in a.projection)) {
    throw new RangeError("forecastPortfolio: a revenue forecast needs the currency it sums");
  }
  const accounts = [...input.accounts].sort(byId);
  const excluded: PortfolioExclusion[] = [];
  const included: Array<PortfolioAccount<P>> = [];
  for (const account of accounts) {
    const exclusion = exclusionOf(account, input.quarter, input.currency);
    if (exclusion) excluded.push(exclusion);
    else included.push(account);
  }
  let toDate = 0n;
  let projectedRemaining = 0n;
  let low = 0n;
  let high = 0n;
  const trend = new Map<string, PortfolioTrendPoint>();
  for (const { projection } of included) {
    toDate += projection.toDate;
    projectedRemaining += projection.projectedRemaining;
    low += projection.band.low;
    high += projection.band.high;
    for (const point of projection.trend) {
      const at = "day" in point ? point.day : point.period;
      const sum = trend.get(at) ?? { at, actual: null, fitted: 0n, low: 0n, high: 0n };
      if (point.actual !== null) sum.actual = (sum.actual ?? 0n) + point.actual;
      sum.fitted += point.fitted;
      sum.low += point.low;
      sum.high += point.high;
      trend.set(at, sum);
    }
  }
  return {
    quarter: input.quarter,
    quarterStart: quarter.start,
    quarterEnd: quarter.end,
    toDate,
    projectedRemaining,
    projectedTotal: toDate + projectedRemaining,
    band: { low, high },
    included: included.map((a) => a.accountId),
    excluded,
    lowConfidence: included.filter((a) => a.projection.confidence === "low").map((a) => a.accountId),
    trend: [...trend.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
    currency: input.currency === undefined ? null : input.currency.toUpperCase(),
    method: `sum of ${included.length} account projections; ${BAND_NOTE}`,
  };
}
