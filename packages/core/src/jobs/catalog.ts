// The job catalog: every job declared once with its zod payload, queue, timeout, attempts and backoff.
import { z } from "zod";

const tenantId = z.uuid();
const source = z.enum(["stripe", "quickbooks", "amplitude"]);
const reason = z.enum(["schedule", "manual", "startup"]);

export interface BackoffPolicy {
  type: "fixed" | "exponential";
  /** First retry delay; exponential doubles it on each further attempt. */
  delayMs: number;
}

/**
 * Queues, each with the backoff its jobs retry with. Jobs share a queue when they contend for the same resource, so
 * one worker pool (and its concurrency) is sized per resource.
 */
export const jobQueues = {
  /**
   * `sync.source` and `sync.tenant`: both spend their time waiting on provider APIs (Stripe, QuickBooks, Amplitude).
   * Exponential from 10 s: a failure is usually a rate limit or a provider outage, which hammering makes worse; five
   * attempts span ~2.5 min of waiting. A `retryAfterMs` on the error (Retry-After) lengthens the wait, never shortens.
   */
  sync: { backoff: { type: "exponential", delayMs: 10_000 } },
  /**
   * `reconcile.tenant`: pure database work on data already synced, so a long sync never starves reconciliation.
   * Fixed 5 s: failures are transient database errors (lock timeout, failover) that clear quickly; waiting longer
   * only delays the result users see.
   */
  reconcile: { backoff: { type: "fixed", delayMs: 5_000 } },
  /**
   * `webhook.apply`: one provider call (re-fetch the object an event names) and a few rows, on its own queue so a
   * payment lands within seconds even while a long sync holds the sync workers. Exponential from 2 s: the provider
   * already has the event and our 2xx, so nothing is lost by waiting; five attempts span ~30 s, then the scheduled
   * sync picks the change up from its own cursor anyway.
   */
  webhooks: { backoff: { type: "exponential", delayMs: 2_000 } },
  /**
   * `slack.notify`: posting or updating the Slack messages about an approval or a flag. Its own queue so people see
   * a click's outcome within a second however busy syncs are. Exponential from 1 s: Slack's usual failure is a
   * 429 (its Retry-After is a floor) or a short outage; five attempts span ~15 s.
   */
  slack: { backoff: { type: "exponential", delayMs: 1_000 } },
  /**
   * `digests.tick`: the hourly quarter-end digests, database reads and a few posts per tenant; its own queue so a
   * large portfolio's digest never holds up an approval's message. Fixed 60 s: a tick fails as a whole only when the
   * database does; a digest Slack refused is not retried here (its claim is released for the next hourly tick).
   */
  digests: { backoff: { type: "fixed", delayMs: 60_000 } },
  /**
   * `payments.retry`: the one Stripe write of an approved payment retry; its own queue so an approval is charged within
   * seconds however busy syncs are. Exponential from 5 s: a failure is Stripe not answering (outage, timeout, 429) or
   * another worker holding the approval, and every re-run is safe (same idempotency key, same card); six attempts span
   * ~1.5-2.5 min, and a live claim or Stripe's Retry-After is waited out (`retryAfterMs`). After that the approval stays
   * approved with its last error, and approving again queues it anew.
   */
  payments: { backoff: { type: "exponential", delayMs: 5_000 } },
  /**
   * `crm.writeback`: summary fields written back to HubSpot and Salesforce records, batched, only where a value
   * changed. Its own queue so a CRM's rate limit never holds up syncs or Slack. Exponential from 10 s: a failure is the
   * CRM's rate limit (HubSpot's 10-second window; its Retry-After is a floor) or an outage; five attempts span ~2.5 min,
   * and what was written before a failure is recorded, so a retry sends only what is still different.
   */
  crm: { backoff: { type: "exponential", delayMs: 10_000 } },
} as const satisfies Record<string, { backoff: BackoffPolicy }>;

export type QueueName = keyof typeof jobQueues;

export const jobCatalog = {
  "sync.source": {
    queue: "sync",
    schema: z.object({ tenantId, source, reason }),
    attempts: 5,
    timeoutMs: 10 * 60_000,
  },
  "sync.tenant": {
    queue: "sync",
    schema: z.object({ tenantId, reason }),
    attempts: 3,
    // Runs up to three source syncs then a reconcile when not fanned out.
    timeoutMs: 30 * 60_000,
  },
  "reconcile.tenant": {
    queue: "reconcile",
    schema: z.object({ tenantId, accountIds: z.array(z.uuid()).optional() }),
    attempts: 3,
    timeoutMs: 5 * 60_000,
  },
  "webhook.apply": {
    queue: "webhooks",
    // The webhook_events row it applies (tenant, source, event id): the payload stays small and the row says the rest.
    schema: z.object({ tenantId, source: z.enum(["stripe", "quickbooks"]), eventId: z.string().min(1).max(255) }),
    attempts: 5,
    timeoutMs: 60_000,
  },
  "slack.notify": {
    queue: "slack",
    // What changed (a payment retry request or a flag); the job reads its current state and makes Slack match it.
    schema: z.object({ tenantId, subject: z.enum(["payment_retry", "flag"]), id: z.uuid() }),
    attempts: 5,
    timeoutMs: 60_000,
  },
  "digests.tick": {
    queue: "digests",
    // Every tenant whose digest slot is due now in its own time zone; claims keep each slot to one send.
    schema: z.object({ reason: z.enum(["schedule", "manual"]) }),
    attempts: 3,
    timeoutMs: 10 * 60_000,
  },
  "payments.retry": {
    queue: "payments",
    // The approved retry request; the job reads its key and card from the row, so every run sends Stripe the same call.
    schema: z.object({ tenantId, retryId: z.uuid() }),
    attempts: 6,
    // One attempt's Stripe calls (card look-up, confirm, the new charge); a run past it is retried, and the claim's
    // lease (runPaymentRetry) keeps that retry from calling Stripe alongside a run that is still going.
    timeoutMs: 2 * 60_000,
  },
  "crm.writeback": {
    queue: "crm",
    // One tenant's linked records in one CRM (both when unnamed), or only the accounts a reconciliation changed. A
    // scheduled run also links the records whose explicit-id field names an account.
    schema: z.object({
      tenantId,
      provider: z.enum(["hubspot", "salesforce"]).optional(),
      accountIds: z.array(z.uuid()).max(5_000).optional(),
      reason: z.enum(["schedule", "reconciled", "linked", "manual"]),
    }),
    attempts: 5,
    timeoutMs: 10 * 60_000,
  },
} as const satisfies Record<string, { queue: QueueName; schema: z.ZodType; attempts: number; timeoutMs: number }>;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]["schema"]>;

