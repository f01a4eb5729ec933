// Collection effectiveness index: how much of what could be collected in a period was collected.

import { type Ratio, type RoundedRatio, ratioOf, roundRatio } from "./ratio";
import type { PeriodReceivables } from "./receivables";

export const CEI_FORMULA =
  "CEI = (beginning AR + credit sales - ending AR) / (beginning AR + credit sales - ending current AR) x 100";

/** CEI is shown as a percent with one decimal, rounded half-even once, from the exact ratio. */
export const CEI_DECIMALS = 1;

export interface CeiInput {
  beginningArMinor: bigint;
  creditSalesMinor: bigint;
  endingArMinor: bigint;
  /** The part of ending AR not yet past due (the aging's current bucket at the period's end). */
  endingCurrentArMinor: bigint;
}

export type CeiResult =
  | { ok: true; percent: Ratio; rounded: RoundedRatio; text: string; formula: string }
  | { ok: false; reason: "nothing-collectible"; text: string; formula: string };

/**
 * CEI = (beginning AR + credit sales - ending AR) / (beginning AR + credit sales - ending current AR) x 100.
 * The numerator is what was collected; the denominator what was collectible (everything except what is not yet due),
 * so 100% means every collectible amount came in. E.g. (100,000 + 300,000 - 120,000) / (100,000 + 300,000 - 80,000)
 * = 280,000 / 320,000 = 87.5%. With nothing collectible (denominator 0 or less) it is reported, not computed.
 */
export function collectionEffectiveness(input: CeiInput): CeiResult {
  const collectible = input.beginningArMinor + input.creditSalesMinor - input.endingCurrentArMinor;
  if (collectible <= 0n) return { ok: false, reason: "nothing-collectible", text: "n/a", formula: CEI_FORMULA };
  const collected = input.beginningArMinor + input.creditSalesMinor - input.endingArMinor;
  const percent = ratioOf(collected * 100n, collectible);
  const rounded = roundRatio(percent, CEI_DECIMALS);
  return { ok: true, percent, rounded, text: `${rounded.text}%`, formula: CEI_FORMULA };
}

/** CEI of a period computed from its receivables. */
export function ceiOfPeriod(receivables: PeriodReceivables): CeiResult {
  return collectionEffectiveness(receivables);
}
