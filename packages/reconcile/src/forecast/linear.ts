// Least-squares line through integer-x points, fitted exactly in bigint rationals; only its spread uses floating point.

import { divideHalfEven } from "../decimal";

/** One observation: x is a whole index (a day or a month number), y an exact amount (micro-units or minor units). */
export interface LinePoint {
  x: number;
  y: bigint;
}

/**
 * An ordinary least-squares line y = a + b·x, kept as exact rationals so that it is deterministic, independent of input
 * order and free of cancellation (the usual reason to center x: here the centering is done algebraically, exactly).
 * With n points, Sx = Σx, Sy = Σy:
 *   D = n·Σx² − Sx²            (= n·Sxx, the centered spread of x, times n)
 *   S = n·Σxy − Sx·Sy          (= n·Sxy)
 *   fitted(x) = ȳ + (S/D)·(x − x̄) = [Sy·D + S·(n·x − Sx)] / (n·D)
 * With fewer than two distinct x (D = 0) the line is flat at the mean (zero with no points at all).
 */
export interface LinearFit {
  /** Number of points. */
  readonly n: number;
  readonly sumX: bigint;
  readonly sumY: bigint;
  /** n·Sxx; zero when the line is flat for lack of points. */
  readonly d: bigint;
  /** n·Sxy. */
  readonly s: bigint;
  /** The positive denominator shared by every fitted value: fitted(x) = fittedNumerator(fit, x) / denominator. */
  readonly denominator: bigint;
  /**
   * Residual standard error sqrt(SSE / (n − 2)) in y's units, a float (statistics, not money); null when it cannot be
   * estimated (n < 3: a line through two points always fits perfectly and says nothing about the spread).
   */
  readonly residualStdError: number | null;
}

function safeIndex(x: number): bigint {
  if (!Number.isSafeInteger(x)) throw new RangeError(`fitLine: x must be a whole number, got ${x}`);
  return BigInt(x);
}

/** Fits the least-squares line through `points` (any order; repeated x allowed). */
export function fitLine(points: readonly LinePoint[]): LinearFit {
  let sumX = 0n;
  let sumY = 0n;
  let sumXX = 0n;
  let sumXY = 0n;
  let sumYY = 0n;
  for (const { x, y } of points) {
    const bx = safeIndex(x);
    sumX += bx;
    sumY += y;
    sumXX += bx * bx;
    sumXY += bx * y;
    sumYY += y * y;
  }
  const count = BigInt(points.length);
  const d = count * sumXX - sumX * sumX;
  const s = count * sumXY - sumX * sumY;
  if (d === 0n) {
    return { n: points.length, sumX, sumY, d: 0n, s: 0n, denominator: count > 0n ? count : 1n, residualStdError: null };
  }
  // SSE = Syy − Sxy²/Sxx = [(n·Σy² − Sy²)·D − S²] / (n·D): exact, and never negative (Cauchy–Schwarz).
  const sseNumerator = (count * sumYY - sumY * sumY) * d - s * s;
  const denominator = count * d;
  const residualStdError =
    points.length > 2 ? Math.sqrt(Number(sseNumerator) / Number(denominator) / (points.length - 2)) : null;
  return { n: points.length, sumX, sumY, d, s, denominator, residualStdError };
}

/** The exact numerator of the fitted value at x (divide by `fit.denominator`, which is positive). */
export function fittedNumerator(fit: LinearFit, x: number): bigint {
  if (fit.d === 0n) return fit.sumY;
  return fit.sumY * fit.d + fit.s * (BigInt(fit.n) * safeIndex(x) - fit.sumX);
}

/** The fitted value at x, rounded half-even once (may be negative: callers clamp). */
export function fittedAt(fit: LinearFit, x: number): bigint {
  return divideHalfEven(fittedNumerator(fit, x), fit.denominator);
}

/** The exact sum of the fitted values at `xs`, each clamped at zero first, rounded half-even once at the end. */
export function clampedFittedSum(fit: LinearFit, xs: readonly number[]): bigint {
  let numerator = 0n;
  for (const x of xs) {
    const value = fittedNumerator(fit, x);
    if (value > 0n) numerator += value;
  }
  return divideHalfEven(numerator, fit.denominator);
}

/** The slope per unit of x (per day, per month), rounded half-even; zero for a flat fit. */
export function slopeOf(fit: LinearFit): bigint {
  return fit.d === 0n ? 0n : divideHalfEven(fit.s, fit.d);
}

/**
 * Half-width of a prediction interval for the SUM of new observations at `xs` (one x gives the usual interval for one
 * observation), with `quantile` standard errors: quantile · se · sqrt(m + m²/n + (Σ(xⱼ − x̄))² / Sxx), m = |xs|. The
 * last two terms are the uncertainty of the line itself, so the interval widens with distance from the data. Zero when
 * the spread cannot be estimated (see residualStdError).
 */
export function predictionHalfWidth(fit: LinearFit, xs: readonly number[], quantile: number): number {
  if (fit.residualStdError === null || xs.length === 0) return 0;
  const m = BigInt(xs.length);
  let sumFuture = 0n;
  for (const x of xs) sumFuture += safeIndex(x);
  // Σ(xⱼ − x̄) = (n·Σxⱼ − m·Sx) / n, and Sxx = D / n, so its square over Sxx is (n·Σxⱼ − m·Sx)² / (n·D).
  const offset = BigInt(fit.n) * sumFuture - m * fit.sumX;
  const lineVariance = Number(m * m) / fit.n + Number(offset * offset) / Number(fit.denominator);
  return quantile * fit.residualStdError * Math.sqrt(xs.length + lineVariance);
}

// Student's t, 0.90 quantile (so ±t covers a central 80%), by residual degrees of freedom.
const t90: ReadonlyArray<readonly [number, number]> = [
  [1, 3.078],
  [2, 1.886],
  [3, 1.638],
  [4, 1.533],
  [5, 1.476],
  [6, 1.44],
  [7, 1.415],
  [8, 1.397],
  [9, 1.383],
  [10, 1.372],
  [12, 1.356],
  [15, 1.341],
  [20, 1.325],
  [30, 1.31],
  [40, 1.303],
  [60, 1.296],
  [120, 1.289],
];

/**
 * The t quantile for a two-sided ~80% interval with `df` degrees of freedom. Between table rows it takes the row with
 * fewer degrees of freedom (a slightly wider, conservative interval); beyond 120 it is the normal 1.2816.
 */
export function t80(df: number): number {
  if (df > 120) return 1.2816;
  let quantile = 3.078;
  for (const [rowDf, value] of t90) if (rowDf <= df) quantile = value;
  return quantile;
}

/** Rounds a float to a bigint, half-even (the package's one rounding rule), for statistics handed out as amounts. */
export function roundHalfEvenNumber(value: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`roundHalfEvenNumber: ${value} is not finite`);
  const floor = Math.floor(value);
  const fraction = value - floor;
  const rounded = fraction > 0.5 || (fraction === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return BigInt(rounded);
}
