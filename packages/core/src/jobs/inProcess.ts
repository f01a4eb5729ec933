// The embedded job runner: an in-memory queue per catalog queue, with retries, timeouts, dedupe and schedules.
import type pino from "pino";
import {
  isRetryable,
  type JobName,
  type JobPayload,
  type JobPolicy,
  type JobTiming,
  jobLogFields,
  jobPolicy,
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

export interface InProcessRunnerOptions extends JobTiming {
  /** Jobs running at once per catalog queue (like one BullMQ worker per queue). Default 2. */
  concurrency?: number;
  log: pino.Logger;
}

interface Entry {
  id: string;
  name: JobName;
  payload: unknown;
  policy: JobPolicy;
  attempt: number;
  dedupeKey?: string;
  timer?: NodeJS.Timeout;
  onSettled?: () => void;
}

export function createInProcessRunner(handlers: JobHandlers, options: InProcessRunnerOptions): JobRunner {
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const log = options.log.child({ runner: "in-process" });
  const ready = new Map<QueueName, Entry[]>();
  const running = new Map<QueueName, number>();
  const delayed = new Set<Entry>();
  const runningKeys = new Set<string>();
  /** dedupeKey -> the entry with that key that has not started yet (waiting or delayed). */
  const pending = new Map<string, Entry>();
  const schedules = new Map<
    string,
    { timer: NodeJS.Timeout; inFlight: boolean; startedAt: number; everyMs: number; job: string }
  >();
  const active = new Set<Promise<void>>();
  const runningEntries = new Set<Entry>();
  const endedListeners = new Set<(job: ActiveJob) => void>();
  let idleWaiters: (() => void)[] = [];
  let nextId = 1;
  let closed = false;

  const totalRunning = () => [...running.values()].reduce((a, b) => a + b, 0);
  const totalReady = () => [...ready.values()].reduce((a, b) => a + b.length, 0);

  function checkIdle(): void {
    if (totalRunning() > 0 || delayed.size > 0 || totalReady() > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function makeReady(entry: Entry): void {
    delayed.delete(entry);
    entry.timer = undefined;
    const list = ready.get(entry.policy.queue) ?? [];
    list.push(entry);
    ready.set(entry.policy.queue, list);
    pump(entry.policy.queue);
  }

  function delay(entry: Entry, ms: number): void {
    delayed.add(entry);
    entry.timer = setTimeout(() => makeReady(entry), ms);
  }

  function pump(queue: QueueName): void {
    const list = ready.get(queue) ?? [];
    while (!closed && (running.get(queue) ?? 0) < concurrency) {
      // Never two runs of one dedupeKey at once: a key's next run waits for the current one to finish.
      const index = list.findIndex((e) => e.dedupeKey === undefined || !runningKeys.has(e.dedupeKey));
      if (index < 0) break;
      const [entry] = list.splice(index, 1);
      if (entry) start(entry);
    }
    checkIdle();
  }

  function start(entry: Entry): void {
    const queue = entry.policy.queue;
    running.set(queue, (running.get(queue) ?? 0) + 1);
    if (entry.dedupeKey !== undefined) {
      if (pending.get(entry.dedupeKey) === entry) pending.delete(entry.dedupeKey);
      runningKeys.add(entry.dedupeKey);
    }
    const jobLog = log.child(jobLogFields(entry.id, entry.name, entry.attempt, entry.payload));
    runningEntries.add(entry);
    const run = executeJob(handlers, {
      name: entry.name,
      payload: entry.payload,
      jobId: entry.id,
      attempt: entry.attempt,
      timeoutMs: entry.policy.timeoutMs,
      log: jobLog,
      progress: (message, fraction) => jobLog.info({ fraction }, message),
    }).then(
      () => {
        jobLog.debug("job completed");
        return true;
      },
      (error: unknown) => {
        const retry = !closed && isRetryable(error) && entry.attempt < entry.policy.attempts;
        if (!retry) {
          jobLog.error({ err: error }, "job failed");
          return true;
        }
        const ms = retryDelayMs(entry.policy, entry.attempt, error);
        jobLog.warn({ err: error, retryInMs: ms }, "job failed, will retry");
        entry.attempt += 1;
        if (entry.dedupeKey !== undefined && !pending.has(entry.dedupeKey)) pending.set(entry.dedupeKey, entry);
        delay(entry, ms);
        return false;
      },
    );
    // The payload as this attempt ran it (a deduped follow-up may replace entry.payload before it runs again).
    const attempt: ActiveJob = { name: entry.name, payload: entry.payload };
    const done = run.then((settled) => {
      running.set(queue, (running.get(queue) ?? 1) - 1);
      runningEntries.delete(entry);
      if (entry.dedupeKey !== undefined) runningKeys.delete(entry.dedupeKey);
      if (settled) entry.onSettled?.();
      for (const listener of endedListeners) {
        try {
          listener(attempt);
        } catch (err) {
          log.error({ err }, "job-ended listener failed");
        }
      }
      active.delete(done);
      pump(queue);
    });
    active.add(done);
  }

  function add(name: JobName, payload: unknown, opts: EnqueueOptions & { onSettled?: () => void }): Entry {
    if (opts.dedupeKey !== undefined) {
      const existing = pending.get(opts.dedupeKey);
      // Waiting behind a running job of its key: keep the latest payload (as BullMQ's keepLastIfActive does).
      if (existing && runningKeys.has(opts.dedupeKey) && !delayed.has(existing)) existing.payload = payload;
      if (existing) return existing;
    }
    const entry: Entry = {
      id: String(nextId++),
      name,
      payload,
      policy: jobPolicy(name, options),
      attempt: 1,
      dedupeKey: opts.dedupeKey,
      onSettled: opts.onSettled,
    };
    if (opts.dedupeKey !== undefined) pending.set(opts.dedupeKey, entry);
    if (opts.delayMs && opts.delayMs > 0) delay(entry, opts.delayMs);
    else makeReady(entry);
    return entry;
  }

  return {
    kind: "in-process",

    async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts: EnqueueOptions = {}) {
      if (closed) throw new RunnerClosedError("in-process");
      const parsed = parsePayload(name, payload);
      return { jobId: add(name, parsed, opts).id };
    },

    async schedule<N extends JobName>(key: string, name: N, payload: JobPayload<N>, everyMs: number) {
      if (closed) throw new RunnerClosedError("in-process");
      const parsed = parsePayload(name, payload);
      const job = JSON.stringify([name, parsed]);
      const previous = schedules.get(key);
      // Same key, job, payload and interval (a periodic re-registration): leave its timing alone, as BullMQ does.
      if (previous && previous.job === job && previous.everyMs === everyMs) return;
      if (previous) clearInterval(previous.timer);
      const state = {
        timer: undefined as unknown as NodeJS.Timeout,
        inFlight: previous?.inFlight ?? false,
        startedAt: Date.now(),
        everyMs,
        job,
      };
      state.timer = setInterval(() => {
        if (closed || schedules.get(key) !== state) return;
        if (state.inFlight) {
          log.debug({ scheduleKey: key, job: name }, "previous scheduled run still in flight, skipping tick");
          return;
        }
        state.inFlight = true;
        add(name, parsed, {
          onSettled: () => {
            state.inFlight = false;
          },
        });
      }, everyMs);
      state.timer.unref();
      schedules.set(key, state);
    },

    async unschedule(key: string) {
      const state = schedules.get(key);
      if (state) clearInterval(state.timer);
      schedules.delete(key);
    },

    async nextRun(key: string) {
      const state = schedules.get(key);
      if (!state) return null;
      // setInterval fires every `everyMs` from when it was set: the next tick after now.
      const ticks = Math.floor((Date.now() - state.startedAt) / state.everyMs) + 1;
      return new Date(state.startedAt + ticks * state.everyMs);
    },

    async activeJobs() {
      return [...runningEntries].map((entry) => ({ name: entry.name, payload: entry.payload }));
    },

    onJobEnded(listener) {
      endedListeners.add(listener);
      return () => endedListeners.delete(listener);
    },

    async depth() {
      const rows: Array<{ queue: string; state: string; count: number }> = [];
      const queues = new Set<QueueName>([...ready.keys(), ...running.keys()]);
      for (const queue of queues) {
        rows.push({ queue, state: "waiting", count: ready.get(queue)?.length ?? 0 });
        rows.push({ queue, state: "active", count: running.get(queue) ?? 0 });
      }
      const delayedBy = new Map<string, number>();
      for (const entry of delayed) delayedBy.set(entry.policy.queue, (delayedBy.get(entry.policy.queue) ?? 0) + 1);
      for (const [queue, count] of delayedBy) rows.push({ queue, state: "delayed", count });
      return rows;
    },

    drain() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      });
    },

    async close() {
      if (closed) {
        await Promise.all([...active]);
        return;
      }
      closed = true;
      for (const state of schedules.values()) clearInterval(state.timer);
      schedules.clear();
      for (const entry of delayed) clearTimeout(entry.timer);
      const dropped = delayed.size + totalReady();
      delayed.clear();
      ready.clear();
      pending.clear();
      if (dropped > 0) log.warn({ dropped }, "closing with queued jobs; they are dropped");
      while (active.size > 0) await Promise.all([...active]);
      checkIdle();
    },
  };
}
