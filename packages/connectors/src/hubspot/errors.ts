// HubSpot API failures to CrmCallError: by HTTP status (errors.ts's rule), with the wait HubSpot asks for on a 429.
import { ApiException } from "@hubspot/api-client/lib/codegen/crm/companies/index.js";
import { CrmCallError } from "../crm/errors";
import { parseRetryAfter, sourceErrorFromStatus } from "../errors";

/** Our own deadline passed before HubSpot answered. */
export class HubspotTimeout extends Error {
  override readonly name = "HubspotTimeout";
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * How long a 429 asks us to wait: Retry-After when sent, otherwise the length of the rolling window
 * (X-HubSpot-RateLimit-Interval-Milliseconds), after which the window has certainly moved on.
 */
export function hubspotRetryAfterMs(headers: Record<string, string> | undefined): number | null {
  const retryAfter = parseRetryAfter(header(headers, "retry-after"));
  if (retryAfter !== null) return retryAfter;
  const interval = Number(header(headers, "x-hubspot-ratelimit-interval-milliseconds"));
  return Number.isFinite(interval) && interval > 0 ? interval : null;
}

/** Turns whatever an SDK call threw into a CrmCallError. */
export function toHubspotError(during: string, error: unknown, timeoutMs: number): CrmCallError {
  if (error instanceof CrmCallError) return error;
  if (error instanceof ApiException) {
    const body = (error.body ?? {}) as { category?: unknown; message?: unknown };
    const category = typeof body.category === "string" ? body.category : null;
    const detail = typeof body.message === "string" ? `: ${body.message.slice(0, 300)}` : "";
    const message = `hubspot ${during}: HTTP ${error.code}${category ? ` ${category}` : ""}${detail}`;
    const classified = sourceErrorFromStatus("hubspot", error.code, message);
    const retryAfterMs = classified.kind === "rate_limited" ? hubspotRetryAfterMs(error.headers) : null;
    return new CrmCallError("hubspot", classified.kind, message, category, retryAfterMs, error.code);
  }
  if (error instanceof HubspotTimeout) {
    return new CrmCallError(
      "hubspot",
      "transient",
      `hubspot ${during}: no answer within ${timeoutMs / 1000} s`,
      null,
      null,
      null,
    );
  }
  // No answer at all (refused, reset), or an answer the SDK could not read.
  const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const failure = new CrmCallError(
    "hubspot",
    "transient",
    `hubspot ${during}: network failure: ${cause}`,
    null,
    null,
    null,
  );
  failure.cause = error;
  return failure;
}
