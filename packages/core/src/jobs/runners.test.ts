// One behaviour suite run against both JobRunner implementations (in-process and BullMQ on Redis).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  deletePrefix,
  otherTenantId,
  randomPrefix,
  recordingHandlers,
  redisReachable,
  redisUrl,
  servicesRequired,
  silentLog,
  sleep,
  tenantId,
  waitFor,
} from "../../test/jobsTestkit";
import { createBullMqRunner } from "./bullmq.js";
import { InvalidJobPayloadError, type JobPayload, JobTimeoutError, type JobTiming } from "./catalog.js";
import { createInProcessRunner } from "./inProcess.js";
import { type ActiveJob, type JobHandlers, type JobRunner, RunnerClosedError } from "./runner.js";

// Catalog backoffs scaled down 1000x: sync retries after 10 ms, 20 ms, ...; reconcile after 5 ms.
const timing: JobTiming = { backoffScale: 0.001 };

interface Factory {
  create(handlers: JobHandlers, timing: JobTiming): JobRunner;
  cleanup(): Promise<void>;
}

const redisUp = await redisReachable();
const filePrefix = randomPrefix("runners");
let testIndex = 0;
let currentPrefix = filePrefix;

const factories: [string, Factory][] = [
  ["in-process", { create: (h, t) => createInProcessRunner(h, { log: silentLog, ...t }), cleanup: async () => {} }],
  [
    "bullmq",
    {
      create: (h, t) =>
        createBullMqRunner(h, { redisUrl, prefix: currentPrefix, processJobs: true, log: silentLog, ...t }),
      cleanup: () => deletePrefix(currentPrefix),
    },
  ],
];

if (!redisUp) {
  const reason = `Redis unreachable at ${redisUrl}`;
  if (servicesRequired) {
    describe("bullmq runner prerequisites", () => {
      it("needs Redis (RECKON_REQUIRE_SERVICES=1)", () => {
        throw new Error(`${reason}: the BullMQ suite cannot run and services are required`);
      });
    });
  } else {
    console.warn(`Skipping the BullMQ runner suite: ${reason} (set RECKON_REQUIRE_SERVICES=1 to fail instead)`);
    describe.skip(`bullmq runner (skipped: ${reason})`, () => {
      it("runs the behaviour suite", () => {});
    });
  }
}

