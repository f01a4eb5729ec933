// The HubSpot CRM fake: private-app / OAuth bearer tokens, companies read, search and batch update, the rolling
// ten-second limit with HubSpot's 429 body and X-HubSpot-RateLimit-* headers, and fault switches.
import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import { Hono } from "hono";
import { hold } from "../servers/faultAnswers.js";
import type { CrmControl, CrmRecordWrite } from "./control.js";
import { hubspotDefaultProperties } from "./fields.js";
import {
  companyView,
  type HubspotCompany,
  normalizeValue,
  type PropertyProblem,
  passes,
  type SearchFilter,
  type WireBatchResponse,
  type WireBatchResponseWithErrors,
  type WireError,
  type WireSearchResponse,
  type WireStandardError,
} from "./hubspotStore.js";

export interface HubspotOptions {
  /** Requests per rolling 10 s per token (HubSpot Pro/Enterprise: 190). */
  tenSecondlyLimit: number;
  /** Search requests per second per token (HubSpot: 4). */
  searchPerSecond: number;
  /** How far a search can page (HubSpot: 10,000 results); `after` at or past it is refused. */
  searchResultCap: number;
}

export const hubspotBatchLimit = 100;
export const hubspotSearchLimit = 200;

export interface HubspotState {
  companies: Map<string, HubspotCompany>;
  /** Tokens that work now; an expired or revoked one answers 401. */
  tokens: Set<string>;
  expired: Set<string>;
  control: CrmControl;
  options: HubspotOptions;
  now: () => Date;
}

function error(category: string, message: string, extra: Partial<WireError> = {}): WireError {
  return { status: "error", message, correlationId: randomUUID(), category, ...extra };
}

export function hubspotApp(state: HubspotState): Hono {
  const app = new Hono();
  const sent = new Map<string, number[]>();
  const searches = new Map<string, number[]>();
  const { control } = state;

  app.use("*", async (c, next) => {
    const at = new Date();
    await next();
    const url = new URL(c.req.url);
    control.log({ method: c.req.method, url: url.pathname + url.search, status: c.res.status, at });
  });

  app.use("*", async (c, next) => {
    const fault = control.take();
    if (fault?.kind === "rate_limit") {
      if (fault.retryAfterSeconds !== null) c.header("Retry-After", String(fault.retryAfterSeconds));
      return c.json(tenSecondly(), 429);
    }
    if (fault?.kind === "failure") {
      return c.json(error("INTERNAL_ERROR", "internal error"), fault.status as 500);
    }
    if (fault?.kind === "delay") await hold(fault.delayMs);
    if (control.dailyLimitExhausted) {
      return c.json(
        error("RATE_LIMITS", "You have reached your daily limit.", {
          errorType: "RATE_LIMIT",
          policyName: "DAILY",
          requestId: randomUUID(),
        }),
        429,
      );
    }
    const header = c.req.header("Authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (state.expired.has(token)) {
      return c.json(
        error("EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired 1 second(s) ago."),
        401,
      );
    }
    if (!state.tokens.has(token)) {
      return c.json(
        error(
          "INVALID_AUTHENTICATION",
          "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
        ),
        401,
      );
    }
    // The rolling ten-second window per token, counted as HubSpot counts it: every request, refused ones too.
    const now = Date.now();
    const recent = (sent.get(token) ?? []).filter((t) => t > now - 10_000);
    recent.push(now);
    sent.set(token, recent);
    const limit = state.options.tenSecondlyLimit;
    c.header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
    c.header("X-HubSpot-RateLimit-Max", String(limit));
    c.header("X-HubSpot-RateLimit-Remaining", String(Math.max(0, limit - recent.length)));
    if (recent.length > limit) {
      c.header("Retry-After", String(Math.max(1, Math.ceil((recent[0]! + 10_000 - now) / 1000))));
      return c.json(tenSecondly(), 429);
    }
    if (c.req.method === "POST" && c.req.path.endsWith("/search")) {
      const recentSearches = (searches.get(token) ?? []).filter((t) => t > now - 1_000);
      recentSearches.push(now);
      searches.set(token, recentSearches);
      if (recentSearches.length > state.options.searchPerSecond) {
        c.header("Retry-After", "1");
        return c.json(
          error("RATE_LIMITS", "You have reached your secondly limit.", {
            errorType: "RATE_LIMIT",
            policyName: "SECONDLY",
            requestId: randomUUID(),
          }),
          429,
        );
      }
    }
    await next();
  });

  app.get("/crm/v3/objects/companies/:id", (c) => {
    const company = state.companies.get(c.req.param("id"));
    if (!company) {
      return c.json(
        error("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.", {
          context: { id: [c.req.param("id")] },
        }),
        404,
      );
    }
    const asked = (c.req.queries("properties") ?? []).flatMap((p) => p.split(",")).filter((p) => p !== "");
    return c.json(companyView(company, asked.length > 0 ? asked : hubspotDefaultProperties));
  });

  app.post("/crm/v3/objects/companies/search", async (c) => {
    const body = await jsonBody(c);
    if (!body) return invalidInput(c);
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > hubspotSearchLimit) {
      return c.json(error("VALIDATION_ERROR", `limit must be between 1 and ${hubspotSearchLimit}`), 400);
    }
    const after = body.after === undefined ? 0 : Number(body.after);
    if (!Number.isInteger(after) || after < 0 || after >= state.options.searchResultCap) {
      return c.json(
        error(
          "VALIDATION_ERROR",
          `paging past ${state.options.searchResultCap} results is not supported (after=${String(body.after)})`,
        ),
        400,
      );
    }
    const groups = Array.isArray(body.filterGroups) ? (body.filterGroups as Array<{ filters?: SearchFilter[] }>) : [];
    let found: HubspotCompany[];
    try {
      const all = [...state.companies.values()].sort((a, b) => Number(a.id) - Number(b.id));
      found =
        groups.length === 0
          ? all
          : all.filter((company) => groups.some((g) => (g.filters ?? []).every((f) => passes(company, f))));
    } catch (failure) {
      return c.json(error("VALIDATION_ERROR", (failure as Error).message), 400);
    }
    const asked = Array.isArray(body.properties) ? body.properties.map(String) : hubspotDefaultProperties;
    const page = found.slice(after, after + limit);
    const answer: WireSearchResponse = {
      total: found.length,
      results: page.map((company) => companyView(company, asked)),
      ...(after + limit < found.length ? { paging: { next: { after: String(after + limit) } } } : {}),
    };
    return c.json(answer);
  });

  app.post("/crm/v3/objects/companies/batch/update", async (c) => batchUpdate(c, state));

  return app;
}

