// The tenant's billable metrics, the QuickBooks items that carry them, and the plans (rate cards) accounts sit on.
import type { Random } from "../random.js";

export interface MetricDefinition {
  key: string;
  unit: string;
  eventType: string;
  itemId: string;
  itemName: string;
  /** Decimal places a quantity carries: quantities are held as integers scaled by 10^scale. */
  scale: number;
  /** How usage arrives: a few events a day, or one snapshot on the first of the month (seats). */
  cadence: "daily" | "monthly";
}

export const metricDefinitions: readonly MetricDefinition[] = [
  {
    key: "api_calls",
    unit: "API calls",
    eventType: "API Calls Metered",
    itemId: "1",
    itemName: "API calls",
    scale: 0,
    cadence: "daily",
  },
  {
    key: "storage_gb",
    unit: "GB",
    eventType: "Storage Ingested",
    itemId: "2",
    itemName: "Storage (GB)",
    scale: 2,
    cadence: "daily",
  },
  {
    key: "seats",
    unit: "seats",
    eventType: "Seats Billed",
    itemId: "3",
    itemName: "Seats",
    scale: 0,
    cadence: "monthly",
  },
];
export const platformFeeItem = { id: "4", name: "Platform fee", sku: "platform_fee" } as const;
export const includedUsageItem = { id: "5", name: "Included usage", sku: "included_usage" } as const;

export interface MetricPrice {
  metric: MetricDefinition;
  /** Included units, scaled like the metric's quantities. */
  includedScaled: number;
  /** Price of one unit in millionths of the currency's major unit (400 = $0.0004). */
  priceMicro: number;
}

export interface RateCard {
  plan: string;
  baseFeeMinor: number;
  prices: MetricPrice[];
}

const plans = [
  { plan: "Starter", baseFee: 500_00, included: [100_000, 50, 5], price: [800, 250_000, 40_000_000] },
  { plan: "Growth", baseFee: 1_500_00, included: [500_000, 200, 20], price: [600, 200_000, 35_000_000] },
  { plan: "Scale", baseFee: 4_000_00, included: [2_000_000, 1_000, 50], price: [400, 150_000, 30_000_000] },
  { plan: "Enterprise", baseFee: 12_000_00, included: [10_000_000, 5_000, 200], price: [200, 100_000, 25_000_000] },
] as const;

/** A plan and 1-3 metrics for one account; api_calls is the most common, seats the least. */
export function pickRateCard(random: Random): RateCard {
  const planIndex = random.pick([0, 0, 1, 1, 1, 2, 2, 3]);
  const plan = plans[planIndex]!;
  const chosen = metricDefinitions.filter((metric) => {
    if (metric.key === "api_calls") return random.chance(0.9);
    if (metric.key === "storage_gb") return random.chance(0.55);
    return random.chance(0.35);
  });
  const metrics = chosen.length > 0 ? chosen : [metricDefinitions[0]!];
  return {
    plan: plan.plan,
    baseFeeMinor: plan.baseFee,
    prices: metrics.map((metric) => {
      const index = metricDefinitions.indexOf(metric);
      return {
        metric,
        includedScaled: plan.included[index]! * 10 ** metric.scale,
        priceMicro: plan.price[index]!,
      };
    }),
  };
}

/** n / d rounded half-even (d > 0): the one rounding rule of packages/reconcile/src/discrepancies/README.md. */
export function halfEven(n: number, d: number): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  if (2 * r > d) return q + 1;
  if (2 * r < d) return q;
  return q % 2 === 0 ? q : q + 1;
}

/** Minor units (cents) of `scaledQuantity` units at `priceMicro`, rounded half-even, exactly (integers only). */
export function amountMinor(scaledQuantity: number, price: MetricPrice): number {
  return halfEven(scaledQuantity * price.priceMicro, 10 ** price.metric.scale * 10_000);
}

/** value(q): every unit billed, the included ones credited (README's rule); what one metric adds to an invoice. */
export function usageValue(scaledQuantity: number, price: MetricPrice): number {
  return amountMinor(scaledQuantity, price) - amountMinor(Math.min(scaledQuantity, price.includedScaled), price);
}

/** Base fee plus value(metered) per metric of the card. */
export function expectedTotal(card: RateCard, metered: Map<string, number>): number {
  return card.prices.reduce(
    (sum, price) => sum + usageValue(metered.get(price.metric.key) ?? 0, price),
    card.baseFeeMinor,
  );
}

/** The next plan up (Enterprise goes down to Scale), with the same metrics: a mid-month plan change. */
export function changedPlan(card: RateCard): RateCard {
  const index = plans.findIndex((p) => p.plan === card.plan);
  const plan = plans[index === plans.length - 1 ? index - 1 : index + 1]!;
  return {
    plan: plan.plan,
    baseFeeMinor: plan.baseFee,
    prices: card.prices.map((price) => {
      const i = metricDefinitions.indexOf(price.metric);
      return {
        metric: price.metric,
        includedScaled: plan.included[i]! * 10 ** price.metric.scale,
        priceMicro: plan.price[i]!,
      };
    }),
  };
}

/** A scaled integer quantity as the decimal number a provider would carry. */
export function toDecimal(scaled: number, scale: number): number {
  return Number((scaled / 10 ** scale).toFixed(scale));
}

export function decimalString(scaled: number, scale: number): string {
  return (scaled / 10 ** scale).toFixed(scale);
}
