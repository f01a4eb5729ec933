// Every API route declares who may call it, against the one permission table (core's permissionMatrix).
import type { RouteConfig } from "@hono/zod-openapi";
import { can, type Permission, type TenantContext } from "@reckon/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app";
import { problem } from "../errors";

/**
 * A permission from the table, any signed-in user ("signed_in"), nobody needs to be ("public"), or a provider's
 * signature over the body ("signature": webhooks; no user can call them, and every caller, signed in or not, gets
 * 401 without a valid signature: the route's verb checks it).
 */
export type RouteAccess = Permission | "signed_in" | "public" | "signature";

function requireAccess(access: RouteAccess): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access === "public" || access === "signature") return next();
    const ctx = c.get("ctx");
    if (!ctx) {
      return problem(
        c,
        "unauthorized",
        "Sign in first: send `Authorization: Bearer <API token>` or use the web view's session.",
      );
    }
    if (access !== "signed_in" && !can(ctx.actor, access)) {
      return problem(c, "forbidden", `Your role does not allow this (${access}). Ask an admin of your workspace.`);
    }
    return next();
  };
}

/**
 * Hono's JSON validator validates `{}` when a request has no JSON content type; a route whose body is required
 * refuses such a request instead, so "no body" never reaches a handler as "change nothing".
 */
const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(c.req.header("content-type") ?? "")) {
    return problem(
      c,
      "unsupported_media_type",
      "This route takes a JSON body: send it with content-type application/json.",
    );
  }
  return next();
};

/**
 * A route definition with its access rule: enforced by middleware before validation, and published in the OpenAPI
 * document as `x-reckon-permission` (the role-matrix test and the reference page read it from there).
 */
export function guardedRoute<const R extends RouteConfig>(access: RouteAccess, config: R) {
  const refusals =
    access === "public"
      ? {}
      : access === "signature"
        ? { 401: { description: "No valid signature for this body (nothing was stored)" } }
        : {
            401: { description: "No credentials, or an unknown or revoked token" },
            ...(access === "signed_in" ? {} : { 403: { description: `The caller's role lacks ${access}` } }),
            429: { description: "Rate limit reached; see Retry-After" },
          };
  return {
    ...config,
    ...(access === "public" || access === "signature" ? {} : { security: [{ bearerAuth: [] }, { sessionCookie: [] }] }),
    responses: { ...refusals, ...config.responses },
    "x-reckon-permission": access,
    middleware: config.request?.body?.required ? [requireAccess(access), requireJsonBody] : [requireAccess(access)],
  } as R & { "x-reckon-permission": RouteAccess; middleware: MiddlewareHandler<AppEnv>[] };
}

/** The context of the signed-in caller; guarded routes only (the guard has already answered 401 otherwise). */
export function actingContext(c: Context<AppEnv>): TenantContext {
  const ctx = c.get("ctx");
  if (!ctx) throw new Error("actingContext on a route without a signed-in guard");
  return ctx;
}

/**
 * A CRM card's route: the card's CRM authenticates it (auth/crm.ts: HubSpot's signature or the Salesforce org's
 * token) and the mapped user's role is checked against the same table as everywhere else.
 */
export function crmCardRoute<const R extends RouteConfig>(access: Permission | "signed_in", config: R) {
  const route = guardedRoute(access, config);
  return {
    ...route,
    security: [{ hubspotSignature: [] }, { salesforceCardToken: [] }],
    responses: {
      ...route.responses,
      401: { description: "No valid HubSpot signature or Salesforce token, or the portal / org is not connected" },
      403: { description: "The CRM user is not mapped to a Reckon user, or their role lacks the permission" },
    },
  } as typeof route;
}
