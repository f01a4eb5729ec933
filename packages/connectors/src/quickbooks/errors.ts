// node-quickbooks failures (axios errors, or a 200 carrying a Fault) to SourceError, by HTTP status and Fault type.
import { invalidPayload, networkFailure, sourceErrorFromStatus } from "../errors";
import { SourceError } from "../source";

interface AxiosLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
}

interface FaultBody {
  Fault?: { type?: string; Error?: Array<{ code?: string; Message?: string; Detail?: string }> };
}

/** The HTTP status of a node-quickbooks failure, when an answer came back. */
export function statusOf(error: unknown): number | null {
  const status = (error as AxiosLike | null)?.response?.status;
  return typeof status === "number" ? status : null;
}

function faultSummary(body: unknown): string {
  const fault = (body as FaultBody | null)?.Fault;
  const first = fault?.Error?.[0];
  return fault ? `${fault.type ?? "Fault"} ${first?.code ?? ""} ${first?.Detail ?? first?.Message ?? ""}`.trim() : "";
}

/** `during` names the operation ("query Invoice", "token refresh") for the message. */
export function toSourceError(error: unknown, during: string): SourceError {
  if (error instanceof SourceError) return error;
  const axiosError = error as AxiosLike | null;
  if (axiosError?.isAxiosError) {
    const response = axiosError.response;
    if (!response || typeof response.status !== "number") return networkFailure("quickbooks", error);
    const header = response.headers?.["retry-after"];
    const detail = faultSummary(response.data) || axiosError.message || "";
    return sourceErrorFromStatus(
      "quickbooks",
      response.status,
      `quickbooks: ${during}: HTTP ${response.status} ${detail}`.trim(),
      typeof header === "string" ? header : null,
    );
  }
  // node-quickbooks hands a 200 whose body is a Fault to the callback as the error.
  const fault = (error as FaultBody | null)?.Fault;
  if (fault) {
    const kind = fault.type === "AuthenticationFault" ? "unauthorized" : "invalid";
    return new SourceError("quickbooks", kind, `quickbooks: ${during}: ${faultSummary(error)}`);
  }
  // Anything else is node-quickbooks choking on an answer it could not read (e.g. HTML where JSON was due).
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return invalidPayload("quickbooks", `quickbooks: ${during}: unreadable answer (${detail.slice(0, 200)})`);
}

/**
 * A token endpoint failure. The OAuth error body's `error` field (RFC 6749 §5.2) tells a refused grant: invalid_grant
 * is a revoked or expired refresh token, which no retry can fix (the source needs reconnecting).
 */
export function tokenError(error: unknown): SourceError {
  const body = (error as AxiosLike | null)?.response?.data as { error?: unknown } | null | undefined;
  if (body && typeof body === "object" && body.error === "invalid_grant") {
    return new SourceError("quickbooks", "revoked", "quickbooks: token refresh: grant revoked or expired", null, 400);
  }
  return toSourceError(error, "token refresh");
}
