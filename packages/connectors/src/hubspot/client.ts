// HubSpot companies over @hubspot/api-client 13: batch update of the write-back properties, the explicit-id search,
// and single reads. The SDK's own retries and limiter are off: the gate admits, the job layer retries.
import { Client } from "@hubspot/api-client";
import {
  type Filter,
  FilterOperatorEnum,
  type PublicObjectSearchRequest,
  type SimplePublicObject,
  type StandardError,
} from "@hubspot/api-client/lib/codegen/crm/companies/index.js";
import { domainOf, mergeUpdates, trimmedOrNull, withDeadline } from "../crm/errors";
import { hubspotSearchIntervalMs } from "../crm/limits";
import type { CrmClient, CrmFieldValue, CrmRecordSummary, CrmUpdateResult } from "../crm/types";
import { openGate, type RequestGate } from "../gate";
import { HubspotTimeout, toHubspotError } from "./errors";

export interface HubspotClientConfig {
  /** A private-app or OAuth access token with crm.objects.companies.read/write. */
  accessToken: string;
  /** https://api.hubapi.com when absent; the sandbox's base URL in tests. */
  baseUrl?: string;
  gate?: RequestGate;
  /** How long one request may take before it counts as unanswered (default 30 s). */
  timeoutMs?: number;
  /** The company property holding the account's QuickBooks customer id (default quickbooks_customer_id). */
  explicitIdProperty?: string;
  /** Properties of type datetime: ISO values are sent as ms since the epoch (default: reckon_last_reconciled). */
  datetimeProperties?: readonly string[];
  /** Companies per search page (HubSpot allows up to 200). */
  pageSize?: number;
  /** How far one search can page (HubSpot: 10,000 results); the sweep then restarts after the last id it saw. */
  searchResultCap?: number;
}

export const defaultHubspotTimeoutMs = 30_000;
/** HubSpot batch endpoints take at most 100 inputs. */
export const hubspotBatchSize = 100;
/** A search can page through at most 10,000 results; past that the sweep restarts after the last id seen. */
export const hubspotSearchResultCap = 10_000;

/** A value as HubSpot's property API takes it: always a string; "" clears; datetimes as ms since the epoch. */
export function hubspotValue(value: CrmFieldValue, datetime: boolean): string {
  if (value === null) return "";
  if (datetime && typeof value === "string") {
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return String(at);
  }
  return String(value);
}

export function createHubspotClient(config: HubspotClientConfig): CrmClient {
  const sdk = new Client({
    accessToken: config.accessToken,
    ...(config.baseUrl ? { basePath: config.baseUrl.replace(/\/$/, "") } : {}),
    numberOfApiCallRetries: 0,
  });
  const companies = sdk.crm.companies;
  const gate = config.gate ?? openGate;
  const timeoutMs = config.timeoutMs ?? defaultHubspotTimeoutMs;
  const explicitId = config.explicitIdProperty ?? "quickbooks_customer_id";
  const datetimes = new Set(config.datetimeProperties ?? ["reckon_last_reconciled"]);
  const pageSize = Math.min(config.pageSize ?? 200, 200);
  const searchCap = config.searchResultCap ?? hubspotSearchResultCap;
  const properties = ["name", "domain", "website", explicitId];
  let nextSearchAt = 0;

  const call = async <T>(during: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await gate.run(() => withDeadline(request(), timeoutMs, () => new HubspotTimeout(`${during} timed out`)));
    } catch (error) {
      throw toHubspotError(during, error, timeoutMs);
    }
  };
  /** Search has its own per-second limit: space searches out before asking the gate. */
  const paceSearch = async () => {
    const wait = nextSearchAt - Date.now();
    nextSearchAt = Math.max(Date.now(), nextSearchAt) + hubspotSearchIntervalMs;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
  const summary = (company: SimplePublicObject): CrmRecordSummary => ({
    recordId: company.id,
    name: trimmedOrNull(company.properties.name),
    domain: domainOf(company.properties.domain) ?? domainOf(company.properties.website),
    explicitId: trimmedOrNull(company.properties[explicitId]),
  });

  async function updateBatch(batch: Array<{ recordId: string; fields: Record<string, CrmFieldValue> }>) {
    const inputs = batch.map((update) => ({
      id: update.recordId,
      properties: Object.fromEntries(
        Object.entries(update.fields).map(([name, value]) => [name, hubspotValue(value, datetimes.has(name))]),
      ),
    }));
    const answer = await call("batch update companies", () => companies.batchApi.update({ inputs }));
    const written = new Set(answer.results.map((company) => company.id));
    const refused = new Map<string, { code: string; message: string }>();
    const errors: StandardError[] = "errors" in answer && Array.isArray(answer.errors) ? answer.errors : [];
    for (const error of errors) {
      for (const id of error.context?.ids ?? error.context?.id ?? []) {
        refused.set(id, { code: error.category, message: error.message });
      }
    }
    return new Map(
      batch.map((update): [string, CrmUpdateResult] => {
        if (written.has(update.recordId)) return [update.recordId, { recordId: update.recordId, ok: true }];
        const error = refused.get(update.recordId) ?? {
          code: "NOT_IN_ANSWER",
          message: "HubSpot answered neither a result nor an error for this company",
        };
        return [update.recordId, { recordId: update.recordId, ok: false, error }];
      }),
    );
  }

  return {
    provider: "hubspot",

    async updateRecords(updates) {
      const merged = mergeUpdates(updates);
      const results = new Map<string, CrmUpdateResult>();
      for (let start = 0; start < merged.length; start += hubspotBatchSize) {
        for (const [id, result] of await updateBatch(merged.slice(start, start + hubspotBatchSize))) {
          results.set(id, result);
        }
      }
      return updates.map((update) => ({ ...results.get(update.recordId)!, recordId: update.recordId }));
    },

    async *listLinkedRecords() {
      // Sorted by id, so that past the 10,000-result cap the sweep can go on after the last id it saw.
      let afterId: string | null = null;
      let after: string | undefined;
      for (;;) {
        const filters: Filter[] = [{ propertyName: explicitId, operator: FilterOperatorEnum.HasProperty }];
        if (afterId !== null)
          filters.push({ propertyName: "hs_object_id", operator: FilterOperatorEnum.Gt, value: afterId });
        const request: PublicObjectSearchRequest = {
          filterGroups: [{ filters }],
          sorts: ["hs_object_id"],
          properties,
          limit: pageSize,
          ...(after ? { after } : {}),
        };
        await paceSearch();
        const page = await call("search companies", () => companies.searchApi.doSearch(request));
        if (page.results.length > 0) yield page.results.map(summary);
        const next = page.paging?.next?.after;
        if (!next || page.results.length === 0) return;
        if (Number(next) + pageSize > searchCap) {
          afterId = page.results.at(-1)!.id;
          after = undefined;
        } else {
          after = next;
        }
      }
    },

    async getRecord(recordId) {
      try {
        return summary(await call("read company", () => companies.basicApi.getById(recordId, properties)));
      } catch (error) {
        if ((error as { status?: unknown }).status === 404) return null;
        throw error;
      }
    },
  };
}