export const jobNames = Object.keys(jobCatalog) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobCatalog, name);
}

/** Timing knobs shared by both runners; tests shrink them, production leaves them alone. */
export interface JobTiming {
  /** Multiplies every catalog backoff delay (e.g. 0.001 in tests). `retryAfterMs` from an error is not scaled. */
  backoffScale?: number;
  /** Per-job timeout overrides in ms. */
  timeoutMs?: Partial<Record<JobName, number>>;
}

export interface JobPolicy {
  queue: QueueName;
  attempts: number;
  timeoutMs: number;
  backoff: BackoffPolicy;
}

export function jobPolicy(name: JobName, timing: JobTiming = {}): JobPolicy {
  const entry = jobCatalog[name];
  const queueBackoff: BackoffPolicy = jobQueues[entry.queue].backoff;
  const scale = timing.backoffScale ?? 1;
  return {
    queue: entry.queue,
    attempts: entry.attempts,
    timeoutMs: timing.timeoutMs?.[name] ?? entry.timeoutMs,
    backoff: { type: queueBackoff.type, delayMs: Math.round(queueBackoff.delayMs * scale) },
  };
}

/**
 * Delay before the next attempt after `failedAttempts` failures (1-based), at least the error's `retryAfterMs`.
 * "Equal jitter": half the backoff plus a random half, so the workers a provider outage or a 429 failed together do
 * not all come back in the same instant, while no retry comes sooner than half its backoff. A Retry-After is a floor:
 * jitter may lengthen the wait past it, never shorten it. `random` (in [0, 1)) is injected so tests are exact.
 */
export function retryDelayMs(
  policy: JobPolicy,
  failedAttempts: number,
  error: unknown,
  random: () => number = Math.random,
): number {
  const { type, delayMs } = policy.backoff;
  const base = type === "exponential" ? delayMs * 2 ** Math.max(0, failedAttempts - 1) : delayMs;
  const jittered = Math.round(base / 2 + (base / 2) * Math.min(1, Math.max(0, random())));
  const after = retryAfterMs(error);
  return after === undefined ? jittered : Math.max(jittered, after);
}

/** Duck-typed like the connectors' SourceError: `retryable === false` means a retry cannot help. */
export function isRetryable(error: unknown): boolean {
  return !(typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === false);
}

export function retryAfterMs(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Thrown by `enqueue`/`schedule` when a payload does not match its catalog schema. */
export class InvalidJobPayloadError extends Error {
  override readonly name = "InvalidJobPayloadError";
  readonly retryable = false;
  constructor(
    readonly jobName: string,
    readonly issues: readonly { path: readonly PropertyKey[]; message: string }[],
  ) {
    const detail = issues.map((i) => `${i.path.map(String).join(".") || "(payload)"}: ${i.message}`).join("; ");
    super(`Invalid payload for job "${jobName}": ${detail}`);
  }
}

/** Thrown when a job runs past its timeout (its signal is aborted first); retryable. */
export class JobTimeoutError extends Error {
  override readonly name = "JobTimeoutError";
  constructor(
    readonly jobName: string,
    readonly timeoutMs: number,
  ) {
    super(`Job "${jobName}" timed out after ${timeoutMs} ms`);
  }
}

/** The fields every line a job logs carries: which job, which try, and (every catalog payload has one) which tenant. */
export function jobLogFields(jobId: string, name: string, attempt: number, payload: unknown) {
  const tenantId = (payload as { tenantId?: unknown } | null)?.tenantId;
  return { jobId, job: name, attempt, ...(typeof tenantId === "string" ? { tenantId } : {}) };
}

/** Validates a payload against the catalog; returns the parsed (stripped) payload or throws InvalidJobPayloadError. */
export function parsePayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  if (!isJobName(name)) throw new InvalidJobPayloadError(String(name), [{ path: [], message: "unknown job name" }]);
  const result = jobCatalog[name].schema.safeParse(payload);
  if (!result.success) throw new InvalidJobPayloadError(name, result.error.issues);
  return result.data as JobPayload<N>;
}
