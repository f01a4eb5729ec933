// BullMQ runner across processes: two workers on one prefix run each job once and share one schedule per key.
import { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import {
  deletePrefix,
  randomPrefix,
  recordingHandlers,
  redisReachable,
  redisUrl,
  servicesRequired,
  silentLog,
  sleep,
  tenantId,
} from "../../test/jobsTestkit";
import { createBullMqRunner } from "./bullmq.js";
import type { JobRunner } from "./runner.js";

const redisUp = await redisReachable();
const reason = `Redis unreachable at ${redisUrl}`;
if (!redisUp && !servicesRequired) {
  console.warn(`Skipping the BullMQ multi-runner tests: ${reason} (set RECKON_REQUIRE_SERVICES=1 to fail instead)`);
}

describe.skipIf(!redisUp && !servicesRequired)(
  `bullmq runners sharing a prefix${redisUp ? "" : ` (${reason})`}`,
  () => {
    const prefix = randomPrefix("shared");
    const runners: JobRunner[] = [];
    const harness = recordingHandlers();
    const open = (processJobs: boolean) => {
      const runner = createBullMqRunner(harness.handlers, {
        redisUrl,
        prefix,
        processJobs,
        concurrency: 3,
        log: silentLog,
        backoffScale: 0.001,
      });
      runners.push(runner);
      return runner;
    };

    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.close()));
      if (redisUp) await deletePrefix(prefix);
      harness.calls.length = 0;
    });

    it("needs Redis", () => {
      if (!redisUp) throw new Error(`${reason}: the BullMQ suite cannot run and RECKON_REQUIRE_SERVICES=1`);
    });

    // Without Redis only the test above runs (and fails): the rest would just hang on reconnects.
    it.runIf(redisUp)("runs each job exactly once across two workers; an API-only runner just enqueues", async () => {
      const [a, b, api] = [open(true), open(true), open(false)];
      harness.impl = async () => sleep(5);
      const ids = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          [a, b, api][i % 3]!.enqueue("reconcile.tenant", { tenantId }).then((r) => r.jobId),
        ),
      );
      await api.drain();
      expect(new Set(ids).size).toBe(30);
      const ran = harness.calls.map((c) => c.ctx.jobId);
      expect(ran).toHaveLength(30);
      expect(new Set(ran)).toEqual(new Set(ids));
    });

    it.runIf(redisUp)("keeps one scheduler per key when two processes register it", async () => {
      const [a, b] = [open(true), open(true)];
      const payload = { tenantId, reason: "schedule" } as const;
      await Promise.all([
        a.schedule("tenant-sync", "sync.tenant", payload, 60_000),
        b.schedule("tenant-sync", "sync.tenant", payload, 60_000),
      ]);
      await b.schedule("tenant-sync", "sync.tenant", payload, 60_000);
      const inspect = new Queue("sync", { connection: { url: redisUrl }, prefix });
      try {
        const schedulers = await inspect.getJobSchedulers();
        expect(schedulers.map((s) => s.key)).toEqual(["tenant-sync"]);
        expect(await inspect.getJobCountByTypes("delayed")).toBe(1);
        await a.unschedule("tenant-sync");
        expect(await inspect.getJobSchedulersCount()).toBe(0);
      } finally {
        await inspect.close();
      }
      await a.drain();
      expect(harness.calls).toHaveLength(0);
    });
  },
);