describe.each(factories.filter(([kind]) => kind === "in-process" || redisUp))("%s runner", (kind, factory) => {
  let harness: ReturnType<typeof recordingHandlers>;
  let runner: JobRunner;
  const open = (t: JobTiming = timing) => {
    runner = factory.create(harness.handlers, t);
    return runner;
  };

  beforeEach(() => {
    currentPrefix = `${filePrefix}-${++testIndex}`;
    harness = recordingHandlers();
  });
  afterEach(async () => {
    await runner?.close();
    await factory.cleanup();
  });

  it("reports its kind", () => {
    expect(open().kind).toBe(kind);
  });

  it("hands the handler the validated payload, its job id and attempt 1", async () => {
    open();
    const payload = { tenantId, source: "stripe", reason: "manual", extra: "dropped" } as JobPayload<"sync.source">;
    const { jobId } = await runner.enqueue("sync.source", payload);
    await runner.drain();
    expect(harness.calls).toHaveLength(1);
    const [call] = harness.calls;
    expect(call?.name).toBe("sync.source");
    expect(call?.payload).toEqual({ tenantId, source: "stripe", reason: "manual" });
    expect(call?.ctx.jobId).toBe(jobId);
    expect(call?.ctx.attempt).toBe(1);
    expect(call?.ctx.signal.aborted).toBe(false);
  });

  it("rejects an invalid payload at enqueue, naming the field, and queues nothing", async () => {
    open();
    const badId = { tenantId: "not-a-uuid", source: "stripe", reason: "manual" } as const;
    await expect(runner.enqueue("sync.source", badId)).rejects.toThrow(InvalidJobPayloadError);
    await expect(runner.enqueue("sync.source", badId)).rejects.toThrow(/sync\.source.*tenantId/);
    const badSource = { tenantId, source: "xero", reason: "manual" } as unknown as JobPayload<"sync.source">;
    await expect(runner.enqueue("sync.source", badSource)).rejects.toThrow(/source/);
    const badAccounts = { tenantId, accountIds: ["x"] };
    await expect(runner.enqueue("reconcile.tenant", badAccounts)).rejects.toThrow(/accountIds\.0/);
    await expect(runner.schedule("k", "sync.tenant", { tenantId, reason: "soon" } as never, 1000)).rejects.toThrow(
      /reason/,
    );
    await runner.drain();
    expect(harness.calls).toHaveLength(0);
  });

  it("retries a failing job with the catalog backoff until it succeeds, counting attempts", async () => {
    open();
    harness.impl = async (_name, _payload, ctx) => {
      if (ctx.attempt < 3) throw new Error(`transient failure ${ctx.attempt}`);
      return "ok";
    };
    const { jobId } = await runner.enqueue("sync.source", { tenantId, source: "quickbooks", reason: "schedule" });
    await runner.drain();
    expect(harness.calls.map((c) => c.ctx.attempt)).toEqual([1, 2, 3]);
    expect(new Set(harness.calls.map((c) => c.ctx.jobId))).toEqual(new Set([jobId]));
  });

  it("stops after the catalog's attempts", async () => {
    open();
    harness.impl = async () => {
      throw new Error("always down");
    };
    await runner.enqueue("reconcile.tenant", { tenantId });
    await runner.drain();
    expect(harness.calls.map((c) => c.ctx.attempt)).toEqual([1, 2, 3]);
  });

  it("does not retry an error with retryable === false", async () => {
    open();
    harness.impl = async () => {
      throw Object.assign(new Error("bad credentials"), { retryable: false });
    };
    await runner.enqueue("sync.source", { tenantId, source: "amplitude", reason: "manual" });
    await runner.drain();
    expect(harness.calls).toHaveLength(1);
  });

  it("waits at least retryAfterMs before the next attempt", async () => {
    open();
    harness.impl = async (_name, _payload, ctx) => {
      if (ctx.attempt === 1) throw Object.assign(new Error("rate limited"), { retryable: true, retryAfterMs: 400 });
    };
    await runner.enqueue("reconcile.tenant", { tenantId });
    await runner.drain();
    const [first, second] = harness.calls;
    expect(harness.calls).toHaveLength(2);
    // The catalog backoff alone would be 5 ms here.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(390);
  });

  it("coalesces jobs with the same dedupeKey while one is waiting", async () => {
    open();
    const key = `sync:${tenantId}:stripe`;
    const payload = { tenantId, source: "stripe", reason: "manual" } as const;
    const a = await runner.enqueue("sync.source", payload, { dedupeKey: key, delayMs: 200 });
    const b = await runner.enqueue("sync.source", payload, { dedupeKey: key, delayMs: 200 });
    const c = await runner.enqueue("sync.source", { ...payload, tenantId: otherTenantId }, { delayMs: 200 });
    expect(b.jobId).toBe(a.jobId);
    expect(c.jobId).not.toBe(a.jobId);
    await runner.drain();
    expect(harness.calls).toHaveLength(2);
    // Once the first has run, the key is free again.
    await runner.enqueue("sync.source", payload, { dedupeKey: key });
    await runner.drain();
    expect(harness.calls).toHaveLength(3);
  });

  it("queues one follow-up for a dedupeKey whose job is running, and never runs the two at once", async () => {
    open();
    const spans: [number, number][] = [];
    harness.impl = async () => {
      const start = Date.now();
      await sleep(150);
      spans.push([start, Date.now()]);
    };
    const key = `reconcile:${tenantId}`;
    await runner.enqueue("reconcile.tenant", { tenantId }, { dedupeKey: key });
    await waitFor(() => harness.calls.length === 1, 5000, "the first job to start");
    const accountIds = [otherTenantId];
    await runner.enqueue("reconcile.tenant", { tenantId }, { dedupeKey: key });
    await runner.enqueue("reconcile.tenant", { tenantId, accountIds }, { dedupeKey: key });
    await runner.drain();
    expect(harness.calls).toHaveLength(2);
    expect(harness.calls[1]?.payload).toEqual({ tenantId, accountIds });
    expect(spans[1]![0]).toBeGreaterThanOrEqual(spans[0]![1]);
  });

  it("fires a schedule repeatedly, is idempotent per key, and unschedule stops it", async () => {
    open();
    const payload = { tenantId, reason: "schedule" } as const;
    await runner.schedule("sync-every", "sync.tenant", payload, 100);
    await runner.schedule("sync-every", "sync.tenant", payload, 100);
    await waitFor(() => harness.calls.length >= 3, 5000, "three scheduled runs");
    await runner.unschedule("sync-every");
    await runner.drain();
    const seen = harness.calls.length;
    expect(harness.calls.every((c) => c.name === "sync.tenant")).toBe(true);
    expect(harness.calls[0]?.payload).toEqual(payload);
    // Registered twice under one key: ticks must not double up (at most one run per 100 ms tick, plus slack).
    const first = harness.calls[0]!.at;
    const last = harness.calls[seen - 1]!.at;
    expect(seen).toBeLessThanOrEqual(Math.floor((last - first) / 100) + 2);
    await sleep(400);
    expect(harness.calls.length).toBe(seen);
  });

  it("registering a schedule again leaves its next run alone, unless the interval changed", async () => {
    open();
    const payload = { tenantId, reason: "schedule" } as const;
    await runner.schedule("again", "sync.tenant", payload, 60_000);
    const next = await runner.nextRun!("again");
    expect(next).not.toBeNull();
    await sleep(30);
    await runner.schedule("again", "sync.tenant", payload, 60_000);
    expect(await runner.nextRun!("again")).toEqual(next);
    await runner.schedule("again", "sync.tenant", payload, 120_000);
    expect((await runner.nextRun!("again"))!.getTime()).toBeGreaterThan(next!.getTime());
    await runner.unschedule("again");
  });

  it("lists the attempts running now and tells when each has ended", async () => {
    open();
    const ended: ActiveJob[] = [];
    const stopListening = runner.onJobEnded!((job) => ended.push(job));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    harness.impl = async (_name, _payload, ctx) => {
      if (ctx.attempt === 1) throw new Error("first attempt fails");
      await gate;
    };
    const payload = { tenantId, source: "stripe", reason: "manual" } as const;
    expect(await runner.activeJobs!()).toEqual([]);
    await runner.enqueue("sync.source", payload);
    await waitFor(() => harness.calls.length === 2, 5000, "the retry to start");
    expect(await runner.activeJobs!()).toContainEqual({ name: "sync.source", payload });
    // The failed first attempt has ended (it is to be retried); the retry is still running.
    await waitFor(() => ended.length === 1, 5000, "the first attempt's end");
    expect(ended).toEqual([{ name: "sync.source", payload }]);
    release();
    await runner.drain();
    await waitFor(() => ended.length === 2, 5000, "the retry's end");
    expect(await runner.activeJobs!()).toEqual([]);
    stopListening();
  });

  it("drain waits for running work, including retries", async () => {
    open();
    let finished = false;
    harness.impl = async (_name, _payload, ctx) => {
      await sleep(200);
      if (ctx.attempt === 1) throw new Error("once");
      finished = true;
    };
    await runner.enqueue("reconcile.tenant", { tenantId });
    await waitFor(() => harness.calls.length === 1, 5000, "the job to start");
    await runner.drain();
    expect(finished).toBe(true);
  });

  it("aborts the signal and fails the attempt on timeout, then retries", async () => {
    open({ ...timing, timeoutMs: { "reconcile.tenant": 100 } });
    const reasons: unknown[] = [];
    harness.impl = (_name, _payload, ctx) =>
      new Promise((resolve) => {
        ctx.signal.addEventListener("abort", () => {
          reasons.push(ctx.signal.reason);
          resolve(undefined);
        });
      });
    await runner.enqueue("reconcile.tenant", { tenantId });
    await runner.drain();
    expect(harness.calls.map((c) => c.ctx.attempt)).toEqual([1, 2, 3]);
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toBeInstanceOf(JobTimeoutError);
  });

  it("close waits for the running job, then refuses new work", async () => {
    open();
    let finished = false;
    harness.impl = async (_name, _payload, ctx) => {
      ctx.progress("halfway", 0.5);
      await sleep(200);
      finished = true;
    };
    await runner.schedule("closing", "sync.tenant", { tenantId, reason: "schedule" }, 60_000);
    await runner.enqueue("sync.tenant", { tenantId, reason: "startup" });
    await waitFor(() => harness.calls.length === 1, 5000, "the job to start");
    await runner.close();
    expect(finished).toBe(true);
    await expect(runner.enqueue("sync.tenant", { tenantId, reason: "manual" })).rejects.toThrow(RunnerClosedError);
  });
});
