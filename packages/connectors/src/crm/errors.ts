// The SourceError a CRM call throws: the kind the job layer acts on, plus the CRM's own error code.
import { SourceError, type SourceErrorKind } from "../source";
import type { CrmProvider } from "./types";

export class CrmCallError extends SourceError {
  constructor(
    provider: CrmProvider,
    kind: SourceErrorKind,
    message: string,
    /** The CRM's code: HubSpot's `category` (RATE_LIMITS, VALIDATION_ERROR), Salesforce's `errorCode` / OAuth `error`. */
    readonly crmCode: string | null,
    retryAfterMs: number | null,
    status: number | null,
  ) {
    super(provider, kind, message, retryAfterMs, status);
  }
}

/** Resolves with `request`, or rejects with `onTimeout()` after `timeoutMs` (the request itself is abandoned). */
export function withDeadline<T>(request: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    timer.unref();
  });
  return Promise.race([request, deadline]).finally(() => clearTimeout(timer));
}

/** Merges updates naming the same record (later fields win), keeping first-seen order. */
export function mergeUpdates<T extends { recordId: string; fields: Record<string, unknown> }>(updates: T[]): T[] {
  const byRecord = new Map<string, T>();
  for (const update of updates) {
    const seen = byRecord.get(update.recordId);
    byRecord.set(update.recordId, seen ? { ...seen, fields: { ...seen.fields, ...update.fields } } : update);
  }
  return [...byRecord.values()];
}

/** A website (with or without scheme) as a bare lower-case domain without "www.". */
export function domainOf(website: string | null | undefined): string | null {
  const text = website?.trim();
  if (!text) return null;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname.toLowerCase();
    return host.replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

export const trimmedOrNull = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === "" ? null : text;
};
