// Rate limits: a window of N requests per credential a minute, in memory and in Redis (shared by API processes),
// and the API's 429 with Retry-After once a token spends its window.
import { randomUUID } from "node:crypto";
import { redisUrl, servicesRequired } from "@reckon/db/testing";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../test/stack";
import { memoryRateLimiter, redisRateLimiter } from "./rateLimit";

describe("memory rate limiter", () => {
  it("allows the limit, refuses the next with the seconds left, and opens a new window after a minute", async () => {
    const limiter = memoryRateLimiter();
    const start = 1_000_000;
    for (let i = 0; i < 3; i++) expect((await limiter.hit("token:a", 3, start + i)).allowed).toBe(true);
    const refused = await limiter.hit("token:a", 3, start + 20_000);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 40 });
    expect((await limiter.hit("token:b", 3, start + 20_000)).allowed).toBe(true);
    expect(await limiter.hit("token:a", 3, start + 60_001)).toMatchObject({ allowed: true, remaining: 2 });
  });
});

const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
const redisUp = await redis.connect().then(
  () => true,
  () => false,
);
if (!redisUp && servicesRequired)
  throw new Error(`Redis is required (RECKON_REQUIRE_SERVICES=1) but ${redisUrl} is not reachable`);

describe.skipIf(!redisUp)("redis rate limiter", () => {
  afterAll(() => redis.quit());

  it("counts one window across two API processes and expires it", async () => {
    const prefix = `test-${randomUUID()}`;
    const a = redisRateLimiter(redis.duplicate(), prefix);
    const b = redisRateLimiter(redis.duplicate(), prefix);
    const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).hit("token:x", 6)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(6);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.resetSeconds >= 1 && d.resetSeconds <= 60)).toBe(true);
    const ttl = await redis.pttl(`${prefix}:ratelimit:token:x`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await Promise.all([a.close(), b.close()]);
  });
});

describe("API rate limit", () => {
  it("answers 429 with Retry-After once a token (or an anonymous client) spends its minute, others unaffected", async () => {
    const stack = await startTestStack({
      accounts: 2,
      months: 1,
      env: { RECKON_RATE_LIMIT_PER_MINUTE: "5", RECKON_ANON_RATE_LIMIT_PER_MINUTE: "3" },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await stack.fetch("/v1/me", {}, "finance")).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const refused = await stack.fetch("/v1/me", {}, "finance");
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(((await refused.json()) as { code: string }).code).toBe("rate_limited");
      expect((await stack.fetch("/v1/me", {}, "viewer")).status).toBe(200);
      // Without credentials the limit is per client address; health probes are never limited.
      const anonymous = [];
      for (let i = 0; i < 4; i++) anonymous.push((await stack.fetch("/v1/me", {}, null)).status);
      expect(anonymous).toEqual([401, 401, 401, 429]);
      for (let i = 0; i < 5; i++) expect((await stack.fetch("/healthz", {}, null)).status).toBe(200);
    } finally {
      await stack.stop();
    }
  });
});
