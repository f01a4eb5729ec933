// The Salesforce fake: OAuth 2.0 token endpoint (client credentials, refresh token), SOQL query with query locators,
// Account retrieve and sObject Collections update, INVALID_SESSION_ID, the daily API allowance with its
// Sforce-Limit-Info header, and fault switches. Answers are what jsforce 3 reads.
import { createHmac, randomUUID } from "node:crypto";
import type { Context } from "hono";
import { Hono } from "hono";
import { hold } from "../servers/faultAnswers.js";
import type { CrmControl, CrmRecordWrite } from "./control.js";
import { salesforceAccountFields, salesforceFieldName } from "./fields.js";
import { canonicalId } from "./salesforceIds.js";
import { type AccountRow, planUpdate, RequestRefused, type SaveResult } from "./salesforceStore.js";
import { matchesAll, parseSoql, SoqlError } from "./soql.js";

export const salesforceCollectionLimit = 200;

export interface SalesforceState {
  rows: Map<string, AccountRow>;
  deleted: Set<string>;
  client: { id: string; secret: string };
  orgId: string;
  userId: string;
  /** The OAuth base (login / My Domain URL) and the instance URL the token answer names: the same server here. */
  origin: () => string;
  tokens: Set<string>;
  refreshTokens: Set<string>;
  usage: { used: number; max: number };
  /** Records per query page at most (Salesforce: 2,000; a batchSize of 200-2,000 may ask for fewer). */
  queryBatchSize: number;
  control: CrmControl;
  now: () => Date;
}

type Json = Record<string, unknown> | unknown[];
const apiError = (errorCode: string, message: string, fields?: string[]) => [
  { message, errorCode, ...(fields ? { fields } : {}) },
];

