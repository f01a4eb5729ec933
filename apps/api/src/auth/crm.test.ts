// The HubSpot v3 signature as the API computes it, against @hubspot/api-client's own (which skips the URI decoding
// HubSpot's docs prescribe), the decoding itself, and every part of the request it covers.
import { Signature } from "@hubspot/api-client";
import { describe, expect, it } from "vitest";
import { hubspotSignatureUri, hubspotSignatureV3 } from "./crm";

describe("HubSpot v3 request signatures", () => {
  const base = {
    clientSecret: "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy",
    method: "POST",
    body: '{"paymentId":"ch_1"}',
    timestamp: "1764720000000",
  };

  it("matches the SDK's v3 signature for a URI with nothing to decode", () => {
    const uri = "https://reckon.example.com/v1/crm/hubspot/records/123/payment-retries?userId=7&portalId=62515";
    const ours = hubspotSignatureV3({ ...base, uri });
    const sdk = Signature.getSignature("POST", "v3", {
      signature: "",
      clientSecret: base.clientSecret,
      requestBody: base.body,
      url: uri,
      timestamp: Number(base.timestamp),
    });
    expect(ours).toBe(sdk);
  });

  it("decodes the characters HubSpot decodes before signing, and only those", () => {
    expect(hubspotSignatureUri("https://x.test/a?email=ann%40acme.com&q=a%2Cb%3Bc")).toBe(
      "https://x.test/a?email=ann@acme.com&q=a,b;c",
    );
    // A space, a plus and an ampersand inside a value stay encoded: decoding them would change the query's meaning.
    expect(hubspotSignatureUri("https://x.test/a?name=Acme%20%26%20Co%2B")).toBe(
      "https://x.test/a?name=Acme%20%26%20Co%2B",
    );
    const encoded = "https://x.test/card?userEmail=ann%40acme.com";
    expect(hubspotSignatureV3({ ...base, uri: encoded })).toBe(
      hubspotSignatureV3({ ...base, uri: "https://x.test/card?userEmail=ann@acme.com" }),
    );
  });

  it("changes with every part it covers", () => {
    const uri = "https://x.test/card";
    const signed = hubspotSignatureV3({ ...base, uri });
    expect(hubspotSignatureV3({ ...base, uri, method: "GET" })).not.toBe(signed);
    expect(hubspotSignatureV3({ ...base, uri: `${uri}?a=1` })).not.toBe(signed);
    expect(hubspotSignatureV3({ ...base, uri, body: "{}" })).not.toBe(signed);
    expect(hubspotSignatureV3({ ...base, uri, timestamp: "1764720000001" })).not.toBe(signed);
    expect(hubspotSignatureV3({ ...base, uri, clientSecret: "other" })).not.toBe(signed);
  });
});
