// The RequestLimiter interface, each source's published limits, and the gate a connector calls it through.
import { crmRequestLimits, type RequestGate } from "@reckon/connectors";
import type { CrmProvider, SyncSource } from "@reckon/db";

/** Every provider Reckon calls under a limit: the sync sources and the CRMs it writes back to. */
export type LimitedProvider = SyncSource | CrmProvider;

/** Requests of one key allowed in a rolling window, and at once. */
export interface SourceLimit {
  perWindow: number;
  windowMs: number;
  concurrency: number;
}

function crmLimit(provider: CrmProvider): SourceLimit {
  const { requests, perMs, concurrency } = crmRequestLimits[provider];
  return { perWindow: requests, windowMs: perMs, concurrency };
}

/**
 * From the vendors' published numbers (REFERENCE.md "Published limits"). A limit is per provider account, and each
 * tenant connects its own account, so the key is (tenant, source).
 */
export const sourceLimits: Record<LimitedProvider, SourceLimit> = {
  // 500 requests/min and 10 concurrent per company (realm). Kept a little under so a retry burst stays legal.
  quickbooks: { perWindow: 450, windowMs: 60_000, concurrency: 10 },
  // Live mode allows 100 reads/s, test mode 25/s, and 25/s per endpoint by default: 25/s holds for both modes.
  stripe: { perWindow: 25, windowMs: 1_000, concurrency: 10 },
  // Dashboard REST: 5 concurrent per project plus an hourly cost budget with no fixed number; an export is one large
  // request, so the concurrency cap is what matters and the window is a generous guard.
  amplitude: { perWindow: 60, windowMs: 60_000, concurrency: 5 },
  // The CRMs' published limits, kept to well under: the connectors own the numbers (crmRequestLimits).
  hubspot: crmLimit("hubspot"),
  salesforce: crmLimit("salesforce"),
};

export interface LimitKey {
  tenantId: string;
  source: LimitedProvider;
}

/** Frees an acquired request slot; calling it twice frees it once. */
export type Release = () => Promise<void>;

/**
 * Admission for provider requests, shared by every worker that calls the same provider account: a rolling request
 * window plus a cap on requests in flight, per (tenant, source).
 */
export interface RequestLimiter {
  readonly kind: "in-process" | "redis";
  /** Waits until one more request of `key` fits its window and concurrency cap; the caller must release the slot. */
  acquire(key: LimitKey, signal?: AbortSignal): Promise<Release>;
  close(): Promise<void>;
}

/** The limits a limiter enforces: the published table, or a test's smaller one (the CRMs default to the table's). */
export type LimitTable = Record<SyncSource, SourceLimit> & Partial<Record<CrmProvider, SourceLimit>>;

/**
 * The gate a connector calls: acquire before the request, release after it. It never retries: a rate-limited answer
 * goes up as a SourceError and the job layer waits (at least its Retry-After) and retries.
 */
export function requestGate(limiter: RequestLimiter, key: LimitKey): RequestGate {
  return {
    async run(request) {
      const release = await limiter.acquire(key);
      try {
        return await request();
      } finally {
        await release();
      }
    },
  };
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
