// The production RequestLimiter: one rolling window and one in-flight set per (tenant, source) in Redis, shared by
// every worker, taken atomically by a Lua script.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { type LimitTable, type Release, type RequestLimiter, sleep, sourceLimits } from "./limiter";

/**
 * KEYS[1]: sorted set of request tokens by start time (the window); KEYS[2]: sorted set of tokens in flight by lease
 * expiry. Redis's own clock, so workers with skewed clocks agree. Returns {1, now} when taken, {0, waitMs} when the window
 * is full, {0, -1} when the concurrency cap is (wait for a release). A lease expires so a crashed worker cannot hold
 * a slot for ever.
 */
const acquireScript = `
local perWindow, windowMs, concurrency, leaseMs, token =
  tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= concurrency then return {0, -1} end
if redis.call('ZCARD', KEYS[1]) >= perWindow then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + windowMs - now}
end
redis.call('ZADD', KEYS[1], now, token)
redis.call('ZADD', KEYS[2], now + leaseMs, token)
redis.call('PEXPIRE', KEYS[1], windowMs + 1000)
redis.call('PEXPIRE', KEYS[2], leaseMs + 1000)
return {1, now}
`;

export interface RedisLimiterOptions {
  redis: Redis;
  /** Key prefix, like the job runner's (tests pass a random one). */
  prefix?: string;
  limits?: LimitTable;
  /** How long a slot stays held if its worker dies before releasing it; longer than any request's timeout. */
  leaseMs?: number;
  /** Poll interval while the concurrency cap is full. */
  pollMs?: number;
  /** Told each grant with Redis's time, the one the window counts it at (tests check the pace against the limit). */
  onGrant?: (key: { tenantId: string; source: string }, at: number) => void;
}

type LimiterRedis = Redis & {
  reckonAcquire(sent: string, held: string, ...args: (string | number)[]): Promise<[number, number]>;
};

export function createRedisLimiter(options: RedisLimiterOptions): RequestLimiter {
  const limits = options.limits ?? sourceLimits;
  const prefix = options.prefix ?? "reckon";
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 25;
  const redis = options.redis as LimiterRedis;
  if (typeof redis.reckonAcquire !== "function") {
    redis.defineCommand("reckonAcquire", { numberOfKeys: 2, lua: acquireScript });
  }

  return {
    kind: "redis",
    async acquire(key, signal) {
      const limit = limits[key.source] ?? sourceLimits[key.source];
      const base = `${prefix}:limit:${key.tenantId}:${key.source}`;
      const held = `${base}:held`;
      const token = randomUUID();
      for (;;) {
        signal?.throwIfAborted();
        const [ok, waitOrAt] = await redis.reckonAcquire(
          `${base}:sent`,
          held,
          limit.perWindow,
          limit.windowMs,
          limit.concurrency,
          leaseMs,
          token,
        );
        if (ok === 1) {
          options.onGrant?.(key, waitOrAt);
          break;
        }
        // A little jitter so workers that were refused together do not all come back in the same millisecond.
        const wait = waitOrAt < 0 ? pollMs : Math.max(1, waitOrAt);
        await sleep(wait + Math.floor(Math.random() * pollMs), signal);
      }
      let released = false;
      const release: Release = async () => {
        if (released) return;
        released = true;
        await redis.zrem(held, token);
      };
      return release;
    },
    // The Redis connection belongs to whoever passed it in.
    async close() {},
  };
}
