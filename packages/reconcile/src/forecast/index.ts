// Forecast and usage alerts: linear projections to quarter end, the portfolio sum, the backtest and the alerts.

export {
  type AlertSeverity,
  type CommitAlert,
  type CommitAlertInput,
  commitAlert,
  detectSpikes,
  type SpikeAlert,
  type SpikeInput,
  type UsageAlert,
  type UsageAlertsInput,
  usageAlerts,
} from "./alerts";
export { type Backtest, type BacktestInput, type BacktestQuarter, backtestForecast, MAPE_FORMULA } from "./backtest";
export { fitLine, type LinearFit, type LinePoint } from "./linear";
export {
  type ExclusionReason,
  type ForecastPortfolioInput,
  forecastPortfolio,
  type PortfolioAccount,
  type PortfolioExclusion,
  type PortfolioForecast,
  type PortfolioTrendPoint,
} from "./portfolio";
export {
  type BilledMonth,
  DEFAULT_LOOKBACK_DAYS,
  DEFAULT_LOOKBACK_MONTHS,
  type ProjectionSummary,
  type ProjectRevenueInput,
  type ProjectUsageInput,
  projectRevenue,
  projectToQuarterEnd,
  type RevenueProjection,
  type RevenueTrendPoint,
  type UsageDay,
  type UsageProjection,
  type UsageTrendPoint,
} from "./project";
export { type Quarter, quarterEndingOn, quarterOfDay, quarterOfLabel, shiftQuarter } from "./quarter";
export type { Confidence } from "./series";
