// Slack Web API failures to SourceError, by the SDK's error class and Slack's own error code (never by message text).
import {
  SlackError,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from "@slack/web-api";
import { sourceErrorFromStatus } from "../errors";
import { SourceError, type SourceErrorKind } from "../source";

/** A Slack call that failed: what the job layer needs to decide, plus what Slack said. */
export class SlackCallError extends SourceError {
  constructor(
    kind: SourceErrorKind,
    message: string,
    /** The Web API method called ("chat.postMessage"). */
    readonly method: string,
    /** Slack's error code when it answered `ok: false` ("channel_not_found", "token_revoked"); null otherwise. */
    readonly slackError: string | null,
    retryAfterMs: number | null,
    /** The HTTP status Slack answered (200 for an `ok: false` answer); null when no answer came at all. */
    status: number | null,
  ) {
    super("slack", kind, message, retryAfterMs, status);
  }

  /**
   * Whether Slack answered. A call that got no answer (network failure, timeout) may still have taken effect: a
   * message may have been posted. One that was answered with an error was not.
   */
  get answered(): boolean {
    return this.status !== null;
  }
}

// Slack answers nearly every error with HTTP 200 and a code; these are the codes a retry or a reconnect can fix.
/** The grant itself is gone (app uninstalled, token revoked, workspace deactivated): only reinstalling helps. */
const revoked = new Set(["token_revoked", "account_inactive", "app_uninstalled", "team_disabled"]);
/** The token is wrong or lacks a scope: an admin must fix the installation. */
const unauthorized = new Set([
  "not_authed",
  "invalid_auth",
  "token_expired",
  "missing_scope",
  "no_permission",
  "not_allowed_token_type",
  "access_denied",
  "ekm_access_denied",
  "team_access_not_granted",
]);
/** Slack's own trouble: trying again later can help. */
const transient = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"]);

function platformKind(code: string): SourceErrorKind {
  if (code === "ratelimited") return "rate_limited";
  if (revoked.has(code)) return "revoked";
  if (unauthorized.has(code)) return "unauthorized";
  if (transient.has(code)) return "transient";
  return "invalid";
}

/**
 * Whether `error` came out of a Slack call (the SDK's errors, or ours): anything else was thrown before any request
 * went out (building the message, say), so Slack never saw it.
 */
export function isSlackCallFailure(error: unknown): boolean {
  return error instanceof SlackCallError || error instanceof SlackError;
}

/** Turns whatever a WebClient call threw into a SlackCallError. */
export function toSlackError(method: string, error: unknown): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    return new SlackCallError(platformKind(code), `slack ${method}: ${code}`, method, code, null, 200);
  }
  if (error instanceof WebAPIRateLimitedError) {
    const retryAfterMs = Number.isFinite(error.retryAfter) ? error.retryAfter * 1000 : null;
    return new SlackCallError(
      "rate_limited",
      `slack ${method}: rate limited`,
      method,
      "ratelimited",
      retryAfterMs,
      429,
    );
  }
  if (error instanceof WebAPIHTTPError) {
    const { statusCode } = error;
    const classified = sourceErrorFromStatus(
      "slack",
      statusCode,
      `slack ${method}: HTTP ${statusCode}`,
      error.headers["retry-after"],
    );
    return new SlackCallError(classified.kind, classified.message, method, null, classified.retryAfterMs, statusCode);
  }
  // No answer: refused, reset, or our timeout (the SDK aborts its fetch with a TimeoutError).
  const original = error instanceof WebAPIRequestError ? error.original : error;
  const what =
    original instanceof Error && original.name === "TimeoutError"
      ? "no answer in time"
      : `network failure: ${original instanceof Error ? original.message : String(original)}`;
  const failure = new SlackCallError("transient", `slack ${method}: ${what}`, method, null, null, null);
  failure.cause = original;
  return failure;
}
