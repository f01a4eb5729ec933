// The RequestLimiter against both implementations: the rolling window and the concurrency cap hold, also across two
// limiter instances on one Redis (two workers).
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { deletePrefix, randomPrefix, redisReachable, redisUrl, servicesRequired } from "../../test/jobsTestkit";
import { createInProcessLimiter } from "./inProcess";
import { type LimitTable, type RequestLimiter, requestGate } from "./limiter";
import { createRedisLimiter } from "./redis";

const tenantId = "00000000-0000-4000-8000-000000000001";
const otherTenantId = "00000000-0000-4000-8000-000000000002";
const small: LimitTable = {
  quickbooks: { perWindow: 6, windowMs: 400, concurrency: 3 },
  stripe: { perWindow: 100, windowMs: 1000, concurrency: 2 },
  amplitude: { perWindow: 100, windowMs: 1000, concurrency: 1 },
};

/** Runs `count` gated requests over `limiters` (round robin) and records when each started and how many overlapped. */
async function burst(limiters: RequestLimiter[], source: "quickbooks" | "stripe", count: number, holdMs: number) {
  const starts: number[] = [];
  let inFlight = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      requestGate(limiters[i % limiters.length]!, { tenantId, source }).run(async () => {
        starts.push(Date.now());
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, holdMs));
        inFlight -= 1;
      }),
    ),
  );
  return { starts: starts.sort((a, b) => a - b), peak };
}

/** The most starts inside any window of `windowMs` (a sliding check, like the provider's). */
function busiestWindow(starts: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < starts.length; i++) {
    let j = i;
    while (j < starts.length && starts[j]! < starts[i]! + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe("in-process limiter", () => {
  it("never lets more than the window through, and all requests finish", async () => {
    const limiter = createInProcessLimiter({ limits: small });
    const { starts } = await burst([limiter], "quickbooks", 15, 1);
    expect(starts).toHaveLength(15);
    // 2 ms of slack for timer granularity between our clock reads and the limiter's.
    expect(busiestWindow(starts, small.quickbooks.windowMs - 2)).toBeLessThanOrEqual(6);
  });

  it("holds the concurrency cap", async () => {
    const limiter = createInProcessLimiter({ limits: small });
    const { peak } = await burst([limiter], "stripe", 12, 15);
    expect(peak).toBe(2);
  });

  it("keeps tenants apart: one tenant's full window does not hold up another's", async () => {
    const limiter = createInProcessLimiter({ limits: small });
    const held = await Promise.all(
      Array.from({ length: 3 }, () => limiter.acquire({ tenantId, source: "quickbooks" })),
    );
    const other = await limiter.acquire({ tenantId: otherTenantId, source: "quickbooks" });
    expect(typeof other).toBe("function");
    await Promise.all([...held, other].map((release) => release()));
  });

  it("gives up waiting when its signal aborts", async () => {
    const limiter = createInProcessLimiter({ limits: small });
    const key = { tenantId, source: "amplitude" } as const;
    const release = await limiter.acquire(key);
    const controller = new AbortController();
    controller.abort(new Error("job cancelled"));
    await expect(limiter.acquire(key, controller.signal)).rejects.toThrow("job cancelled");
    await release();
  });
});

const redisUp = await redisReachable();

describe.runIf(redisUp || servicesRequired)("redis limiter (two workers on one Redis)", () => {
  const prefix = randomPrefix("limits");
  const connections: Redis[] = [];
  /** Every grant at the time Redis counted it: what the window is judged by, whatever this process's event loop did. */
  const grants: number[] = [];
  const limiter = () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return createRedisLimiter({ redis, prefix, limits: small, pollMs: 5, onGrant: (_key, at) => grants.push(at) });
  };

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
    await deletePrefix(prefix);
  });

  it("needs Redis", () => {
    expect(redisUp, `Redis unreachable at ${redisUrl} and RECKON_REQUIRE_SERVICES=1`).toBe(true);
  });

  it("two limiters never exceed the window together", async () => {
    grants.length = 0;
    const { starts } = await burst([limiter(), limiter()], "quickbooks", 15, 1);
    expect(starts).toHaveLength(15);
    expect(grants).toHaveLength(15);
    // Judged on Redis's clock: a busy test process may run granted callbacks late and bunched, which says nothing
    // about the limiter. The window in Redis is half-open, so grants exactly windowMs apart are two windows.
    expect(
      busiestWindow(
        grants.sort((a, b) => a - b),
        small.quickbooks.windowMs,
      ),
    ).toBeLessThanOrEqual(6);
  });

  it("two limiters hold one concurrency cap together", async () => {
    const { peak } = await burst([limiter(), limiter()], "stripe", 12, 20);
    expect(peak).toBe(2);
  });

  it("a slot whose worker died comes back when its lease expires", async () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    const leased = createRedisLimiter({ redis, prefix: `${prefix}-lease`, limits: small, leaseMs: 50, pollMs: 5 });
    const key = { tenantId, source: "amplitude" } as const;
    await leased.acquire(key); // never released: its worker "crashed"
    const release = await leased.acquire(key);
    expect(typeof release).toBe("function");
    await release();
    await deletePrefix(`${prefix}-lease`);
  });
});
