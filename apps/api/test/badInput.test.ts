// Bad input over every route: malformed requests generated from the OpenAPI document (wrong types, huge strings,
// unicode, edge numbers, missing and extra fields, bad ids and cursors, wrong content types) must each get a 4xx
// problem document, never a 5xx, and change no row.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortfolioResponse } from "../src/routes/portfolio";
import { type MalformedRequest, malformedRequests } from "./badInput/malformed";
import { startTestStack, type TestStack } from "./stack";

let stack: TestStack;
let cases: MalformedRequest[];

/** A fingerprint of every table: equal before and after means no row changed. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = await queryRows<{ table_name: string }>(
    stack.services.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
        and table_name not like '\\_\\_%' order by table_name`,
  );
  const prints: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    // Each request's token use is stamped and audited on purpose; everything else must stay as it was.
    const rows =
      table === "api_tokens"
        ? sql`select id, revoked_at from api_tokens`
        : table === "audit_log"
          ? sql`select id, action from audit_log where action <> 'token.used'`
          : sql.raw(`select * from "${table}"`);
    const [row] = await queryRows<{ print: string | null; n: number }>(
      stack.services.db,
      sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as print, count(*)::int as n from (${rows}) t`,
    );
    prints[table] = `${row?.n}:${row?.print}`;
  }
  return prints;
}

async function send(request: MalformedRequest): Promise<Response> {
  return fetch(`${stack.url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    // Bytes the generator made itself (never a shared buffer), typed as fetch takes them with or without the DOM lib.
    ...(request.body !== undefined ? { body: request.body as string | Uint8Array<ArrayBuffer> } : {}),
  });
}

beforeAll(async () => {
  stack = await startTestStack({ accounts: 12, months: 2 });
  const document = (await (await stack.fetch("/v1/openapi.json")).json()) as object;
  const page = (await (await stack.fetch("/v1/portfolio")).json()) as PortfolioResponse;
  const tokens = (await (await stack.fetch("/v1/tokens")).json()) as { tokens: Array<{ id: string }> };
  cases = malformedRequests(document, {
    seed: 20261125,
    examples: {
      accountId: page.rows[0]!.accountId,
      userId: stack.as.viewer.id,
      tokenId: tokens.tokens[0]!.id,
      dataset: "invoices",
      provider: "slack",
      externalId: "T1:U1",
      source: "stripe",
    },
    headers: { authorization: `Bearer ${stack.as.admin.token}` },
  });
});
afterAll(() => stack.stop());

describe("bad input on every route", () => {
  it("answers each malformed request with a 4xx problem document and changes no row", async () => {
    const refusals = cases.filter((c) => c.expect === "4xx");
    const before = await fingerprint();
    const failures: string[] = [];
    for (const request of refusals) {
      const response = await send(request);
      const text = await response.text();
      const problem = response.headers.get("content-type")?.includes("application/problem+json");
      if (response.status < 400 || response.status >= 500 || !problem) {
        failures.push(`${request.operationId} (${request.why}): ${response.status} ${text.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await fingerprint()).toEqual(before);
    const operations = new Set(refusals.map((c) => c.operationId));
    console.log(
      `bad input: ${refusals.length} malformed requests over ${operations.size} operations, all 4xx, no row changed`,
    );
    expect(operations.size).toBeGreaterThan(20);
  });

  it("never answers 5xx to inputs that may be accepted (extra keys, odd but valid values)", async () => {
    const maybe = cases.filter((c) => c.expect === "not-5xx");
    const failures: string[] = [];
    for (const request of maybe) {
      const response = await send(request);
      await response.arrayBuffer();
      if (response.status >= 500) failures.push(`${request.operationId} (${request.why}): ${response.status}`);
    }
    await stack.services.jobs.drain();
    expect(failures).toEqual([]);
    console.log(`bad input: ${maybe.length} borderline requests, none answered 5xx`);
  });
});
