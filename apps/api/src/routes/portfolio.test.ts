// GET /v1/portfolio: filters, sort and cursor paging; every bad input a 400 problem that names the parameter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../test/stack";
import type { PortfolioResponse } from "./portfolio";

let stack: Awaited<ReturnType<typeof startTestStack>>;
const get = (query: string) => stack.fetch(`/v1/portfolio${query}`);

beforeAll(async () => {
  stack = await startTestStack({ accounts: 30, months: 4 });
});
afterAll(() => stack.stop());

describe("GET /v1/portfolio", () => {
  it("lists every account a page at a time", async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const response: Response = await get(`?limit=8${cursor ? `&cursor=${cursor}` : ""}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as PortfolioResponse;
      for (const row of page.rows) seen.add(row.accountId);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(30);
  });

  it("filters by status and text, and sorts descending", async () => {
    const all = (await (await get("?limit=200")).json()) as PortfolioResponse;
    const status = all.rows[0]!.status;
    const filtered = (await (await get(`?status=${status}&limit=200`)).json()) as PortfolioResponse;
    expect(filtered.rows.length).toBe(all.rows.filter((r) => r.status === status).length);
    const word = all.rows[0]!.name.split(" ")[0]!;
    const byText = (await (
      await get(`?q=${encodeURIComponent(word.toLowerCase())}&limit=200`)
    ).json()) as PortfolioResponse;
    expect(byText.rows.length).toBeGreaterThan(0);
    for (const row of byText.rows) expect(row.name.toLowerCase()).toContain(word.toLowerCase());
    const descending = (await (await get("?sort=-outstanding&limit=200")).json()) as PortfolioResponse;
    const amounts = descending.rows.map((r) => BigInt(r.outstanding?.minor ?? "0"));
    expect([...amounts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))).toEqual(amounts);
  });

  it.each([
    ["?sort=price", "sort"],
    ["?limit=0", "limit"],
    ["?limit=abc", "limit"],
    ["?status=sunny", "status"],
    ["?from=2026-13-45x", "from"],
    ["?from=2026-02-30", "from"],
    ["?from=2026-12-01&to=2026-01-01", "from"],
    ["?owner=not-a-uuid", "owner"],
    [`?q=${"x".repeat(201)}`, "q"],
  ])("answers 400 naming the parameter for %s", async (query, parameter) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const body = (await response.json()) as { code: string; errors?: Array<{ path: string }>; requestId: string };
    expect(body.code).toBe("bad_request");
    expect(body.errors?.map((e) => e.path)).toContain(parameter);
    expect(body.requestId).toBeTruthy();
  });

  it("narrows to accounts with an overdue balance", async () => {
    const all = (await (await get("?limit=200")).json()) as PortfolioResponse;
    const overdue = (await (await get("?overdue=true&limit=200")).json()) as PortfolioResponse;
    const expected = all.rows.filter((r) => BigInt(r.overdue?.minor ?? "0") > 0n).map((r) => r.accountId);
    expect(expected.length).toBeGreaterThan(0);
    expect(overdue.rows.map((r) => r.accountId).sort()).toEqual(expected.sort());
    expect((await get("?overdue=yes")).status).toBe(400);
  });

  it("refuses a forged cursor and a cursor from another sort", async () => {
    expect((await get("?cursor=bm90LWEtY3Vyc29y")).status).toBe(400);
    const page = (await (await get("?limit=2")).json()) as PortfolioResponse;
    const response = await get(`?sort=-name&cursor=${page.nextCursor}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/another sort/);
  });

  it("treats SQL in the search text as text", async () => {
    const response = await get(`?q=${encodeURIComponent("'; drop table accounts; --")}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as PortfolioResponse).rows).toEqual([]);
    expect((await get("?limit=1")).status).toBe(200);
  });
});
