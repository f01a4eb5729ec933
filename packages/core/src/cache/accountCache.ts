// Reconciled account detail cached per (tenant, account) for 15 minutes, dropped when reconciliation rewrites the
// account: in-process for the embedded default, in Redis under BullMQ so every API process sees the same invalidation.
import type { Redis } from "ioredis";

/** How long a cached account detail may be served (SPEC: reconciled data cached per account for 15 minutes). */
export const accountCacheTtlMs = 15 * 60_000;

export interface AccountCache {
  /** The cached value for the account on `day` (usage month-to-date depends on it), or null. */
  get<T>(tenantId: string, accountId: string, day: string): Promise<T | null>;
  set(tenantId: string, accountId: string, day: string, value: unknown): Promise<void>;
  /** Drops the named accounts, or every account of the tenant ("all": a full reconciliation). */
  invalidate(tenantId: string, accountIds: readonly string[] | "all"): Promise<void>;
}

/** One process's cache: a map with expiry, bounded so a 12,000-account portfolio browse cannot grow it forever. */
export function createInProcessAccountCache(options: { now?: () => number; maxEntries?: number } = {}): AccountCache {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 5_000;
  const entries = new Map<string, { value: unknown; day: string; expiresAt: number }>();
  const key = (tenantId: string, accountId: string) => `${tenantId}:${accountId}`;
  return {
    async get<T>(tenantId: string, accountId: string, day: string) {
      const entry = entries.get(key(tenantId, accountId));
      if (!entry || entry.day !== day || entry.expiresAt <= now()) return null;
      return entry.value as T;
    },
    async set(tenantId, accountId, day, value) {
      const k = key(tenantId, accountId);
      entries.delete(k);
      // Oldest first in a Map's order: evict from the front.
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(k, { value, day, expiresAt: now() + accountCacheTtlMs });
    },
    async invalidate(tenantId, accountIds) {
      if (accountIds === "all") {
        for (const k of entries.keys()) if (k.startsWith(`${tenantId}:`)) entries.delete(k);
        return;
      }
      for (const accountId of accountIds) entries.delete(key(tenantId, accountId));
    },
  };
}

/**
 * The shared cache. A tenant-wide invalidation bumps the tenant's generation (one INCR, instead of finding every key);
 * entries of older generations are never read again and expire on their own.
 */
export function createRedisAccountCache(options: { redis: Redis; prefix: string }): AccountCache {
  const { redis, prefix } = options;
  const generationKey = (tenantId: string) => `${prefix}:account-cache:${tenantId}:generation`;
  const generation = async (tenantId: string) => (await redis.get(generationKey(tenantId))) ?? "0";
  const keyIn = (tenantId: string, gen: string, accountId: string) =>
    `${prefix}:account-cache:${tenantId}:${gen}:${accountId}`;
  const entryKey = async (tenantId: string, accountId: string) =>
    keyIn(tenantId, await generation(tenantId), accountId);
  return {
    async get<T>(tenantId: string, accountId: string, day: string) {
      const text = await redis.get(await entryKey(tenantId, accountId));
      if (text === null) return null;
      const stored = JSON.parse(text) as { day: string; value: T };
      return stored.day === day ? stored.value : null;
    },
    async set(tenantId, accountId, day, value) {
      await redis.set(await entryKey(tenantId, accountId), JSON.stringify({ day, value }), "PX", accountCacheTtlMs);
    },
    async invalidate(tenantId, accountIds) {
      if (accountIds === "all") {
        await redis.incr(generationKey(tenantId));
        return;
      }
      if (accountIds.length === 0) return;
      const gen = await generation(tenantId);
      await redis.del(...accountIds.map((accountId) => keyIn(tenantId, gen, accountId)));
    },
  };
}
