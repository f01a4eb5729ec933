// Who is calling (API token or session cookie), whether they are within their rate limit, and, for a browser
// session changing something, whether the request carries its CSRF token.
import { getConnInfo } from "@hono/node-server/conninfo";
import { authenticateApiToken, authenticateSession } from "@reckon/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app";
import { problem } from "../errors";
import { csrfTokenFor, readSessionSecret, sameToken } from "./session";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { services } = c.var.deps;
    // A CRM card's request: its CRM's signature or token already named the user (auth/crm.ts).
    if (c.get("crmAuthenticated")) return next();
    const authorization = c.req.header("authorization");
    // The scraper's bearer is the metrics token, not an API token: GET /metrics checks it itself.
    if (c.req.path === "/metrics") return next();
    if (authorization) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const ctx = token ? await authenticateApiToken(services, token, c.var.requestId) : null;
      if (!ctx) {
        return problem(
          c,
          "unauthorized",
          "That API token is unknown or revoked. Create a new one in the web view or with POST /v1/tokens.",
        );
      }
      c.set("ctx", ctx);
      return next();
    }
    const secret = readSessionSecret(c);
    if (secret) {
      const ctx = await authenticateSession(services, secret, c.var.requestId);
      if (ctx) {
        c.set("ctx", ctx);
        c.set("csrfToken", csrfTokenFor(secret));
      }
    }
    return next();
  };
}

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Load balancers and orchestrators probe health from a few addresses, often: a 429 there would take us out.
    if (c.req.path === "/healthz") return next();
    // Providers deliver webhooks in bursts from a few shared addresses, and a 429 only delays a payment: the
    // signature, checked before anything is stored, is what keeps others out.
    if (c.req.path.startsWith("/webhooks/")) return next();
    const { rateLimiter, rateLimits } = c.var.deps;
    const ctx = c.get("ctx");
    const [key, limit] =
      ctx?.actor.kind === "user"
        ? [`${ctx.actor.via}:${ctx.actor.credentialId}`, rateLimits.perCredentialPerMinute]
        : [`ip:${clientAddress(c)}`, rateLimits.anonymousPerMinute];
    const decision = await rateLimiter.hit(key, limit);
    c.header("ratelimit-limit", String(decision.limit));
    c.header("ratelimit-remaining", String(decision.remaining));
    c.header("ratelimit-reset", String(decision.resetSeconds));
    if (!decision.allowed) {
      c.header("retry-after", String(decision.resetSeconds));
      return problem(
        c,
        "rate_limited",
        `Too many requests: ${decision.limit} a minute per ${ctx ? "credential" : "client"}. Retry after ${decision.resetSeconds} s.`,
      );
    }
    return next();
  };
}

/** Browser sessions prove their CSRF token on every unsafe method: header x-csrf-token or form field _csrf. */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = c.get("csrfToken");
    if (!expected || safeMethods.has(c.req.method)) return next();
    let presented = c.req.header("x-csrf-token");
    if (
      !presented &&
      /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(c.req.header("content-type") ?? "")
    ) {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      presented = typeof form._csrf === "string" ? form._csrf : undefined;
    }
    if (!sameToken(presented, expected)) {
      return problem(
        c,
        "forbidden",
        "This form is stale or came from another site (CSRF check failed). Reload the page and try again.",
      );
    }
    return next();
  };
}
