// Salesforce Accounts over jsforce 3.10.16: OAuth 2.0 client credentials (re-authenticating once when the session
// expires), sObject Collections updates, SOQL with query locators, single reads. Requests go through
// `conn.request` with jsforce's own retries off, so only the job layer retries.
import jsforce from "jsforce";
import { domainOf, mergeUpdates, trimmedOrNull, withDeadline } from "../crm/errors";
import type { CrmClient, CrmFieldValue, CrmRecordSummary, CrmUpdateResult } from "../crm/types";
import { openGate, type RequestGate } from "../gate";
import { salesforceErrorCode, toSalesforceError } from "./errors";

export interface SalesforceClientConfig {
  /** The org's My Domain URL (https://acme.my.salesforce.com): the client-credentials flow is served there only. */
  loginUrl: string;
  /** The connected app's consumer key and secret; the app has "Enable Client Credentials Flow" and a run-as user. */
  clientId: string;
  clientSecret: string;
  /** Used until the token answer names one. */
  instanceUrl?: string;
  /** REST API version (default 62.0; sObject Collections need 42.0+). */
  apiVersion?: string;
  gate?: RequestGate;
  /** How long one request may take before it counts as unanswered (default 30 s). */
  timeoutMs?: number;
  /** The Account field holding the QuickBooks customer id (default QuickBooks_Customer_Id__c). */
  explicitIdField?: string;
  /** Records per query page (Sforce-Query-Options batchSize, 200-2,000; default 2,000). */
  pageSize?: number;
}

export const defaultSalesforceTimeoutMs = 30_000;
export const defaultSalesforceApiVersion = "62.0";
/** sObject Collections take at most 200 records a request. */
export const salesforceBatchSize = 200;

class SalesforceTimeout extends Error {
  override readonly name = "SalesforceTimeout";
}

interface SaveResult {
  id?: string;
  success: boolean;
  errors?: Array<{ statusCode?: string; errorCode?: string; message?: string }>;
}
interface QueryPage {
  totalSize: number;
  done: boolean;
  records: Array<Record<string, unknown>>;
  nextRecordsUrl?: string;
}