export function salesforceApp(state: SalesforceState): Hono {
  const app = new Hono();
  const { control } = state;
  const locators = new Map<string, { ids: string[]; fields: string[]; offset: number; batch: number }>();
  let issued = 0;

  app.use("*", async (c, next) => {
    const at = new Date();
    await next();
    const url = new URL(c.req.url);
    control.log({ method: c.req.method, url: url.pathname + url.search, status: c.res.status, at });
  });

  app.post("/services/oauth2/token", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const basic = c.req.header("Authorization")?.startsWith("Basic ")
      ? Buffer.from(c.req.header("Authorization")!.slice(6), "base64").toString().split(":")
      : null;
    const clientId = form.get("client_id") ?? basic?.[0];
    const clientSecret = form.get("client_secret") ?? basic?.[1];
    const grant = form.get("grant_type");
    if (grant !== "client_credentials" && grant !== "refresh_token") {
      return c.json({ error: "unsupported_grant_type", error_description: "grant type not supported" }, 400);
    }
    if (clientId !== state.client.id) {
      return c.json({ error: "invalid_client_id", error_description: "client identifier invalid" }, 400);
    }
    if (grant === "client_credentials" && clientSecret !== state.client.secret) {
      return c.json({ error: "invalid_client", error_description: "invalid client credentials" }, 400);
    }
    if (control.revoked) {
      return grant === "refresh_token"
        ? c.json({ error: "invalid_grant", error_description: "expired access/refresh token" }, 400)
        : c.json({ error: "invalid_client", error_description: "invalid client credentials" }, 400);
    }
    if (grant === "refresh_token" && !state.refreshTokens.has(form.get("refresh_token") ?? "")) {
      return c.json({ error: "invalid_grant", error_description: "expired access/refresh token" }, 400);
    }
    const accessToken = `${state.orgId.slice(0, 15)}!AQ${(++issued).toString().padStart(4, "0")}${randomUUID().replace(/-/g, "")}`;
    state.tokens.add(accessToken);
    const id = `${state.origin()}/id/${state.orgId}/${state.userId}`;
    const issuedAt = String(Date.now());
    return c.json({
      access_token: accessToken,
      // Salesforce signs the identity URL and issue time with the client secret (HMAC-SHA256, base64).
      signature: createHmac("sha256", state.client.secret)
        .update(id + issuedAt)
        .digest("base64"),
      scope: "api",
      instance_url: state.origin(),
      id,
      token_type: "Bearer",
      issued_at: issuedAt,
    });
  });

  const api = new Hono();
  api.use("*", async (c, next) => {
    const fault = control.take();
    if (fault?.kind === "rate_limit") {
      return c.json(apiError("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."), 403);
    }
    if (fault?.kind === "failure") {
      return fault.status === 503
        ? c.json(apiError("SERVER_UNAVAILABLE", "Server temporarily unavailable."), 503)
        : c.json(
            apiError(
              "UNKNOWN_EXCEPTION",
              "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)",
            ),
            fault.status as 500,
          );
    }
    if (fault?.kind === "delay") await hold(fault.delayMs);
    const header = c.req.header("Authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : header.startsWith("OAuth ") ? header.slice(6) : "";
    if (!state.tokens.has(token)) return c.json(apiError("INVALID_SESSION_ID", "Session expired or invalid"), 401);
    if (control.dailyLimitExhausted) state.usage.used = Math.max(state.usage.used, state.usage.max);
    const limitInfo = () => c.header("Sforce-Limit-Info", `api-usage=${state.usage.used}/${state.usage.max}`);
    if (state.usage.used >= state.usage.max) {
      limitInfo();
      return c.json(apiError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), 403);
    }
    state.usage.used++;
    limitInfo();
    await next();
  });

  api.get("/query", (c) => {
    const soql = c.req.query("q");
    if (!soql) return c.json(apiError("MALFORMED_QUERY", "unexpected token: <EOF>"), 400);
    try {
      const query = parseSoql(soql);
      const where = query.where.map((w) =>
        w.field !== "Id"
          ? w
          : w.op === "IN"
            ? { ...w, values: w.values.map((v) => canonicalId(v) ?? v) }
            : { ...w, value: w.value === null ? null : (canonicalId(w.value) ?? w.value) },
      );
      let found = [...state.rows.values()].filter((row) => matchesAll(row, where));
      if (query.orderBy) {
        const { field, descending } = query.orderBy;
        found.sort((a, b) => String(a[field] ?? "").localeCompare(String(b[field] ?? "")) * (descending ? -1 : 1));
      }
      if (query.limit !== null) found = found.slice(0, query.limit);
      const asked = /batchSize=(\d+)/.exec(c.req.header("Sforce-Query-Options") ?? "");
      const batch = Math.min(state.queryBatchSize, asked ? Math.max(200, Number(asked[1])) : 2000);
      const locator = { ids: found.map((row) => String(row.Id)), fields: query.fields, offset: 0, batch };
      return c.json(queryPage(c, locator));
    } catch (failure) {
      if (!(failure instanceof SoqlError)) throw failure;
      return c.json(apiError(failure.errorCode, failure.message), 400);
    }
  });

  api.get("/query/:locator", (c) => {
    const locator = locators.get(c.req.param("locator"));
    if (!locator) return c.json(apiError("INVALID_QUERY_LOCATOR", "invalid query locator"), 400);
    return c.json(queryPage(c, locator));
  });

  function queryPage(c: Context, locator: { ids: string[]; fields: string[]; offset: number; batch: number }): Json {
    const version = c.req.param("version");
    const ids = locator.ids.slice(locator.offset, locator.offset + locator.batch);
    const records = ids.flatMap((id) => {
      const row = state.rows.get(id);
      if (!row) return [];
      const record: Record<string, unknown> = { attributes: attributesOf(version, id) };
      for (const field of locator.fields) record[field] = row[field] ?? null;
      return [record];
    });
    const next = locator.offset + locator.batch;
    const done = next >= locator.ids.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
      const key = `01g5g00000${randomUUID().replace(/-/g, "").slice(0, 8)}-${next}`;
      locators.set(key, { ...locator, offset: next });
      nextRecordsUrl = `/services/data/${version}/query/${key}`;
    }
    return { totalSize: locator.ids.length, done, records, ...(nextRecordsUrl ? { nextRecordsUrl } : {}) };
  }

  api.get("/sobjects/Account/:id", (c) => {
    const id = canonicalId(c.req.param("id"));
    if (id !== null && state.deleted.has(id)) return c.json(apiError("ENTITY_IS_DELETED", "entity is deleted"), 404);
    const row = id === null ? undefined : state.rows.get(id);
    if (!row) return c.json(apiError("NOT_FOUND", "The requested resource does not exist"), 404);
    const asked = c.req
      .query("fields")
      ?.split(",")
      .map((f) => f.trim());
    const fields = asked ? asked.map((f) => salesforceFieldName(f)) : Object.keys(salesforceAccountFields);
    if (fields.some((f) => f === undefined)) {
      return c.json(
        apiError(
          "INVALID_FIELD",
          `No such column '${asked?.find((f) => !salesforceFieldName(f))}' on sobject of type Account`,
        ),
        400,
      );
    }
    const record: Record<string, unknown> = { attributes: attributesOf(c.req.param("version"), row.Id as string) };
    for (const field of fields as string[]) record[field] = row[field] ?? null;
    return c.json(record);
  });

  api.patch("/composite/sobjects", async (c) => {
    try {
      return c.json(updateCollection(state, await c.req.json().catch(() => null)));
    } catch (failure) {
      if (!(failure instanceof RequestRefused)) throw failure;
      control.recordWrite({ at: new Date(), status: failure.status, records: [] });
      return c.json(apiError(failure.errorCode, failure.message), failure.status);
    }
  });

  app.route("/services/data/:version{v\\d+\\.\\d}", api);
  return app;
}

