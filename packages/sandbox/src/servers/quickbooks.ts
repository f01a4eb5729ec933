// The QuickBooks Online fake: OAuth2 refresh with rotation, query, ChangeDataCapture and reads, with Fault bodies
// and the per-realm throttle (500 requests a minute).
import type { Context } from "hono";
import { Hono } from "hono";
import { qboTime } from "../calendar.js";
import type { Scenario } from "../scenario.js";
import { hold, malformedJson, truncated } from "./faultAnswers.js";
import type { FaultState } from "./faults.js";
import { logRequests } from "./listen.js";
import { matches, parseQuery, QueryError, sortEntities } from "./qboQuery.js";

export interface QuickbooksCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken: string;
}

type EntityName = "Customer" | "Invoice" | "Payment" | "Item";
const entityNames: readonly EntityName[] = ["Customer", "Invoice", "Payment", "Item"];
const entityList = (
  scenario: Scenario,
  name: EntityName,
): ReadonlyArray<{ Id: string; status?: string; MetaData: { LastUpdatedTime: string } }> =>
  ({
    Customer: scenario.quickbooks.customers,
    Invoice: scenario.quickbooks.invoices,
    Payment: scenario.quickbooks.payments,
    Item: scenario.quickbooks.items,
  })[name];
const canonical = (name: string): EntityName | undefined =>
  entityNames.find((e) => e.toLowerCase() === name.toLowerCase());

export const quickbooksTokenPath = "/oauth2/v1/tokens/bearer";
const perMinuteLimit = 500;

function fault(type: string, code: string, message: string, detail?: string) {
  const error: Record<string, string> = { Message: message, code };
  if (detail) error.Detail = detail;
  return { Fault: { Error: [error], type }, time: qboTime(new Date()) };
}

export interface QuickbooksOptions {
  now: () => Date;
}