export function createSalesforceClient(config: SalesforceClientConfig): CrmClient {
  const version = config.apiVersion ?? defaultSalesforceApiVersion;
  // No OAuth client on the connection: jsforce then installs no refresh delegate of its own (which, with no refresh
  // token in the client-credentials flow, would fail), and a 401 reaches us as INVALID_SESSION_ID.
  const conn = new jsforce.Connection({
    loginUrl: config.loginUrl.replace(/\/$/, ""),
    version,
    ...(config.instanceUrl ? { instanceUrl: config.instanceUrl } : {}),
  });
  const gate = config.gate ?? openGate;
  const timeoutMs = config.timeoutMs ?? defaultSalesforceTimeoutMs;
  const explicitId = config.explicitIdField ?? "QuickBooks_Customer_Id__c";
  const pageSize = Math.max(200, Math.min(config.pageSize ?? 2000, 2000));
  const fields = ["Id", "Name", "Website", explicitId];
  const httpOptions = { retry: { maxRetries: 0 }, timeout: timeoutMs };
  let session: Promise<void> | null = null;

  const fail = (during: string, error: unknown) =>
    toSalesforceError(error, { during, timeoutMs, apiUsage: conn.limitInfo?.apiUsage });

  /** Client credentials grant, as jsforce 3 sends it (grant_type, client_id, client_secret in the form body). */
  const authenticate = (): Promise<void> => {
    session ??= gate
      .run(() =>
        withDeadline(
          conn.authorize({
            grant_type: "client_credentials",
            client_id: config.clientId,
            client_secret: config.clientSecret,
          }),
          timeoutMs,
          () => new SalesforceTimeout("token request timed out"),
        ),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          session = null;
          throw fail("authenticate", error);
        },
      );
    return session;
  };

  /** One REST call; on INVALID_SESSION_ID authenticates again (once) and repeats it. */
  async function rest<T>(
    during: string,
    request: { method: "GET" | "PATCH"; url: string; body?: string; headers?: Record<string, string> },
  ): Promise<T> {
    await authenticate();
    for (let attempt = 0; ; attempt++) {
      const token = conn.accessToken;
      // Only this answer's Sforce-Limit-Info may tell a used-up daily allowance from a busy org.
      conn.limitInfo = {};
      try {
        return await gate.run(() => conn.request<T>(request, httpOptions));
      } catch (error) {
        if (attempt > 0 || salesforceErrorCode(error) !== "INVALID_SESSION_ID") throw fail(during, error);
        // Another call may have renewed the session meanwhile: only the first to notice authenticates.
        if (conn.accessToken === token) session = null;
        await authenticate();
      }
    }
  }

  const summary = (record: Record<string, unknown>): CrmRecordSummary => ({
    recordId: String(record.Id),
    name: trimmedOrNull(record.Name),
    domain: domainOf(typeof record.Website === "string" ? record.Website : null),
    explicitId: trimmedOrNull(record[explicitId]),
  });

  async function updateBatch(batch: Array<{ recordId: string; fields: Record<string, CrmFieldValue> }>) {
    // The body jsforce's sobject("Account").update(records, { allOrNone: false }) sends for an array (API 42.0+).
    const body = JSON.stringify({
      allOrNone: false,
      records: batch.map((update) => ({ id: update.recordId, attributes: { type: "Account" }, ...update.fields })),
    });
    const results = await rest<SaveResult[]>("update accounts", {
      method: "PATCH",
      url: "/composite/sobjects",
      body,
      headers: { "content-type": "application/json" },
    });
    if (!Array.isArray(results) || results.length !== batch.length) {
      throw toSalesforceError(new Error("answered a result list that does not match the records sent"), {
        during: "update accounts",
        timeoutMs,
        apiUsage: undefined,
      });
    }
    // SaveResults come in the order of the records sent; a failed one carries no id.
    return batch.map((update, i): CrmUpdateResult => {
      const result = results[i]!;
      if (result.success) return { recordId: update.recordId, ok: true };
      const first = result.errors?.[0];
      return {
        recordId: update.recordId,
        ok: false,
        error: {
          code: first?.statusCode ?? first?.errorCode ?? "UNKNOWN",
          message: (result.errors ?? []).map((e) => e.message ?? "").join("; ") || "refused",
        },
      };
    });
  }

  return {
    provider: "salesforce",

    async updateRecords(updates) {
      const merged = mergeUpdates(updates);
      const results = new Map<string, CrmUpdateResult>();
      for (let start = 0; start < merged.length; start += salesforceBatchSize) {
        for (const result of await updateBatch(merged.slice(start, start + salesforceBatchSize))) {
          results.set(result.recordId, result);
        }
      }
      return updates.map((update) => ({ ...results.get(update.recordId)!, recordId: update.recordId }));
    },

    async *listLinkedRecords() {
      const soql = `SELECT ${fields.join(", ")} FROM Account WHERE ${explicitId} != null ORDER BY Id`;
      let url: string | undefined = `/query?q=${encodeURIComponent(soql)}`;
      while (url) {
        const page: QueryPage = await rest<QueryPage>("query accounts", {
          method: "GET",
          url,
          headers: { "Sforce-Query-Options": `batchSize=${pageSize}` },
        });
        if (page.records.length > 0) yield page.records.map(summary);
        url = page.done ? undefined : page.nextRecordsUrl;
      }
    },

    async getRecord(recordId) {
      try {
        const url = `/sobjects/Account/${encodeURIComponent(recordId)}?fields=${fields.join(",")}`;
        return summary(await rest<Record<string, unknown>>("read account", { method: "GET", url }));
      } catch (error) {
        const code = (error as { crmCode?: unknown }).crmCode;
        if (code === "NOT_FOUND" || code === "ENTITY_IS_DELETED") return null;
        throw error;
      }
    },
  };
}