function attributesOf(version: string | undefined, id: string) {
  return { type: "Account", url: `/services/data/${version ?? "v62.0"}/sobjects/Account/${id}` };
}

/** PATCH /composite/sobjects: every record checked, then saved (or, with allOrNone, none saved when one fails). */
function updateCollection(state: SalesforceState, body: unknown): SaveResult[] {
  const input = body as { allOrNone?: unknown; records?: unknown } | null;
  if (!input || !Array.isArray(input.records)) {
    throw new RequestRefused(400, "JSON_PARSER_ERROR", "The request body is not a list of records (records).");
  }
  if (input.records.length > salesforceCollectionLimit) {
    throw new RequestRefused(
      400,
      "EXCEEDED_ID_LIMIT",
      `record limit reached. cannot submit more than ${salesforceCollectionLimit} records into this call`,
    );
  }
  const records = input.records.map((raw) => {
    const { attributes, id, Id, ...fields } = raw as Record<string, unknown>;
    if ((attributes as { type?: unknown } | undefined)?.type !== "Account") {
      throw new RequestRefused(400, "INVALID_TYPE", "sObject type is not specified or not supported (attributes.type)");
    }
    const recordId = id ?? Id;
    return { id: typeof recordId === "string" ? recordId : null, fields };
  });
  const plans = records.map((record) => planUpdate(state.rows, state.deleted, record, canonicalId));
  const rollBack = input.allOrNone === true && plans.some((p) => !p.result.success);
  const now = state.now();
  const writes: CrmRecordWrite[] = [];
  const results = plans.map((plan, i): SaveResult => {
    const recordId = records[i]!.id ?? "";
    if (rollBack && plan.result.success) {
      writes.push({ recordId, fields: records[i]!.fields, applied: false, error: "ALL_OR_NONE_OPERATION_ROLLED_BACK" });
      return {
        success: false,
        errors: [
          {
            statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            message: "Record rolled back because not all records were valid and the request was using AllOrNone header",
            fields: [],
          },
        ],
      };
    }
    if (!plan.changes) {
      writes.push({ recordId, fields: records[i]!.fields, applied: false, error: plan.result.errors[0]!.statusCode });
      return plan.result;
    }
    const row = state.rows.get(plan.result.id!)!;
    Object.assign(row, plan.changes, { LastModifiedDate: sfNow(now), SystemModstamp: sfNow(now) });
    writes.push({ recordId: plan.result.id!, fields: records[i]!.fields, applied: true, error: null });
    return plan.result;
  });
  state.control.recordWrite({ at: new Date(), status: 200, records: writes });
  return results;
}

const sfNow = (at: Date) => at.toISOString().replace("Z", "+0000");
