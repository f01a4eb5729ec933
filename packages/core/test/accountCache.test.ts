// The account cache on the real path: a second account read is served without recomputing, a reconciliation of the
// account drops it; in-process and in Redis (two caches on one Redis stand for two API processes).
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPglite } from "@reckon/db/testing";
import type { RunningSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccountDetail } from "../src/accounts/getAccountDetail";
import {
  type AccountCache,
  accountCacheTtlMs,
  createInProcessAccountCache,
  createRedisAccountCache,
} from "../src/cache/accountCache";
import type { TenantContext } from "../src/context";
import { reconcileTenant } from "../src/reconcile/reconcileTenant";
import { runSourceSync } from "../src/sync/runSourceSync";
import { deletePrefix, randomPrefix, redisReachable, redisUrl, servicesRequired } from "./jobsTestkit";
import { connectTenant, smallScenario } from "./pipeline";

const redisUp = await redisReachable();
if (!redisUp && !servicesRequired) {
  console.warn(`Skipping the Redis account cache: Redis unreachable at ${redisUrl} (RECKON_REQUIRE_SERVICES=1 fails)`);
}

let database: DatabaseHandle;
let sandbox: RunningSandbox;
let base: TenantContext;
let accountId: string;

beforeAll(async () => {
  database = await freshPglite();
  ({ ctx: base, sandbox } = await connectTenant(database, smallScenario(5, 8, 2)));
  for (const source of ["quickbooks", "stripe", "amplitude"] as const)
    await runSourceSync({ ctx: base, input: { source } });
  await reconcileTenant({ ctx: base, input: {} });
  const [row] = await queryRows<{ account_id: string }>(
    base.tenant.db,
    sql`select account_id from reconciliation_results where tenant_id = ${base.tenant.tenantId}::uuid limit 1`,
  );
  accountId = row!.account_id;
});
afterAll(async () => {
  await sandbox.stop();
  await database.close();
});

/** Rewrites the stored explanations behind reconciliation's back: only a recomputed read can see it. */
const rewriteBehindTheCache = (text: string) =>
  queryRows(
    base.tenant.db,
    sql`update reconciliation_results set explanation = ${text}
        where tenant_id = ${base.tenant.tenantId}::uuid and account_id = ${accountId}::uuid`,
  );

async function servesThenInvalidates(reader: TenantContext, writer: TenantContext) {
  const first = await getAccountDetail({ ctx: reader, input: { accountId } });
  const original = first!.reconciliation[0]!.explanation;
  await rewriteBehindTheCache("changed behind the cache");
  const second = await getAccountDetail({ ctx: reader, input: { accountId } });
  expect(second!.reconciliation[0]!.explanation).toBe(original);
  // Live parts are never cached: the banners follow the sources at once.
  expect(second!.freshness).toEqual(first!.freshness);

  // Reconciling the account (in another process, for Redis) rewrites it (computed_at moves) and drops the cached answer.
  expect(second!.reconciliation[0]!.computedAt).toBe(first!.reconciliation[0]!.computedAt);
  await reconcileTenant({ ctx: writer, input: { accountIds: [accountId] } });
  const third = await getAccountDetail({ ctx: reader, input: { accountId } });
  expect(third!.reconciliation[0]!.computedAt).not.toBe(first!.reconciliation[0]!.computedAt);
  expect(third!.reconciliation[0]!.explanation).toBe(original);
  // A tenant-wide invalidation drops it too.
  await rewriteBehindTheCache("changed again");
  expect((await getAccountDetail({ ctx: reader, input: { accountId } }))!.reconciliation[0]!.explanation).toBe(
    original,
  );
  await writer.accountCache!.invalidate(base.tenant.tenantId, "all");
  const fifth = await getAccountDetail({ ctx: reader, input: { accountId } });
  expect(fifth!.reconciliation[0]!.explanation).toBe("changed again");
  await reconcileTenant({ ctx: writer, input: { accountIds: [accountId] } });
}

describe("the account cache", () => {
  it("in-process: serves a second read from the cache and drops it when reconciliation rewrites the account", async () => {
    const ctx = { ...base, accountCache: createInProcessAccountCache() };
    await servesThenInvalidates(ctx, ctx);
  });

  it("in-process: an entry expires after 15 minutes and is kept per day", async () => {
    let now = 0;
    const cache = createInProcessAccountCache({ now: () => now });
    await cache.set("t", "a", "2026-11-25", { n: 1 });
    expect(await cache.get("t", "a", "2026-11-25")).toEqual({ n: 1 });
    expect(await cache.get("t", "a", "2026-11-26")).toBeNull();
    now = accountCacheTtlMs - 1;
    expect(await cache.get("t", "a", "2026-11-25")).toEqual({ n: 1 });
    now = accountCacheTtlMs;
    expect(await cache.get("t", "a", "2026-11-25")).toBeNull();
  });

  describe.skipIf(!redisUp && !servicesRequired)("in Redis", () => {
    const prefix = randomPrefix("account-cache");
    const clients: Redis[] = [];
    const open = (): AccountCache => {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      clients.push(redis);
      return createRedisAccountCache({ redis, prefix });
    };
    afterAll(async () => {
      await deletePrefix(prefix);
      await Promise.all(clients.map((c) => c.quit()));
    });

    it("one API process caches, another process's reconciliation invalidates it for both", async () => {
      const reader = { ...base, accountCache: open() };
      const writer = { ...base, accountCache: open() };
      await servesThenInvalidates(reader, writer);
    });

    it("expires entries with a 15-minute TTL", async () => {
      const cache = open();
      await cache.set("t", "a", "2026-11-25", { n: 1 });
      const ttl = await clients.at(-1)!.pttl(`${prefix}:account-cache:t:0:a`);
      expect(ttl).toBeGreaterThan(accountCacheTtlMs - 60_000);
      expect(ttl).toBeLessThanOrEqual(accountCacheTtlMs);
    });
  });
});
