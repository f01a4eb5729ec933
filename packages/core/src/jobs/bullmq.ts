// The production job runner: one BullMQ queue per catalog queue on Redis; workers only where processJobs is set.
import { type JobsOptions, type Job as MqJob, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type pino from "pino";
import {
  isJobName,
  isRetryable,
  type JobName,
  type JobPayload,
  type JobTiming,
  jobCatalog,
  jobLogFields,
  jobPolicy,
  jobQueues,
  parsePayload,
  type QueueName,
  retryDelayMs,
} from "./catalog.js";
import {
  type ActiveJob,
  type EnqueueOptions,
  executeJob,
  type JobHandlers,
  type JobRunner,
  RunnerClosedError,
} from "./runner.js";

export interface BullMqRunnerOptions extends JobTiming {
  redisUrl: string;
  /** Redis key prefix (default "reckon"); tests pass a random one to isolate themselves. */
  prefix?: string;
  /** Jobs processed at once per queue by this process's worker. Default 2. */
  concurrency?: number;
  /** false: an API process that only enqueues and schedules. */
  processJobs: boolean;
  log: pino.Logger;
  /** How often `drain` polls the job counts. Default 50 ms. */
  drainPollMs?: number;
}

/** The backoff type stored on every job; the worker's strategy reads the catalog (and the error's retryAfterMs). */
const BACKOFF_TYPE = "reckon";
const queueNames = Object.keys(jobQueues) as QueueName[];

export function createBullMqRunner(handlers: JobHandlers, options: BullMqRunnerOptions): JobRunner {
  const prefix = options.prefix ?? "reckon";
  const log = options.log.child({ runner: "bullmq", prefix });
  const onRedisError = (err: unknown) => log.error({ err }, "redis connection error");
  // Producers fail a command after a few reconnect tries (an API request should error, not hang);
  // workers must block on Redis indefinitely, which BullMQ requires `maxRetriesPerRequest: null` for.
  const queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 }).on("error", onRedisError);
  const workerConnection = options.processJobs
    ? new Redis(options.redisUrl, { maxRetriesPerRequest: null }).on("error", onRedisError)
    : undefined;

  const queues = new Map<QueueName, Queue>(
    queueNames.map((name) => [name, new Queue(name, { connection: queueConnection, prefix })]),
  );
  const queueOf = (name: JobName): Queue => queues.get(jobCatalog[name].queue)!;
  /** Attempts this process is running: still live when Redis restarted empty and forgot them. */
  const running = new Set<ActiveJob>();
  const endedListeners = new Set<(job: ActiveJob) => void>();
  const jobEnded = (job: MqJob | undefined) => {
    if (!job || !isJobName(job.name)) return;
    for (const listener of endedListeners) {
      try {
        listener({ name: job.name, payload: job.data });
      } catch (err) {
        log.error({ err }, "job-ended listener failed");
      }
    }
  };

  function jobOptions(name: JobName): JobsOptions {
    return {
      attempts: jobPolicy(name, options).attempts,
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    };
  }

  async function processJob(job: MqJob, _token?: string, signal?: AbortSignal): Promise<unknown> {
    const attempt = job.attemptsMade + 1;
    const jobLog = log.child(jobLogFields(job.id ?? "", job.name, attempt, job.data));
    if (!isJobName(job.name)) throw new UnrecoverableError(`Unknown job name "${job.name}"`);
    const policy = jobPolicy(job.name, options);
    let payload: unknown;
    try {
      payload = parsePayload(job.name, job.data);
    } catch (err) {
      jobLog.error({ err }, "stored payload no longer matches the catalog");
      throw new UnrecoverableError((err as Error).message);
    }
    const attemptRunning: ActiveJob = { name: job.name, payload };
    running.add(attemptRunning);
    try {
      return await executeJob(handlers, {
        name: job.name,
        payload,
        jobId: job.id ?? "",
        attempt,
        timeoutMs: policy.timeoutMs,
        log: jobLog,
        signal,
        progress: (message, fraction) => {
          jobLog.info({ fraction }, message);
          job.updateProgress({ message, fraction }).catch((err: unknown) => jobLog.warn({ err }, "progress failed"));
        },
      });
    } catch (err) {
      const retry = isRetryable(err) && attempt < policy.attempts;
      jobLog[retry ? "warn" : "error"]({ err }, retry ? "job failed, will retry" : "job failed");
      // BullMQ fails an UnrecoverableError at once, whatever attempts remain.
      if (!isRetryable(err)) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      running.delete(attemptRunning);
    }
  }

  const workers = options.processJobs
    ? queueNames.map((name) =>
        new Worker(name, processJob, {
          connection: workerConnection!,
          prefix,
          concurrency: Math.max(1, options.concurrency ?? 2),
          settings: {
            backoffStrategy: (attemptsMade, _type, err, job) =>
              job && isJobName(job.name) ? retryDelayMs(jobPolicy(job.name, options), attemptsMade, err) : -1,
          },
        })
          .on("error", (err) => log.error({ err, queue: name }, "worker error"))
          // Emitted once the attempt has left Redis's active list (moved to completed, failed or delayed).
          .on("completed", (job) => jobEnded(job))
          .on("failed", (job) => jobEnded(job)),
      )
    : [];

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new RunnerClosedError("bullmq");
  };

  /**
   * Jobs still to run on a queue. Each job scheduler always keeps its next iteration delayed, so a queue is idle when
   * nothing is waiting or active and the delayed jobs are no more than its schedulers. One atomic count per queue:
   * while an iteration runs it is active; a retrying job or a `delayMs` job pushes delayed above the schedulers.
   */
  async function outstanding(queue: Queue): Promise<number> {
    const [counts, schedulers] = await Promise.all([
      queue.getJobCounts("waiting", "active", "prioritized", "waiting-children", "delayed"),
      queue.getJobSchedulersCount(),
    ]);
    const { delayed = 0, ...rest } = counts;
    return Object.values(rest).reduce((sum, n) => sum + n, 0) + Math.max(0, delayed - schedulers);
  }

  return {
    kind: "bullmq",

    async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts: EnqueueOptions = {}) {
      assertOpen();
      const parsed = parsePayload(name, payload);
      const job = await queueOf(name).add(name, parsed, {
        ...jobOptions(name),
        ...(opts.delayMs && opts.delayMs > 0 ? { delay: opts.delayMs } : {}),
        // keepLastIfActive: while the key's job runs, one follow-up is queued to start after it, never alongside.
        ...(opts.dedupeKey !== undefined ? { deduplication: { id: opts.dedupeKey, keepLastIfActive: true } } : {}),
      });
      return { jobId: job.id ?? "" };
    },

    async schedule<N extends JobName>(key: string, name: N, payload: JobPayload<N>, everyMs: number) {
      assertOpen();
      const parsed = parsePayload(name, payload);
      const target = queueOf(name);
      // A key lives in one queue: moving a schedule to a job on another queue removes the old one.
      await Promise.all([...queues.values()].filter((q) => q !== target).map((q) => q.removeJobScheduler(key)));
      // Same key, job, interval and payload already registered (a restart, another process): leave its timing alone.
      const existing = await target.getJobScheduler(key);
      const same =
        existing?.name === name &&
        existing.every === everyMs &&
        JSON.stringify(existing.template?.data) === JSON.stringify(parsed);
      if (same) return;
      // First run one interval from now, like the in-process runner (BullMQ would otherwise run it at once).
      await target.upsertJobScheduler(
        key,
        { every: everyMs, startDate: Date.now() + everyMs },
        { name, data: parsed, opts: jobOptions(name) },
      );
    },

    async unschedule(key: string) {
      assertOpen();
      await Promise.all([...queues.values()].map((q) => q.removeJobScheduler(key)));
    },

    async nextRun(key: string) {
      for (const queue of queues.values()) {
        const scheduler = await queue.getJobScheduler(key);
        if (scheduler?.next !== undefined) return new Date(scheduler.next);
      }
      return null;
    },

    async activeJobs() {
      const listed = await Promise.all([...queues.values()].map((q) => q.getActive()));
      const fromRedis = listed
        .flat()
        .flatMap((job): ActiveJob[] => (isJobName(job.name) ? [{ name: job.name, payload: job.data }] : []));
      return [...fromRedis, ...running];
    },

    onJobEnded(listener) {
      endedListeners.add(listener);
      return () => endedListeners.delete(listener);
    },

    async depth() {
      const states = ["waiting", "active", "delayed", "failed"] as const;
      const perQueue = await Promise.all(
        [...queues.entries()].map(async ([queue, q]) => {
          const counts = await q.getJobCounts(...states);
          return states.map((state) => ({ queue, state, count: counts[state] ?? 0 }));
        }),
      );
      return perQueue.flat();
    },

    async drain() {
      const pollMs = options.drainPollMs ?? 50;
      for (;;) {
        const counts = await Promise.all([...queues.values()].map(outstanding));
        if (counts.every((n) => n === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      // Worker.close waits for the jobs it is running; what is still queued stays in Redis for the next worker.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await Promise.all([queueConnection, workerConnection].map((c) => c?.quit().catch(() => c.disconnect())));
    },
  };
}
