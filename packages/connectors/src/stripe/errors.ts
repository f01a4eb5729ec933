// Stripe SDK errors to SourceError, by the SDK's error class and HTTP status (never by message text).
import Stripe from "stripe";
import { networkFailure, sourceErrorFromStatus } from "../errors";
import { SourceError } from "../source";

const { StripeError, StripeConnectionError, StripeRateLimitError, StripeAuthenticationError, StripePermissionError } =
  Stripe.errors;

/**
 * `lastStatus` is the HTTP status of the response that failed, when the SDK lost it (it drops the status of a body
 * it could not parse as JSON, e.g. a proxy's HTML 502).
 */
export function toSourceError(error: unknown, lastStatus: number | null = null): SourceError {
  if (error instanceof SourceError) return error;
  if (!(error instanceof StripeError)) return networkFailure("stripe", error);
  const message = `stripe: ${error.type}: ${error.message}`;
  if (error instanceof StripeConnectionError) return networkFailure("stripe", error);
  const retryAfter = error.headers?.["retry-after"] ?? null;
  if (error instanceof StripeRateLimitError) return sourceErrorFromStatus("stripe", 429, message, retryAfter);
  if (error instanceof StripeAuthenticationError || error instanceof StripePermissionError) {
    return sourceErrorFromStatus("stripe", error.statusCode ?? 401, message);
  }
  const status = error.statusCode ?? lastStatus;
  if (status !== null && status !== undefined && status >= 400) {
    return sourceErrorFromStatus("stripe", status, message, retryAfter);
  }
  // A 2xx whose body was not JSON, or an error without any status: the payload is unreadable.
  return new SourceError("stripe", "invalid", message, null, status ?? null);
}
