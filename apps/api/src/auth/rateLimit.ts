// Per-credential request limits: fixed one-minute windows, in memory for one process or in Redis for many.
import type { Redis } from "ioredis";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (the Retry-After answer when refused). */
  resetSeconds: number;
}

export interface RateLimiter {
  hit(key: string, limit: number, now?: number): Promise<RateDecision>;
  close(): Promise<void>;
}

const windowMs = 60_000;

function decide(count: number, limit: number, msLeft: number): RateDecision {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}

/** One process (the embedded default): a map of windows, swept as they expire. */
export function memoryRateLimiter(): RateLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  let lastSweep = 0;
  return {
    async hit(key, limit, now = Date.now()) {
      if (now - lastSweep > windowMs) {
        for (const [k, w] of windows) if (w.endsAt <= now) windows.delete(k);
        lastSweep = now;
      }
      let window = windows.get(key);
      if (!window || window.endsAt <= now) {
        window = { count: 0, endsAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return decide(window.count, limit, window.endsAt - now);
    },
    async close() {
      windows.clear();
    },
  };
}

// INCR and set the window's expiry on its first hit, atomically, answering the count and the time left.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

/** Many API processes (production): the windows live in Redis, so every process counts the same requests. */
export function redisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  return {
    async hit(key, limit) {
      const [count, ttl] = (await redis.eval(hitScript, 1, `${prefix}:ratelimit:${key}`, windowMs)) as [number, number];
      return decide(count, limit, ttl);
    },
    async close() {
      await redis.quit();
    },
  };
}
