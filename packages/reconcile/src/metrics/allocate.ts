// Exact allocation of an amount over weighted pieces (days, months) so the pieces always sum to the amount.

import { divideHalfEven } from "../decimal";

/**
 * Splits `totalMinor` in proportion to `weights` by rounding the running total, half-even:
 * piece k = round(total x (w1 + ... + wk) / W) - round(total x (w1 + ... + w(k-1)) / W), W = the sum of weights.
 * The pieces telescope to round(total x W / W) = total exactly, each is within one minor unit of its exact share, and
 * the amount allocated up to any piece is the exact share rounded once (so an earned-to-date figure cut at a month
 * end equals the sum of the monthly pieces). E.g. 310,000 over 31, 30, 31 days: 104,457 + 101,086 + 104,457.
 * Weights must be non-negative with a positive sum (a caller bug otherwise).
 */
export function allocateByWeights(totalMinor: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((acc, weight) => {
    if (weight < 0n) throw new RangeError("allocateByWeights: negative weight");
    return acc + weight;
  }, 0n);
  if (sum <= 0n) throw new RangeError("allocateByWeights: weights sum to zero");
  let running = 0n;
  let allocated = 0n;
  return weights.map((weight) => {
    running += weight;
    const upTo = divideHalfEven(totalMinor * running, sum);
    const piece = upTo - allocated;
    allocated = upTo;
    return piece;
  });
}

/** The part of `totalMinor` allocated to the first `elapsed` of `sum` weight units: round(total x elapsed / sum). */
export function allocatedUpTo(totalMinor: bigint, elapsed: bigint, sum: bigint): bigint {
  if (sum <= 0n) throw new RangeError("allocatedUpTo: weights sum to zero");
  return divideHalfEven(totalMinor * elapsed, sum);
}
