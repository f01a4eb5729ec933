// The one rule that turns a provider's HTTP answer into a SourceError: by status code, never by message text.
import { SourceError } from "./source";

/**
 * Retry-After as milliseconds: either delay-seconds ("120") or an HTTP date (RFC 9110 §10.2.3).
 * Null when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** Classifies an HTTP error status: 429 rate limited, 401/403 unauthorized, 5xx (and 408) transient, other 4xx invalid. */
export function sourceErrorFromStatus(
  source: string,
  status: number,
  message: string,
  retryAfter: string | null | undefined = null,
): SourceError {
  if (status === 429) return new SourceError(source, "rate_limited", message, parseRetryAfter(retryAfter), status);
  if (status === 401 || status === 403) return new SourceError(source, "unauthorized", message, null, status);
  if (status >= 500 || status === 408) return new SourceError(source, "transient", message, null, status);
  return new SourceError(source, "invalid", message, null, status);
}

/** A provider answered something we cannot read: retrying will not change it. */
export function invalidPayload(source: string, message: string, status: number | null = null): SourceError {
  return new SourceError(source, "invalid", message, null, status);
}

/** No answer at all (connection refused, reset, timeout): worth retrying later. */
export function networkFailure(source: string, cause: unknown): SourceError {
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  const error = new SourceError(source, "transient", `network failure: ${detail}`);
  error.cause = cause;
  return error;
}

/**
 * A request the connector abandoned after `timeoutMs` without an answer (a hung provider or connection): transient, so
 * the job layer retries it with backoff, from the cursor of the last stored batch.
 */
export function requestTimedOut(source: string, during: string, timeoutMs: number, cause?: unknown): SourceError {
  const error = new SourceError(source, "transient", `${during}: no answer within ${timeoutMs / 1000} s`);
  if (cause !== undefined) error.cause = cause;
  return error;
}
