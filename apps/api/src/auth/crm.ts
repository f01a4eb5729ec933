// Who a CRM card's request comes from. HubSpot: the v3 signature over method, URI, body and timestamp with the app's
// client secret (hubspot.fetch signs every request and adds the portal and user to the query). Salesforce: the
// token the org's Named Credential sends, plus the org, user and email headers Apex adds. Either way the request then
// acts as the mapped Reckon user.
import { createHmac, timingSafeEqual } from "node:crypto";
import { type CrmIdentity, identifyHubspotCaller, identifySalesforceCaller } from "@reckon/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app";
import { problem } from "../errors";

/** HubSpot refuses requests older than 5 minutes; so do we, and as far into the future (clock skew). */
export const hubspotSignatureWindowMs = 5 * 60_000;

/**
 * The characters HubSpot decodes in the URI before signing (its request-validation docs); everything else stays
 * encoded as sent. @hubspot/api-client's Signature.isValid skips this step, so it is done here.
 */
const decodedInUri: Record<string, string> = {
  "%3A": ":",
  "%2F": "/",
  "%3F": "?",
  "%40": "@",
  "%21": "!",
  "%24": "$",
  "%27": "'",
  "%28": "(",
  "%29": ")",
  "%2A": "*",
  "%2C": ",",
  "%3B": ";",
};

export function hubspotSignatureUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (match) => decodedInUri[match.toUpperCase()]!);
}

/** base64(HMAC-SHA256(client secret, method + decoded URI + body + timestamp)): what HubSpot sends as v3. */
export function hubspotSignatureV3(input: {
  clientSecret: string;
  method: string;
  uri: string;
  body: string;
  timestamp: string;
}): string {
  return createHmac("sha256", input.clientSecret)
    .update(`${input.method.toUpperCase()}${hubspotSignatureUri(input.uri)}${input.body}${input.timestamp}`)
    .digest("base64");
}

function sameSignature(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CrmAuthOptions {
  /** The HubSpot app's client secret; null: HubSpot cards are refused (401 saying so). */
  hubspotClientSecret: string | null;
  /** Where HubSpot reaches this API (RECKON_PUBLIC_URL): the origin the signature covers, behind a proxy. */
  publicUrl: string | null;
}

/** The URI as HubSpot signed it: the public origin when configured (a proxy changes what we see), path and query. */
function signedUri(c: Context<AppEnv>, publicUrl: string | null): string {
  const seen = new URL(c.req.url);
  if (!publicUrl) return seen.toString();
  const origin = new URL(publicUrl);
  return `${origin.origin}${seen.pathname}${seen.search}`;
}

async function hubspotIdentity(c: Context<AppEnv>, options: CrmAuthOptions): Promise<Response | CrmIdentity> {
  if (!options.hubspotClientSecret) {
    return problem(
      c,
      "unauthorized",
      "HubSpot cards are not set up on this Reckon: set HUBSPOT_CLIENT_SECRET to the HubSpot app's client secret.",
    );
  }
  const signature = c.req.header("x-hubspot-signature-v3");
  const timestamp = c.req.header("x-hubspot-request-timestamp");
  if (!signature || !timestamp || !/^\d{10,16}$/.test(timestamp)) {
    return problem(c, "unauthorized", "This request is not signed by HubSpot (X-HubSpot-Signature-v3 missing).");
  }
  // Real time, not the services' clock: a demo pinned to another day still checks signatures against now.
  if (Math.abs(Date.now() - Number(timestamp)) > hubspotSignatureWindowMs) {
    return problem(c, "unauthorized", "This HubSpot request is more than 5 minutes old: reload the card.");
  }
  const body = c.req.method === "GET" || c.req.method === "HEAD" ? "" : await c.req.text();
  const expected = hubspotSignatureV3({
    clientSecret: options.hubspotClientSecret,
    method: c.req.method,
    uri: signedUri(c, options.publicUrl),
    body,
    timestamp,
  });
  if (!sameSignature(signature, expected)) {
    return problem(
      c,
      "unauthorized",
      "The HubSpot signature does not match: check that HUBSPOT_CLIENT_SECRET is this app's client secret and " +
        "RECKON_PUBLIC_URL is the address HubSpot calls.",
    );
  }
  const portalId = c.req.query("portalId");
  const userId = c.req.query("userId");
  if (!portalId || !userId) {
    return problem(c, "unauthorized", "HubSpot did not say which portal and user this is (portalId, userId).");
  }
  return identifyHubspotCaller(
    c.var.deps.services,
    { orgId: portalId, userId, email: c.req.query("userEmail") ?? null },
    c.var.requestId,
  );
}

async function salesforceIdentity(c: Context<AppEnv>): Promise<Response | CrmIdentity> {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const orgId = c.req.header("x-reckon-salesforce-org");
  const userId = c.req.header("x-reckon-salesforce-user");
  if (!token) {
    return problem(
      c,
      "unauthorized",
      "No Reckon token: fill the Reckon External Credential's Token with the one PUT /v1/crm/connections/salesforce issued.",
    );
  }
  if (!orgId || !userId) {
    return problem(
      c,
      "unauthorized",
      "Send X-Reckon-Salesforce-Org and X-Reckon-Salesforce-User (the Apex controller does).",
    );
  }
  return identifySalesforceCaller(
    c.var.deps.services,
    token,
    { orgId, userId, email: c.req.header("x-reckon-salesforce-email") ?? null },
    c.var.requestId,
  );
}

const providerNames = { hubspot: "HubSpot", salesforce: "Salesforce" } as const;

/** The CRM card routes' authentication; other routes pass through to the token and session check. */
export function crmAuthenticate(options: CrmAuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const provider = /^\/v1\/crm\/(hubspot|salesforce)\/records\//.exec(c.req.path)?.[1] as
      | keyof typeof providerNames
      | undefined;
    if (!provider) return next();
    const identity = provider === "hubspot" ? await hubspotIdentity(c, options) : await salesforceIdentity(c);
    if (identity instanceof Response) return identity;
    if (!identity.ok) {
      return identity.reason === "not_connected"
        ? problem(
            c,
            "unauthorized",
            provider === "hubspot"
              ? "This HubSpot portal is not connected to Reckon. A Reckon admin connects it with PUT /v1/crm/connections/hubspot."
              : "This Salesforce org's token is unknown or for another org. A Reckon admin issues one with PUT /v1/crm/connections/salesforce.",
          )
        : problem(
            c,
            "forbidden",
            `Your ${providerNames[provider]} user is not linked to a Reckon user. Ask a Reckon admin to map ` +
              `${provider} identity "${identity.externalId}" to you (POST /v1/users/{userId}/identities).`,
          );
    }
    c.set("ctx", identity.ctx);
    c.set("crmAuthenticated", true);
    return next();
  };
}
