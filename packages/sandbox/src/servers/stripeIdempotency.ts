// Stripe's idempotent requests: a POST with an Idempotency-Key runs once; the same key again answers the saved
// response (same status and body, `Idempotent-Replayed: true`) and never runs it twice; the key with other
// parameters is refused. See https://docs.stripe.com/api/idempotent_requests.
import type { Context } from "hono";
import type { FormValue } from "./stripeList.js";

/**
 * What an endpoint answered once it began executing; Stripe saves it for the key whatever it is (a 402, a 500). A
 * request refused before that (a validation error, thrown as StripeRequestError) is not saved: the key stays free.
 */
export interface StripeAnswer {
  status: number;
  body: unknown;
}

interface Saved {
  request: string;
  status: number;
  body: unknown;
  at: number;
}

/** Stripe prunes keys after at least 24 hours. */
const keyLifetimeMs = 24 * 3600 * 1000;
const maxKeyLength = 255;

export interface IdempotencyStore {
  /** Runs `execute` at most once per key; answers the saved response for a repeat. */
  answer(
    c: Context,
    params: Record<string, FormValue>,
    execute: (key: string | null) => StripeAnswer,
  ): Response | Promise<Response>;
}

export function createIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const saved = new Map<string, Saved>();
  const respond = (c: Context, answer: { status: number; body: unknown }) =>
    c.json(answer.body as object, answer.status as 200);
  return {
    answer(c, params, execute) {
      const key = c.req.header("Idempotency-Key") ?? null;
      if (key === null) return respond(c, execute(null));
      if (key.length === 0 || key.length > maxKeyLength) {
        return respond(c, {
          status: 400,
          body: {
            error: {
              type: "invalid_request_error",
              message: `Invalid idempotency key: keys must be 1 to ${maxKeyLength} characters long.`,
            },
          },
        });
      }
      c.header("Idempotency-Key", key);
      // The request as Stripe compares it: method, path and the parameters, whatever order they came in.
      const request = `${c.req.method} ${new URL(c.req.url).pathname} ${canonical(params)}`;
      const previous = saved.get(key);
      if (previous && now() - previous.at < keyLifetimeMs) {
        if (previous.request !== request) {
          return respond(c, {
            status: 400,
            body: {
              error: {
                type: "idempotency_error",
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
              },
            },
          });
        }
        c.header("Idempotent-Replayed", "true");
        return respond(c, previous);
      }
      const answer = execute(key);
      saved.set(key, { request, status: answer.status, body: answer.body, at: now() });
      return respond(c, answer);
    },
  };
}

function canonical(value: FormValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`).join(",")}}`;
}
