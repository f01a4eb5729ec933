// Test helpers for the job runners: recording handlers, a Redis probe, per-test key prefixes and cleanup.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pino from "pino";
import { type JobName, jobNames } from "../src/jobs/catalog.js";
import type { JobContext, JobHandlers } from "../src/jobs/runner.js";

export const silentLog = pino({ level: process.env.JOBS_TEST_LOG ?? "silent" });
export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const servicesRequired = process.env.RECKON_REQUIRE_SERVICES === "1";

export interface Call {
  name: JobName;
  payload: unknown;
  ctx: JobContext;
  at: number;
}
type Impl = (name: JobName, payload: unknown, ctx: JobContext) => Promise<unknown>;

/** Handlers that record every call and delegate to `impl`, which a test replaces. */
export function recordingHandlers() {
  const calls: Call[] = [];
  const harness = {
    calls,
    impl: (async () => undefined) as Impl,
    handlers: undefined as unknown as JobHandlers,
  };
  const record = (name: JobName) => async (payload: unknown, ctx: JobContext) => {
    calls.push({ name, payload, ctx, at: Date.now() });
    return harness.impl(name, payload, ctx);
  };
  harness.handlers = Object.fromEntries(jobNames.map((name) => [name, record(name)])) as JobHandlers;

  return harness;
}

/** Resolves true when Redis answers PING within a second; never retries. */
export async function redisReachable(url = redisUrl): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function randomPrefix(label: string): string {
  return `reckon-test-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under a BullMQ prefix. */
export async function deletePrefix(prefix: string, url = redisUrl): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    await client.quit();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `predicate` holds or fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const tenantId = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
export const otherTenantId = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";
