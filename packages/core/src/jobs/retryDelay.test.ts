// The retry delay: exponential or fixed backoff with equal jitter, and a Retry-After that is a floor, never shortened.
import { describe, expect, it } from "vitest";
import { jobPolicy, retryDelayMs } from "./catalog.js";

const sync = jobPolicy("sync.source"); // exponential from 10 s
const reconcile = jobPolicy("reconcile.tenant"); // fixed 5 s

describe("retryDelayMs", () => {
  it("is half the backoff plus a random half (equal jitter)", () => {
    expect(retryDelayMs(sync, 1, new Error("x"), () => 0)).toBe(5_000);
    expect(retryDelayMs(sync, 1, new Error("x"), () => 0.5)).toBe(7_500);
    expect(retryDelayMs(sync, 1, new Error("x"), () => 0.999999)).toBe(10_000);
    expect(retryDelayMs(sync, 3, new Error("x"), () => 0)).toBe(20_000);
    expect(retryDelayMs(sync, 3, new Error("x"), () => 0.999999)).toBe(40_000);
    expect(retryDelayMs(reconcile, 4, new Error("x"), () => 0.5)).toBe(3_750);
  });

  it("stays within [backoff/2, backoff] whatever the random source says", () => {
    for (const r of [-1, 0, 0.25, 0.75, 1, 2]) {
      const delay = retryDelayMs(sync, 2, new Error("x"), () => r);
      expect(delay).toBeGreaterThanOrEqual(10_000);
      expect(delay).toBeLessThanOrEqual(20_000);
    }
  });

  it("takes a Retry-After as a floor: longer than the backoff wins, shorter never shortens it", () => {
    const limited = (ms: number) => Object.assign(new Error("429"), { retryAfterMs: ms });
    expect(retryDelayMs(sync, 1, limited(60_000), () => 0)).toBe(60_000);
    expect(retryDelayMs(sync, 1, limited(60_000), () => 0.999999)).toBe(60_000);
    expect(retryDelayMs(sync, 2, limited(1_000), () => 0.5)).toBe(15_000);
    expect(retryDelayMs(sync, 2, limited(1_000), () => 0)).toBe(10_000);
  });

  it("ignores a Retry-After that is not a usable number", () => {
    const odd = Object.assign(new Error("429"), { retryAfterMs: Number.NaN });
    expect(retryDelayMs(sync, 1, odd, () => 0)).toBe(5_000);
  });
});
