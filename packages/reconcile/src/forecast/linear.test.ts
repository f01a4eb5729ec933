import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clampedFittedSum,
  fitLine,
  fittedAt,
  fittedNumerator,
  predictionHalfWidth,
  roundHalfEvenNumber,
  slopeOf,
  t80,
} from "./linear";

// Worked by hand: x = 0, 1, 2, 3 and y = 2, 4, 5, 9.
//   x̄ = 1.5, ȳ = 5; Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5; Sxy = (−1.5)(−3) + (−0.5)(−1) + 0.5·0 + 1.5·4 = 11
//   slope = 11 / 5 = 2.2; intercept = 5 − 2.2·1.5 = 1.7; fitted 1.7, 3.9, 6.1, 8.3
//   residuals 0.3, 0.1, −1.1, 0.7; SSE = 0.09 + 0.01 + 1.21 + 0.49 = 1.8; s = sqrt(1.8 / 2) = sqrt(0.9)
//   fitted(4) = 1.7 + 8.8 = 10.5 -> 10 (half-even); fitted(5) = 12.7 -> 13
const small = [
  { x: 0, y: 2n },
  { x: 1, y: 4n },
  { x: 2, y: 5n },
  { x: 3, y: 9n },
];

describe("least-squares line", () => {
  it("matches the hand-computed fit", () => {
    const fit = fitLine(small);
    // D = n·Sxx = 20, S = n·Sxy = 44, denominator n·D = 80; numerator at 4 = 20·20 + 44·(16 − 6) = 840 = 10.5 · 80.
    expect(fit).toMatchObject({ n: 4, d: 20n, s: 44n, denominator: 80n });
    expect(fittedNumerator(fit, 4)).toBe(840n);
    expect(fittedAt(fit, 4)).toBe(10n);
    expect(fittedAt(fit, 5)).toBe(13n);
    expect(fittedAt(fit, 0)).toBe(2n); // 1.7
    expect(slopeOf(fit)).toBe(2n); // 2.2
    expect(fit.residualStdError).toBeCloseTo(Math.sqrt(0.9), 12);
    // Prediction at x = 4: leverage 1/4 + (4 − 1.5)²/5 = 1.5, so s·sqrt(1 + 1.5) = sqrt(0.9 · 2.5) = 1.5.
    expect(predictionHalfWidth(fit, [4], 1)).toBeCloseTo(1.5, 12);
    // The same data in micro-units gives the slope exactly: 2.2 units a day.
    expect(slopeOf(fitLine(small.map((p) => ({ x: p.x, y: p.y * 1_000_000n }))))).toBe(2_200_000n);
  });

  it("fits a perfect line exactly, with zero spread", () => {
    const fit = fitLine([0, 1, 2, 3, 4].map((x) => ({ x: x + 20_000, y: 7n + 3n * BigInt(x) })));
    expect(fittedAt(fit, 20_010)).toBe(37n);
    expect(fit.residualStdError).toBe(0);
    expect(predictionHalfWidth(fit, [20_010, 20_011], 1.3)).toBe(0);
  });

  it("is flat at the mean with one point, zero with none, and has no spread below three points", () => {
    expect(fittedAt(fitLine([{ x: 5, y: 40n }]), 99)).toBe(40n);
    expect(fittedAt(fitLine([]), 99)).toBe(0n);
    expect(
      fitLine([
        { x: 1, y: 1n },
        { x: 2, y: 5n },
      ]).residualStdError,
    ).toBeNull();
  });

  it("clamps each fitted value at zero before summing, and rounds once", () => {
    // y = 10 − 4x: fitted 2 at x = 2, −2 at x = 3 (clamped to 0), so the sum over x = 2, 3 is 2.
    const fit = fitLine([0, 1].map((x) => ({ x, y: 10n - 4n * BigInt(x) })));
    expect(clampedFittedSum(fit, [2, 3])).toBe(2n);
  });

  it("takes t quantiles for ~80% intervals, conservatively between table rows", () => {
    expect(t80(2)).toBe(1.886);
    expect(t80(11)).toBe(1.372);
    expect(t80(45)).toBe(1.303);
    expect(t80(500)).toBe(1.2816);
  });

  it("rounds floats half-even", () => {
    expect([2.5, 3.5, -2.5, 1.2, -1.7].map(roundHalfEvenNumber)).toEqual([2n, 4n, -2n, 1n, -2n]);
  });
});

const points = fc.array(
  fc.record({ x: fc.integer({ min: 0, max: 400 }), y: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }) }),
  { minLength: 0, maxLength: 40 },
);

describe("least-squares line properties", () => {
  it("does not depend on input order", () => {
    fc.assert(
      fc.property(points, (pts) => {
        expect(fitLine([...pts].reverse())).toEqual(fitLine(pts));
      }),
    );
  });

  it("shifts every fitted value by exactly the constant added to every point", () => {
    fc.assert(
      fc.property(
        points,
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: 0, max: 500 }),
        (pts, c, x) => {
          const fit = fitLine(pts);
          const shifted = fitLine(pts.map((p) => ({ x: p.x, y: p.y + c })));
          if (pts.length === 0) return;
          expect(shifted.denominator).toBe(fit.denominator);
          expect(fittedNumerator(shifted, x) - fittedNumerator(fit, x)).toBe(c * fit.denominator);
        },
      ),
    );
  });
});