function tenSecondly(): WireError {
  return error("RATE_LIMITS", "You have reached your ten_secondly_rolling limit.", {
    errorType: "RATE_LIMIT",
    policyName: "TEN_SECONDLY_ROLLING",
    requestId: randomUUID(),
  });
}

async function jsonBody(c: Context): Promise<Record<string, unknown> | null> {
  try {
    const body: unknown = await c.req.json();
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function invalidInput(c: Context) {
  return c.json(error("VALIDATION_ERROR", "Invalid input JSON on line 1, column 1: Cannot build BatchInput"), 400);
}

async function batchUpdate(c: Context, state: HubspotState) {
  const body = await jsonBody(c);
  const inputs = body?.inputs;
  if (!Array.isArray(inputs)) return invalidInput(c);
  const refuse = (message: string) => {
    state.control.recordWrite({ at: new Date(), status: 400, records: [] });
    return c.json(error("VALIDATION_ERROR", message), 400);
  };
  if (inputs.length > hubspotBatchLimit) return refuse(`Batch input size must be at most ${hubspotBatchLimit}`);
  const updates = inputs.map((input) => input as { id?: unknown; properties?: Record<string, unknown> });
  const ids = updates.map((u) => String(u.id ?? ""));
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0)
    return refuse(`Duplicate IDs found in batch input: [${duplicates.join(", ")}]. IDs must be unique`);
  // Every value of every input is checked first: one bad property refuses the whole batch, as HubSpot does.
  const problems: PropertyProblem[] = [];
  const normalized = updates.map((update) =>
    Object.entries(update.properties ?? {}).flatMap(([name, value]) => {
      const result = normalizeValue(name, value);
      if ("isValid" in result) {
        problems.push(result);
        return [];
      }
      return [[name, result.value] as const];
    }),
  );
  if (problems.length > 0) return refuse(`Property values were not valid: ${JSON.stringify(problems)}`);

  const startedAt = new Date().toISOString();
  const missing: string[] = [];
  const results: WireBatchResponse["results"] = [];
  const records: CrmRecordWrite[] = [];
  for (const [i, update] of updates.entries()) {
    const id = ids[i]!;
    const company = state.companies.get(id);
    if (!company) {
      missing.push(id);
      records.push({ recordId: id, fields: update.properties ?? {}, applied: false, error: "OBJECT_NOT_FOUND" });
      continue;
    }
    const now = state.now();
    for (const [name, value] of normalized[i]!) company.properties[name] = value;
    company.properties.hs_lastmodifieddate = now.toISOString();
    company.updatedAt = now;
    results.push(
      companyView(
        company,
        normalized[i]!.map(([name]) => name),
      ),
    );
    records.push({ recordId: id, fields: update.properties ?? {}, applied: true, error: null });
  }
  const completedAt = new Date().toISOString();
  const status = missing.length > 0 ? 207 : 200;
  state.control.recordWrite({ at: new Date(), status, records });
  if (missing.length === 0) {
    const answer: WireBatchResponse = {
      status: "COMPLETE" as WireBatchResponse["status"],
      results,
      startedAt,
      completedAt,
    };
    return c.json(answer);
  }
  const notFound: WireStandardError = {
    status: "error",
    category: "OBJECT_NOT_FOUND",
    message: "Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.",
    context: { ids: missing },
    errors: [],
    links: {},
  };
  const answer: WireBatchResponseWithErrors = {
    status: "COMPLETE" as WireBatchResponseWithErrors["status"],
    results,
    numErrors: 1,
    errors: [notFound],
    startedAt,
    completedAt,
  };
  return c.json(answer, 207);
}
