// The answers behind the delay and malformed-body fault switches, shared by the three provider fakes.
import { gzipSync, strToU8, zipSync } from "fflate";
import type { Context } from "hono";
import type { MalformedBody } from "./faults.js";

/** Holds a request; the timer does not keep the process alive, so a stopped sandbox never waits on it. */
export function hold(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The real answer with its body cut in half: what a client sees when a connection drops mid-body. */
export async function truncated(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(bytes.slice(0, Math.floor(bytes.length / 2)), { status: response.status, headers });
}

/** JSON sources (Stripe, QuickBooks): garbage that is not JSON, or JSON of the wrong shape for every route. */
export function malformedJson(c: Context, body: Exclude<MalformedBody, "truncated">, wrongShape: unknown): Response {
  const text = body === "broken_json" ? '{"object": "list", "data": [{"id": <html>502 Bad Gateway' : wrongShape;
  return c.body(typeof text === "string" ? text : JSON.stringify(text), 200, { "Content-Type": "application/json" });
}

/** Amplitude's export is a zip: bytes that are not one, or a zip of JSON lines that are not export events. */
export function malformedArchive(c: Context, body: Exclude<MalformedBody, "truncated">): Response {
  const bytes =
    body === "broken_json"
      ? strToU8("PK\u0003\u0004 not really a zip archive")
      : zipSync(
          { "187520/187520_2026-01-01_0#0.json.gz": gzipSync(strToU8('{"unexpected":"shape"}\n')) },
          { level: 0 },
        );
  return c.body(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 200, {
    "Content-Type": "application/zip",
  });
}
