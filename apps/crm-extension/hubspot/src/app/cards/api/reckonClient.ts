// Calls the Reckon CRM card API through hubspot.fetch and turns every answer into a value the card can render.
import type { hubspot } from "@hubspot/ui-extensions";
import type { CrmCard, FlagAnswer, FlagRequest, LinkAnswer, PaymentRetryAnswer, RecordHints } from "./types";

/** hubspot.fetch: HubSpot signs the request, adds portalId/userId/userEmail/appId to the query and sends body as JSON. */
export type HubSpotFetch = typeof hubspot.fetch;

/** Shown when Reckon cannot be reached or answers without a problem detail (CARD_API.md, state 2). */
export const UNAVAILABLE = "Reckon is unavailable, try again in a minute.";

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number | null; detail: string };

type Method = "GET" | "POST";

export interface ReckonClient {
  getCard(hints: RecordHints): Promise<ApiResult<CrmCard>>;
  requestPaymentRetry(paymentId: string): Promise<ApiResult<PaymentRetryAnswer>>;
  raiseFlag(flag: FlagRequest): Promise<ApiResult<FlagAnswer>>;
  linkAccount(accountId: string): Promise<ApiResult<LinkAnswer>>;
}

export function createReckonClient(options: { fetch: HubSpotFetch; baseUrl: string; recordId: string }): ReckonClient {
  const recordPath = `/v1/crm/hubspot/records/${encodeURIComponent(options.recordId)}`;

  async function send<T>(method: Method, path: string, body?: Record<string, unknown>): Promise<ApiResult<T>> {
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl}${recordPath}${path}`, body ? { method, body } : { method });
    } catch {
      return { ok: false, status: null, detail: UNAVAILABLE };
    }
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) return { ok: false, status: response.status, detail: problemDetail(payload) };
    if (payload === null || typeof payload !== "object")
      return { ok: false, status: response.status, detail: UNAVAILABLE };
    return { ok: true, value: payload as T };
  }

  return {
    async getCard(hints) {
      const result = await send<CrmCard>("GET", `/card${hintQuery(hints)}`);
      if (result.ok && result.value.state !== "linked" && result.value.state !== "unlinked") {
        return { ok: false, status: null, detail: UNAVAILABLE };
      }
      return result;
    },
    requestPaymentRetry: (paymentId) => send("POST", "/payment-retries", { paymentId }),
    raiseFlag: (flag) => send("POST", "/flags", { ...flag }),
    linkAccount: (accountId) => send("POST", "/link", { accountId }),
  };
}

/** The problem document's `detail` is written for the person at the card: show it as it is. */
function problemDetail(payload: unknown): string {
  if (payload && typeof payload === "object" && "detail" in payload) {
    const { detail } = payload as { detail: unknown };
    if (typeof detail === "string" && detail.trim() !== "") return detail;
  }
  return UNAVAILABLE;
}

function hintQuery(hints: RecordHints): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(hints)) {
    if (typeof value === "string" && value.trim() !== "") query.set(key, value.trim());
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}
