// Jobs: one catalog, one JobRunner interface, an in-process runner (embedded) and a BullMQ runner (production).
export { type BullMqRunnerOptions, createBullMqRunner } from "./bullmq.js";
export {
  type BackoffPolicy,
  InvalidJobPayloadError,
  isJobName,
  isRetryable,
  type JobName,
  type JobPayload,
  type JobPolicy,
  JobTimeoutError,
  type JobTiming,
  jobCatalog,
  jobNames,
  jobPolicy,
  jobQueues,
  parsePayload,
  type QueueName,
  retryAfterMs,
  retryDelayMs,
} from "./catalog.js";
export { createInProcessRunner, type InProcessRunnerOptions } from "./inProcess.js";
export {
  type EnqueueOptions,
  type JobContext,
  type JobHandlers,
  type JobRunner,
  RunnerClosedError,
} from "./runner.js";
