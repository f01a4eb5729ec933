// The JobRunner interface both runners implement, plus the timeout-and-abort wrapper they share.
import type pino from "pino";
import { type JobName, type JobPayload, JobTimeoutError } from "./catalog.js";

export interface JobContext {
  jobId: string;
  /** 1 on the first try, 2 on the first retry, ... */
  attempt: number;
  log: pino.Logger;
  progress(message: string, fraction?: number): void;
  /** Aborted on timeout (reason: JobTimeoutError) or when the runner cancels the job. */
  signal: AbortSignal;
}

export type JobHandlers = { [N in JobName]: (payload: JobPayload<N>, ctx: JobContext) => Promise<unknown> };

export interface EnqueueOptions {
  /** A job with the same key that is still waiting (or delayed) is not queued twice; its id is returned. */
  dedupeKey?: string;
  delayMs?: number;
}

/** A job attempt that is running now: which job, for which payload. */
export interface ActiveJob {
  name: JobName;
  payload: unknown;
}

export interface JobRunner {
  readonly kind: "in-process" | "bullmq";
  /** Validates the payload with the catalog schema (throws a typed error naming the problem), then queues it. `dedupeKey`: a job with the same key that is still waiting is not queued twice. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: EnqueueOptions): Promise<{ jobId: string }>;
  /**
   * A repeatable job (e.g. sync every 5 minutes per tenant); `key` makes it idempotent across restarts and processes:
   * registering the same key, job, payload and interval again leaves its timing alone, so it is safe to repeat.
   */
  schedule<N extends JobName>(key: string, name: N, payload: JobPayload<N>, everyMs: number): Promise<void>;
  unschedule(key: string): Promise<void>;
  /** When the repeatable job `key` runs next, or null when no such schedule exists (sync status). */
  nextRun?(key: string): Promise<Date | null>;
  /** Jobs per queue and state, for the `job_queue_depth` metric (read on scrape). */
  depth?(): Promise<Array<{ queue: string; state: string; count: number }>>;
  /**
   * The job attempts running now. BullMQ: every worker's on this prefix (read from Redis; a job whose worker died stays
   * listed until BullMQ's stalled check hands it on, about 30-60 s) plus this process's own, which Redis may have lost
   * (restarted empty). In-process: this process's. Rejects when it cannot tell (Redis unreachable).
   */
  activeJobs?(): Promise<ActiveJob[]>;
  /**
   * Calls `listener` after each job attempt this process ran has ended (completed, failed, or failed and to be retried)
   * and left the active jobs. Returns a function that removes the listener.
   */
  onJobEnded?(listener: (job: ActiveJob) => void): () => void;
  /** Resolves when nothing is queued or running (tests, start-up). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by `enqueue`/`schedule` on a runner that is closing or closed. */
export class RunnerClosedError extends Error {
  override readonly name = "RunnerClosedError";
  constructor(kind: string) {
    super(`The ${kind} job runner is closed`);
  }
}

export interface Execution {
  name: JobName;
  payload: unknown;
  jobId: string;
  attempt: number;
  timeoutMs: number;
  log: pino.Logger;
  progress(message: string, fraction?: number): void;
  /** Aborts the job from outside (e.g. BullMQ cancellation). */
  signal?: AbortSignal;
}

/**
 * Runs a handler with an AbortSignal that fires on timeout. The returned promise settles at the timeout even if the
 * handler ignores its signal, so a stuck handler cannot hold a worker slot forever.
 */
export async function executeJob(handlers: JobHandlers, run: Execution): Promise<unknown> {
  const controller = new AbortController();
  const timeout = new JobTimeoutError(run.name, run.timeoutMs);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason);
    controller.signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => {});
  const timer = setTimeout(() => controller.abort(timeout), run.timeoutMs);
  const forward = () => controller.abort(run.signal?.reason);
  if (run.signal?.aborted) forward();
  else run.signal?.addEventListener("abort", forward, { once: true });
  const handler = handlers[run.name] as (payload: unknown, ctx: JobContext) => Promise<unknown>;
  const ctx: JobContext = {
    jobId: run.jobId,
    attempt: run.attempt,
    log: run.log,
    progress: run.progress,
    signal: controller.signal,
  };
  try {
    return await Promise.race([Promise.resolve().then(() => handler(run.payload, ctx)), aborted]);
  } finally {
    clearTimeout(timer);
    run.signal?.removeEventListener("abort", forward);
    if (onAbort) controller.signal.removeEventListener("abort", onAbort);
  }
}
