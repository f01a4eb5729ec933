// Sends requests the way the CRM cards do: HubSpot's hubspot.fetch (v3 signature, portal and user appended to the
// query) and Salesforce's Apex callout through the Named Credential (token, org, user and email headers).
import { hubspotSignatureV3 } from "../src/auth/crm";

export interface HubspotCaller {
  clientSecret: string;
  portalId: string;
  userId: string;
  userEmail?: string;
  /** ms since epoch; now unless said otherwise. */
  timestamp?: number;
}

export interface CardRequest {
  method?: "GET" | "POST";
  /** From /v1/..., with any query of the card's own. */
  path: string;
  body?: unknown;
}

/** What hubspot.fetch sends: the card's URL plus userId, portalId, userEmail, appId; signed over all of it. */
export function hubspotRequest(baseUrl: string, caller: HubspotCaller, request: CardRequest) {
  const url = new URL(`${baseUrl}${request.path}`);
  url.searchParams.set("userId", caller.userId);
  url.searchParams.set("portalId", caller.portalId);
  if (caller.userEmail) url.searchParams.set("userEmail", caller.userEmail);
  url.searchParams.set("appId", "1234567");
  const method = request.method ?? "GET";
  const body = request.body === undefined ? "" : JSON.stringify(request.body);
  const timestamp = String(caller.timestamp ?? Date.now());
  const signature = hubspotSignatureV3({
    clientSecret: caller.clientSecret,
    method,
    uri: url.toString(),
    body,
    timestamp,
  });
  const init: RequestInit = {
    method,
    headers: {
      "x-hubspot-signature-v3": signature,
      "x-hubspot-request-timestamp": timestamp,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body } : {}),
  };
  return { url: url.toString(), init };
}

export function hubspotFetch(baseUrl: string, caller: HubspotCaller, request: CardRequest): Promise<Response> {
  const { url, init } = hubspotRequest(baseUrl, caller, request);
  return fetch(url, init);
}

export interface SalesforceCaller {
  token: string;
  orgId: string;
  userId: string;
  email?: string;
}

/** What the Apex controller sends through callout:Reckon. */
export function salesforceRequest(baseUrl: string, caller: SalesforceCaller, request: CardRequest) {
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const init: RequestInit = {
    method: request.method ?? "GET",
    headers: {
      authorization: `Bearer ${caller.token}`,
      "x-reckon-salesforce-org": caller.orgId,
      "x-reckon-salesforce-user": caller.userId,
      ...(caller.email ? { "x-reckon-salesforce-email": caller.email } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body } : {}),
  };
  return { url: `${baseUrl}${request.path}`, init };
}

export function salesforceFetch(baseUrl: string, caller: SalesforceCaller, request: CardRequest): Promise<Response> {
  const { url, init } = salesforceRequest(baseUrl, caller, request);
  return fetch(url, init);
}
