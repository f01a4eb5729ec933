// Rating: what an account's rate cards say a billing period should cost, and invoice lines checked against them.

export {
  checkInvoicePricing,
  explainPlanChange,
  type InvoicedLine,
  type PlanChangeExplained,
  type PriceDiffers,
} from "./checks";
export {
  coverPeriod,
  daysOfPeriod,
  type PeriodCoverage,
  type PlanSegment,
  type RatingProblem,
  type UncoveredDays,
} from "./coverage";
export { billableMicro, type PricedQuantity, type PriceStep, priceQuantity } from "./price";
export {
  type DailyUsage,
  type ExpectedCharge,
  type MetricPart,
  type PeriodRating,
  type RateAccountPeriodInput,
  rateAccountPeriod,
} from "./rate";
export {
  describeCard,
  type MetricPrice,
  type MetricPricing,
  type PriceTier,
  type RateCard,
  type RateCardProblem,
  type RateCardProblemCode,
  rateCardProblemCodes,
  validateRateCards,
} from "./rateCard";
export { formatUnitPrice } from "./sentences";
