// QuickBooks webhook signatures: `intuit-signature` is base64 HMAC-SHA256 of the raw body keyed by the verifier token.
import { createHmac, timingSafeEqual } from "node:crypto";

export function intuitSignature(rawBody: string, verifierToken: string): string {
  return createHmac("sha256", verifierToken).update(rawBody, "utf8").digest("base64");
}

/** Constant-time: compares the decoded bytes, never the strings, and never short-circuits on content. */
export function intuitSignatureValid(rawBody: string, header: string | undefined, verifierToken: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(intuitSignature(rawBody, verifierToken), "base64");
  const presented = Buffer.from(header.trim(), "base64");
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
