// Prices a billable quantity of one metric under flat, graduated or volume pricing, with the breakdown per tier.

import { parseQuantity } from "../quantity";
import { addFractions, apportion, costOf, type Fraction, roundHalfEven, sumFractions, whole } from "./fraction";
import type { MetricPricing, PriceTier } from "./rateCard";

/** One run of units at one price: micro-units from `fromMicro` (exclusive) to `toMicro` (inclusive). */
export interface PriceStep {
  fromMicro: bigint;
  toMicro: bigint;
  quantityMicro: bigint;
  unitPrice: string;
  /** The tier's flat fee, when the step is a tier that has one (included in amountMinor). */
  flatFeeMinor: bigint;
  /** This step's part of the line, flat fee included; the steps add up to the line exactly (see `apportion`). */
  amountMinor: bigint;
}

export interface PricedQuantity {
  amountMinor: bigint;
  breakdown: PriceStep[];
}

/** A priced quantity before its one rounding: the exact amount of each step in minor units. */
export interface ExactPrice {
  steps: Array<Omit<PriceStep, "amountMinor"> & { exact: Fraction }>;
  exact: Fraction;
}

/** Usage beyond the included units, never below zero: max(0, used - included). */
export function billableMicro(usedMicro: bigint, includedMicro: bigint): bigint {
  const billable = usedMicro - includedMicro;
  return billable > 0n ? billable : 0n;
}

/** A tier's inclusive upper bound in micro-units; null = no bound. */
function tierEnd(tier: PriceTier): bigint | null {
  return tier.upTo === null ? null : parseQuantity(tier.upTo);
}

/**
 * The exact amount, unrounded, so a line priced in several parts (one per plan in a month with a plan change) can
 * still be rounded once. Units beyond a bounded last tier are priced at that tier's rate (the validator flags such
 * cards). Zero billable units cost nothing: no tier is reached, so no tier flat fee is due.
 */
export function priceExactly(pricing: MetricPricing, quantityMicro: bigint, currency: string): ExactPrice {
  if (quantityMicro < 0n) throw new RangeError(`Cannot price a negative quantity (${quantityMicro} micro-units)`);
  if (quantityMicro === 0n) return { steps: [], exact: whole(0n) };
  if (pricing.model === "flat") {
    const exact = costOf(quantityMicro, pricing.unitPrice, currency);
    const step = {
      fromMicro: 0n,
      toMicro: quantityMicro,
      quantityMicro,
      unitPrice: pricing.unitPrice,
      flatFeeMinor: 0n,
    };
    return { steps: [{ ...step, exact }], exact };
  }
  const tiers = pricing.tiers;
  if (tiers.length === 0) throw new RangeError(`${pricing.model} pricing has no tiers`);
  const steps: ExactPrice["steps"] = [];
  const step = (tier: PriceTier, fromMicro: bigint, toMicro: bigint, pricedMicro: bigint) => {
    const flatFeeMinor = tier.flatFeeMinor ?? 0n;
    const exact = addFractions(costOf(pricedMicro, tier.unitPrice, currency), whole(flatFeeMinor));
    steps.push({
      fromMicro,
      toMicro,
      quantityMicro: toMicro - fromMicro,
      unitPrice: tier.unitPrice,
      flatFeeMinor,
      exact,
    });
  };
  if (pricing.model === "volume") {
    // The first tier whose bound the total does not exceed (bounds are inclusive: exactly 1,000 is in "up to 1,000").
    const tier =
      tiers.find((candidate) => {
        const end = tierEnd(candidate);
        return end === null || quantityMicro <= end;
      }) ?? tiers[tiers.length - 1];
    if (tier) step(tier, 0n, quantityMicro, quantityMicro);
  } else {
    let fromMicro = 0n;
    tiers.forEach((tier, index) => {
      if (fromMicro >= quantityMicro) return;
      const end = index === tiers.length - 1 ? null : tierEnd(tier);
      const toMicro = end === null || end > quantityMicro ? quantityMicro : end;
      if (toMicro <= fromMicro) return;
      step(tier, fromMicro, toMicro, toMicro - fromMicro);
      fromMicro = toMicro;
    });
  }
  return { steps, exact: sumFractions(steps.map((s) => s.exact)) };
}

/**
 * Prices `billableMicro` units (usage already net of included units). Rounding: the line's exact amount is rounded
 * half-even to the currency's minor unit once; tier steps share that rounded amount so they add up to it exactly.
 */
export function priceQuantity(pricing: MetricPricing, billableMicro: bigint, currency: string): PricedQuantity {
  const priced = priceExactly(pricing, billableMicro, currency);
  const amounts = apportion(priced.steps.map((s) => s.exact));
  return {
    amountMinor: roundHalfEven(priced.exact),
    breakdown: priced.steps.map(({ exact: _exact, ...s }, index) => ({ ...s, amountMinor: amounts[index] ?? 0n })),
  };
}
