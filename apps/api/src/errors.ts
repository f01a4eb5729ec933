// One closed set of error codes, one mapping to HTTP status, one problem+json body (RFC 9457) with the request id.
import { AccessDenied, InvalidCursor } from "@reckon/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";

export const errorCodes = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ErrorCode = keyof typeof errorCodes;

/** An expected refusal a route raises; the message is for the user, so it says what to do next. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: Array<{ path: string; message: string }>;
}

export function problem(c: Context, code: ErrorCode, detail: string, errors?: Problem["errors"]): Response {
  const status = errorCodes[code];
  const body: Problem = {
    type: `https://reckon.dev/problems/${code}`,
    title: code.replaceAll("_", " "),
    status,
    detail,
    code,
    requestId: c.get("requestId") ?? "unknown",
    ...(errors ? { errors } : {}),
  };
  return c.json(body, status, { "content-type": "application/problem+json" });
}

export function zodProblem(c: Context, error: ZodError): Response {
  const errors = error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message }));
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  return problem(c, "bad_request", `Invalid request: ${detail}`, errors);
}

// NUL and unpaired surrogates: valid in a JS string, refused by PostgreSQL's text type (and meaningless as text).
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where validated input holds text the database cannot store, as "path: why"; null when it is all storable. */
export function unstorableText(value: unknown, path = "(input)"): string | null {
  if (typeof value === "string")
    return unstorable.test(value) ? `${path}: contains a NUL byte or broken unicode` : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorableText(item, `${path}.${i}`);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = unstorableText(key, path) ?? unstorableText(item, path === "(input)" ? key : `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/** PostgreSQL's codes for input it cannot take as given: bad encoding or characters, values out of range. */
const refusedInputCodes = new Set(["22021", "22P05", "22003", "22008", "22007", "54000"]);

function databaseInputError(error: unknown): boolean {
  const code = (e: unknown) => (e && typeof e === "object" && "code" in e ? String(e.code) : "");
  const cause = error && typeof error === "object" && "cause" in error ? error.cause : undefined;
  return refusedInputCodes.has(code(error)) || refusedInputCodes.has(code(cause));
}

/** The app's single onError: expected errors become their status, anything else a logged 500 without internals. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiError) return problem(c, error.code, error.message);
  if (error instanceof ZodError) return zodProblem(c, error);
  if (error instanceof InvalidCursor) return problem(c, "bad_request", error.message);
  if (error instanceof AccessDenied) return problem(c, "forbidden", error.message);
  // A safety net behind validation: input the database refused is still the caller's mistake, never a 500.
  if (databaseInputError(error)) {
    c.get("log")?.warn({ err: error }, "input refused by the database after validation");
    return problem(
      c,
      "bad_request",
      "The request holds a value the database cannot store; check for control characters or out-of-range numbers.",
    );
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 404) return problem(c, "not_found", "No such resource.");
    if (status === 415) return problem(c, "unsupported_media_type", error.message);
    if (status < 500) return problem(c, "bad_request", error.message || "Malformed request.");
  }
  c.get("log")?.error({ err: error }, "unhandled error");
  return problem(c, "internal", "Something went wrong on our side; the request id helps us find it.");
}
