// GET /v1/portfolio: filters, sort and cursor paging; every bad input a 400 problem that names the parameter.
// GET /v1/portfolio/totals: the totals row over every page, per currency and in the base currency.
import type { PortfolioTotals } from "@reckon/core";
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
    ["?quarter=2026-Q5", "quarter"],
    ["?quarter=Q4", "quarter"],
    ["?quarter=2026-Q4&from=2026-10-01", "quarter"],
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

  it("filters by the quarter the latest invoice falls due in, as its from/to range would", async () => {
    const all = (await (await get("?limit=200&sort=due")).json()) as PortfolioResponse;
    const due = all.rows.map((r) => r.latestInvoice?.dueOn).find((d): d is string => !!d);
    expect(due).toBeDefined();
    const year = Number(due!.slice(0, 4));
    const q = Math.floor((Number(due!.slice(5, 7)) - 1) / 3);
    const start = `${year}-${String(q * 3 + 1).padStart(2, "0")}-01`;
    const end = new Date(Date.UTC(year, q * 3 + 3, 0)).toISOString().slice(0, 10);
    const byQuarter = (await (await get(`?quarter=${year}-Q${q + 1}&limit=200`)).json()) as PortfolioResponse;
    const byRange = (await (await get(`?from=${start}&to=${end}&limit=200`)).json()) as PortfolioResponse;
    expect(byQuarter.rows.length).toBeGreaterThan(0);
    expect(byQuarter.rows.map((r) => r.accountId)).toEqual(byRange.rows.map((r) => r.accountId));
    for (const row of byQuarter.rows) {
      expect(row.latestInvoice!.dueOn! >= start && row.latestInvoice!.dueOn! <= end).toBe(true);
    }
  });
});

describe("GET /v1/portfolio/totals", () => {
  const totals = async (query: string) => {
    const response = await stack.fetch(`/v1/portfolio/totals${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as PortfolioTotals;
  };
  /** Per currency, the sums of every row the filters select, added up from the grid itself. */
  const sumsOf = (rows: PortfolioResponse["rows"]) => {
    const sums = new Map<string, { invoiced: bigint; outstanding: bigint; overdue: bigint }>();
    const at = (currency: string) => {
      const sum = sums.get(currency) ?? { invoiced: 0n, outstanding: 0n, overdue: 0n };
      sums.set(currency, sum);
      return sum;
    };
    for (const row of rows) {
      if (row.latestInvoice) at(row.latestInvoice.total.currency).invoiced += BigInt(row.latestInvoice.total.minor);
      if (row.outstanding) at(row.outstanding.currency).outstanding += BigInt(row.outstanding.minor);
      if (row.overdue) at(row.overdue.currency).overdue += BigInt(row.overdue.minor);
    }
    return sums;
  };

  it("adds up every page the filters select, per currency", async () => {
    for (const query of ["", "?status=at_risk", "?overdue=true"]) {
      const rows = ((await (await get(`${query || "?"}&limit=200`)).json()) as PortfolioResponse).rows;
      const body = await totals(query);
      expect(body.accounts).toBe(rows.length);
      const expected = sumsOf(rows);
      expect(body.byCurrency.map((c) => c.currency)).toEqual([...expected.keys()].sort());
      for (const entry of body.byCurrency) {
        const sum = expected.get(entry.currency)!;
        expect([entry.invoiced.minor, entry.outstanding.minor, entry.overdue.minor]).toEqual([
          sum.invoiced.toString(),
          sum.outstanding.toString(),
          sum.overdue.toString(),
        ]);
      }
    }
    const none = await totals(`?q=${encodeURIComponent("no account is called this")}`);
    expect(none).toMatchObject({
      accounts: 0,
      byCurrency: [],
      outstanding: { total: { minor: "0" }, converted: false },
    });
  });

  it("converts to the base currency with the tenant's dated rate, and says so; without a rate, leaves it out and says so", async () => {
    const before = await totals("");
    expect(before.byCurrency.length).toBeGreaterThan(0);
    const [first] = before.byCurrency;
    expect(before.outstanding).toMatchObject({ converted: false, complete: true, label: `in ${first!.currency}` });
    // Another base currency with no rate yet: nothing converts, and the label says what was left out.
    const base = first!.currency === "CHF" ? "SEK" : "CHF";
    const settings = await stack.fetch("/v1/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ baseCurrency: base }),
    });
    expect(settings.status).toBe(200);
    const missing = await totals("");
    expect(missing.outstanding.complete).toBe(false);
    expect(missing.outstanding.total).toEqual({ minor: "0", currency: base });
    expect(missing.outstanding.label).toContain("left out");
    // A rate of exactly 2 for each currency (both have two minor digits): every total doubles, exactly.
    const rates = before.byCurrency.map((c) => ({ from: c.currency, to: base, rate: "2", effectiveOn: "2020-01-01" }));
    const saved = await stack.fetch("/v1/settings/fx-rates", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rates }),
    });
    expect(saved.status).toBe(200);
    const after = await totals("");
    const doubled = (pick: (c: PortfolioTotals["byCurrency"][number]) => string) =>
      (before.byCurrency.reduce((sum, c) => sum + BigInt(pick(c)), 0n) * 2n).toString();
    expect(after.outstanding).toMatchObject({
      total: { minor: doubled((c) => c.outstanding.minor), currency: base },
      converted: true,
      complete: true,
      label: `converted to ${base} at rates of 2020-01-01`,
    });
    expect(after.invoiced.total.minor).toBe(doubled((c) => c.invoiced.minor));
  });
});
