// Every line a job logs, on either runner, carries its job id, job name, tenant and attempt.
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  deletePrefix,
  randomPrefix,
  recordingHandlers,
  redisReachable,
  redisUrl,
  servicesRequired,
  tenantId,
} from "../../test/jobsTestkit";
import { createBullMqRunner } from "./bullmq.js";
import { createInProcessRunner } from "./inProcess.js";
import type { JobRunner } from "./runner.js";

const redisUp = await redisReachable();
const prefix = randomPrefix("joblog");

/** A logger whose JSON lines land in `lines`. */
function capturingLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, log };
}

const runners: Array<[string, boolean, (h: ReturnType<typeof recordingHandlers>, log: pino.Logger) => JobRunner]> = [
  ["in-process", true, (h, log) => createInProcessRunner(h.handlers, { log, backoffScale: 0.001 })],
  [
    "bullmq",
    redisUp || servicesRequired,
    (h, log) => createBullMqRunner(h.handlers, { redisUrl, prefix, processJobs: true, log, backoffScale: 0.001 }),
  ],
];

describe.each(runners)("job log lines on the %s runner", (_name, available, create) => {
  let runner: JobRunner | null = null;
  afterEach(async () => {
    await runner?.close();
    await deletePrefix(prefix).catch(() => {});
  });

  it.runIf(available)("carry jobId, job, tenantId and attempt, on the handler's own lines and on retries", async () => {
    expect(redisUp || _name === "in-process", `Redis unreachable at ${redisUrl}`).toBe(true);
    const harness = recordingHandlers();
    harness.impl = async (_job, _payload, ctx) => {
      ctx.log.info({ step: "pulling" }, "handler line");
      if (ctx.attempt === 1) throw Object.assign(new Error("provider 503"), { retryable: true });
    };
    const { lines, log } = capturingLog();
    runner = create(harness, log);
    const { jobId } = await runner.enqueue("sync.source", { tenantId, source: "stripe", reason: "manual" });
    await runner.drain();
    const handlerLines = lines.filter((l) => l.msg === "handler line");
    expect(handlerLines.map((l) => l.attempt)).toEqual([1, 2]);
    for (const line of handlerLines) {
      expect(line).toMatchObject({ jobId, job: "sync.source", tenantId });
    }
    expect(lines.find((l) => l.msg === "job failed, will retry")).toMatchObject({ jobId, tenantId, attempt: 1 });
  });
});
