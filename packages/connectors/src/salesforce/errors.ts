// Salesforce failures to CrmCallError, by Salesforce's own error code (the REST API's `errorCode`, the OAuth
// endpoint's `error`, or jsforce's ERROR_HTTP_<status> when the body had none), never by message text.

import { CrmCallError } from "../crm/errors";
import { sourceErrorFromStatus } from "../errors";
import type { SourceErrorKind } from "../source";

/**
 * REQUEST_LIMIT_EXCEEDED is both the rolling 24-hour allowance (no use retrying for a while) and the concurrent
 * long-request limit (free again within seconds); Sforce-Limit-Info, which jsforce keeps in `conn.limitInfo`, says which.
 */
export const salesforceDailyLimitBackoffMs = 60 * 60_000;
export const salesforceConcurrencyBackoffMs = 10_000;

/** The REST API's whole-request codes and what a retry can do about them. */
const kinds: Record<string, SourceErrorKind> = {
  INVALID_SESSION_ID: "unauthorized",
  INVALID_AUTH_HEADER: "unauthorized",
  API_DISABLED_FOR_ORG: "unauthorized",
  API_CURRENTLY_DISABLED: "unauthorized",
  INSUFFICIENT_ACCESS: "unauthorized",
  INVALID_OPERATION_WITH_EXPIRED_PASSWORD: "unauthorized",
  REQUEST_LIMIT_EXCEEDED: "rate_limited",
  SERVER_UNAVAILABLE: "transient",
  UNKNOWN_EXCEPTION: "transient",
  // The OAuth token endpoint's `error` values.
  invalid_client: "unauthorized",
  invalid_client_id: "unauthorized",
  invalid_grant: "unauthorized",
  unauthorized_client: "unauthorized",
  inactive_user: "unauthorized",
  inactive_org: "unauthorized",
};

/** The HTTP status a code stands for, where Salesforce documents one. */
const statuses: Record<string, number> = {
  INVALID_SESSION_ID: 401,
  REQUEST_LIMIT_EXCEEDED: 403,
  API_DISABLED_FOR_ORG: 403,
  SERVER_UNAVAILABLE: 503,
  UNKNOWN_EXCEPTION: 500,
};

/** The error code a jsforce failure carries: HttpApiError's `errorCode`, or the OAuth error (as the error's name). */
export function salesforceErrorCode(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const withCode = error as Error & { errorCode?: unknown; data?: unknown };
  if (withCode.errorCode === "MULTIPLE_API_ERRORS" && Array.isArray(withCode.data)) {
    const first = (withCode.data[0] ?? {}) as { errorCode?: unknown };
    return typeof first.errorCode === "string" ? first.errorCode : "MULTIPLE_API_ERRORS";
  }
  if (typeof withCode.errorCode === "string") return withCode.errorCode;
  if (error.name in kinds || /^ERROR_HTTP_\d{3}$/.test(error.name)) return error.name;
  return null;
}

export interface ErrorContext {
  during: string;
  timeoutMs: number;
  /** jsforce's `conn.limitInfo.apiUsage` after the failed call. */
  apiUsage: { used: number; limit: number } | undefined;
}

export function toSalesforceError(error: unknown, context: ErrorContext): CrmCallError {
  if (error instanceof CrmCallError) return error;
  const { during } = context;
  const code = salesforceErrorCode(error);
  const detail = error instanceof Error ? `: ${error.message.slice(0, 300)}` : "";
  if (code !== null) {
    const http = /^ERROR_HTTP_(\d{3})$/.exec(code);
    if (http) {
      const status = Number(http[1]);
      const classified = sourceErrorFromStatus("salesforce", status, `salesforce ${during}: HTTP ${status}`);
      return new CrmCallError("salesforce", classified.kind, classified.message, code, null, status);
    }
    const kind = kinds[code] ?? "invalid";
    let retryAfterMs: number | null = null;
    if (kind === "rate_limited") {
      const usage = context.apiUsage;
      retryAfterMs =
        usage && usage.used >= usage.limit ? salesforceDailyLimitBackoffMs : salesforceConcurrencyBackoffMs;
    }
    const message = `salesforce ${during}: ${code}${detail}`;
    return new CrmCallError("salesforce", kind, message, code, retryAfterMs, statuses[code] ?? null);
  }
  const name = error instanceof Error ? error.name : "";
  const what =
    name === "AbortError" || name === "SalesforceTimeout"
      ? `no answer within ${context.timeoutMs / 1000} s`
      : `network failure${detail}`;
  const failure = new CrmCallError("salesforce", "transient", `salesforce ${during}: ${what}`, null, null, null);
  failure.cause = error;
  return failure;
}
