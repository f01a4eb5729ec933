// Finance metrics: AR aging, DSO, CEI, MRR/ARR movements, billed/collected/earned/deferred revenue, FX to base currency.

export {
  type AccountAging,
  type AgeReceivablesInput,
  type AgingBucketName,
  type AgingBuckets,
  type AgingCredit,
  type AgingLine,
  type AgingReport,
  type AgingTotals,
  ageReceivables,
  agingBucketNames,
  agingBucketOf,
} from "./aging";
export { allocateByWeights } from "./allocate";
export { CEI_FORMULA, type CeiInput, type CeiResult, ceiOfPeriod, collectionEffectiveness } from "./cei";
export {
  DSO_COUNTBACK_FORMULA,
  DSO_STANDARD_FORMULA,
  type DsoCountbackInput,
  type DsoMethod,
  type DsoResult,
  type DsoStandardInput,
  dsoCountback,
  dsoOfPeriod,
  dsoStandard,
  type MonthSales,
} from "./dso";
export {
  type Conversion,
  type ConvertedTotal,
  convertAmount,
  convertToBase,
  type DatedAmount,
  type FxRate,
  findRate,
} from "./fx";
export {
  type AppliedPayment,
  daysPastDue,
  dueDayOf,
  type IgnoredApplication,
  type IgnoredApplicationReason,
  type MetricInvoice,
  type OpenBalances,
  type OpenInvoice,
  openBalancesAt,
  type ServicePeriod,
} from "./ledger";
export {
  classifyMrrChange,
  MRR_IDENTITY,
  type MrrChange,
  type MrrEntry,
  type MrrMonth,
  type MrrMovement,
  type MrrMovementKind,
  type MrrMovementsInput,
  type MrrReport,
  mrrMovementKinds,
  mrrMovements,
} from "./mrr";
export { MRR_FROM_INVOICES_RULE, mrrFromInvoices, recurringMonthsOf } from "./mrrFromInvoices";
export { type Ratio, type RoundedRatio, ratioOf, roundRatio } from "./ratio";
export {
  type MonthSlice,
  monthSlices,
  type PeriodReceivables,
  type PeriodReceivablesInput,
  receivablesForPeriod,
} from "./receivables";
export {
  type EarnedDeferredLine,
  type EarnedDeferredReport,
  type EarnedDeferredTotals,
  earnedUpTo,
  earnedVsDeferred,
  type RevenueByMonthInput,
  type RevenueMonth,
  type RevenuePiece,
  type RevenueReport,
  revenueByMonth,
  straightLineSchedule,
} from "./revenue";