export function quickbooksApp(
  scenario: Scenario,
  credentials: QuickbooksCredentials,
  faults: FaultState,
  options: QuickbooksOptions,
): Hono {
  const app = new Hono();
  let currentRefresh = credentials.refreshToken;
  const accessTokens = new Set([credentials.accessToken]);
  const recentByRealm = new Map<string, number[]>();
  let issued = 0;
  /** Set when the company disconnected the app: no refresh token works any more (Intuit answers invalid_grant). */
  let revoked = false;
  faults.onExpireAccessTokens(() => accessTokens.clear());
  faults.onRevokeGrant(() => {
    revoked = true;
    accessTokens.clear();
  });
  const newRefreshToken = () => `AB11${(++issued).toString().padStart(4, "0")}${crypto.randomUUID().replace(/-/g, "")}`;
  faults.onGrantAgain(() => {
    revoked = false;
    currentRefresh = newRefreshToken();
    return currentRefresh;
  });
  logRequests(app, "quickbooks", faults);

  app.use("*", async (c, next) => {
    const injected = faults.take("quickbooks");
    if (injected?.kind === "rate_limit") {
      if (injected.retryAfterSeconds !== null) c.header("Retry-After", String(injected.retryAfterSeconds));
      return c.json(throttled(), 429);
    }
    if (injected?.kind === "failure") {
      return c.json(
        fault(
          "SystemFault",
          "10000",
          "An application error has occurred while processing your request",
          "System Failure Error: sandbox injected failure",
        ),
        injected.status as 500,
      );
    }
    if (injected?.kind === "delay") await hold(injected.delayMs);
    if (injected?.kind === "malformed" && injected.body !== "truncated") {
      return malformedJson(c, injected.body, wrongShape);
    }
    await next();
    if (injected?.kind === "malformed") c.res = await truncated(c.res);
  });

  app.post(quickbooksTokenPath, async (c) => {
    const basic = c.req.header("Authorization");
    const expected = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64")}`;
    if (basic !== expected) return c.json({ error: "invalid_client" }, 401);
    const form = new URLSearchParams(await c.req.text());
    if (form.get("grant_type") !== "refresh_token") return c.json({ error: "unsupported_grant_type" }, 400);
    if (revoked || form.get("refresh_token") !== currentRefresh) {
      return c.json({ error: "invalid_grant", error_description: "Token has been expired or revoked." }, 400);
    }
    // Rotation: the refresh token just used stops working; the client must keep the new one.
    currentRefresh = newRefreshToken();
    const accessToken = `eyJsandbox.${issued}.${crypto.randomUUID()}`;
    accessTokens.add(accessToken);
    return c.json({
      access_token: accessToken,
      refresh_token: currentRefresh,
      token_type: "bearer",
      expires_in: 3600,
      x_refresh_token_expires_in: 8_726_400,
    });
  });

  const api = new Hono();
  api.use("*", async (c, next) => {
    const header = c.req.header("Authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!accessTokens.has(token)) {
      return c.json(
        fault(
          "AuthenticationFault",
          "3200",
          "message=AuthenticationFailed; errorCode=003200; statusCode=401",
          "Token expired or invalid",
        ),
        401,
      );
    }
    const realmId = c.req.param("realmId") ?? "";
    if (realmId !== scenario.quickbooks.realmId) {
      return c.json(
        fault("AuthorizationFault", "3100", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403"),
        403,
      );
    }
    const now = Date.now();
    const recent = (recentByRealm.get(realmId) ?? []).filter((at) => at > now - 60_000);
    if (recent.length >= perMinuteLimit) {
      recentByRealm.set(realmId, recent);
      c.header("Retry-After", String(Math.ceil((recent[0]! + 60_000 - now) / 1000)));
      return c.json(throttled(), 429);
    }
    recent.push(now);
    recentByRealm.set(realmId, recent);
    await next();
  });

  api.get("/query", (c) => {
    const text = c.req.query("query");
    if (!text)
      return c.json(
        fault("ValidationFault", "4000", "Error parsing query", "QueryParserError: query parameter is missing"),
        400,
      );
    try {
      const query = parseQuery(text);
      const entity = canonical(query.entity);
      if (!entity) throw new QueryError(`Invalid entity name: ${query.entity}`);
      const all = entityList(scenario, entity).filter((e) => e.status !== "Deleted");
      const found = all.filter((e) => query.where.every((condition) => matches(e, condition)));
      if (query.count) return c.json({ QueryResponse: { totalCount: found.length }, time: qboTime(new Date()) });
      const pageOf = sortEntities(found, query.orderBy).slice(
        query.startPosition - 1,
        query.startPosition - 1 + query.maxResults,
      );
      const response =
        pageOf.length === 0 ? {} : { [entity]: pageOf, startPosition: query.startPosition, maxResults: pageOf.length };
      return c.json({ QueryResponse: response, time: qboTime(new Date()) });
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      return c.json(fault("ValidationFault", "4000", "Error parsing query", `QueryParserError: ${error.message}`), 400);
    }
  });

  api.get("/cdc", (c) => changeDataCapture(c, scenario, options.now()));

  api.get("/:entity/:id", (c) => {
    const entity = canonical(c.req.param("entity"));
    if (!entity)
      return c.json(
        fault(
          "ValidationFault",
          "4001",
          "Unsupported Operation",
          `Operation ${c.req.param("entity")} is not supported.`,
        ),
        400,
      );
    const found = entityList(scenario, entity).find((e) => e.Id === c.req.param("id") && e.status !== "Deleted");
    if (!found) {
      return c.json(
        fault(
          "ValidationFault",
          "610",
          "Object Not Found",
          "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
        ),
        400,
      );
    }
    return c.json({ [entity]: found, time: qboTime(new Date()) });
  });

  app.route("/v3/company/:realmId", api);
  return app;
}

/** Well-formed JSON no route answers: rows that are not lists, a CDC answer that is not one, a token answer without tokens. */
const wrongShape = {
  QueryResponse: { Customer: { Id: "1" }, Invoice: { Id: "1" }, Payment: { Id: "1" } },
  CDCResponse: { QueryResponse: "not a list" },
  token_type: "bearer",
};

function throttled() {
  return fault(
    "SERVICE",
    "3001",
    "message=ThrottleExceeded; errorCode=003001; statusCode=429",
    "The request limit was reached.  Try again later",
  );
}

function changeDataCapture(c: Context, scenario: Scenario, now: Date) {
  const requested = (c.req.query("entities") ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const since = c.req.query("changedSince") ?? "";
  const sinceMs = Date.parse(since);
  if (requested.length === 0 || Number.isNaN(sinceMs)) {
    return c.json(
      fault("ValidationFault", "4000", "Error parsing query", "entities and a valid ISO changedSince are required"),
      400,
    );
  }
  if (sinceMs < now.getTime() - 30 * 86_400_000) {
    return c.json(
      fault(
        "ValidationFault",
        "4001",
        "Invalid query",
        `Operation cdc with changedSince date ${since} which is older than fixed days is not supported.`,
      ),
      400,
    );
  }
  const answers: Array<Record<string, unknown>> = [];
  for (const name of requested) {
    const entity = canonical(name);
    if (!entity)
      return c.json(
        fault(
          "ValidationFault",
          "4001",
          "Invalid query",
          `Entity ${name} is not supported by ChangeDataCapture in the sandbox`,
        ),
        400,
      );
    const changed = entityList(scenario, entity)
      .filter((e) => Date.parse(e.MetaData.LastUpdatedTime) >= sinceMs)
      .sort((a, b) => Date.parse(a.MetaData.LastUpdatedTime) - Date.parse(b.MetaData.LastUpdatedTime))
      .slice(0, 1000) // QuickBooks answers at most 1,000 objects per entity: ask again with a later changedSince
      .map((e) => (e.status === "Deleted" ? { Id: e.Id, status: "Deleted", MetaData: e.MetaData } : e));
    answers.push({
      ...(changed.length > 0 ? { [entity]: changed } : {}),
      startPosition: 1,
      maxResults: changed.length,
      totalCount: changed.length,
    });
  }
  return c.json({ CDCResponse: [{ QueryResponse: answers }], time: qboTime(new Date()) });
}
