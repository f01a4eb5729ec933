// Exports end to end: CSV and PDF bodies, the 100-record allowance enforced by the server, account managers held to
// their own accounts, and every export (and refusal) in the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { AuditPageResponse } from "./audit";
import type { PortfolioResponse } from "./portfolio";

let stack: TestStack;
let portfolio: PortfolioResponse;
const post = (path: string, role: "admin" | "finance" | "account_manager" | "viewer", body?: unknown) =>
  stack.fetch(
    path,
    body === undefined
      ? { method: "POST" }
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    role,
  );

/** Splits an RFC 4180 body into records (quoted fields may hold CRLF). */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const pair = text.slice(i, i + 2);
    if (quoted && pair === '""') {
      field += '"';
      i += 2;
      continue;
    }
    if (!quoted && pair === "\r\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      record.push(field);
      field = "";
    } else field += ch;
    i += 1;
  }
  return records;
}

beforeAll(async () => {
  stack = await startTestStack({ accounts: 60, months: 3 });
  portfolio = (await (await stack.fetch("/v1/portfolio?limit=200")).json()) as PortfolioResponse;
});
afterAll(() => stack.stop());

describe("exports", () => {
  it("streams the portfolio as CSV, then refuses past 100 records with what is left, and audits both", async () => {
    const first = await post("/v1/exports/portfolio.csv", "finance", { status: portfolio.rows[0]!.status });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(first.headers.get("content-disposition")).toMatch(/^attachment; filename="portfolio-2026-11-25\.csv"$/);
    const records = csvRecords(await first.text());
    const expected = portfolio.rows.filter((r) => r.status === portfolio.rows[0]!.status);
    expect(records[0]!.slice(0, 4)).toEqual(["account_id", "account", "owner", "status"]);
    expect(records.slice(1).map((r) => r[0])).toEqual(
      expected
        .map((r) => r.accountId)
        .sort((a, b) => {
          const name = (id: string) => expected.find((r) => r.accountId === id)!.name.toLowerCase();
          return name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a < b ? -1 : 1;
        }),
    );
    const used = expected.length;
    expect(Number(first.headers.get("x-export-remaining"))).toBe(100 - used);

    // All 60 accounts do not fit in what is left once 41+ are used; a smaller export still does.
    const tooMany = await post("/v1/exports/portfolio.csv", "finance");
    if (used + 60 > 100) {
      expect(tooMany.status).toBe(409);
      const problem = (await tooMany.json()) as { detail: string; code: string };
      expect(problem.code).toBe("conflict");
      expect(problem.detail).toContain(`${100 - used} are left`);
    } else {
      expect(tooMany.status).toBe(200);
      await tooMany.arrayBuffer();
    }
    const allowance = (await (await stack.fetch("/v1/exports/allowance", {}, "finance")).json()) as { used: number };
    expect(allowance.used).toBe(used + (used + 60 > 100 ? 0 : 60));

    const audit = (await (
      await stack.fetch(`/v1/audit?limit=200&actor=${stack.as.finance.id}`)
    ).json()) as AuditPageResponse;
    const created = audit.records.filter((r) => r.action === "export.created");
    expect(created[created.length - 1]!.details).toMatchObject({ kind: "portfolio", format: "csv", records: used });
    if (used + 60 > 100) expect(audit.records.some((r) => r.action === "export.refused")).toBe(true);
  });

  it("refuses one export of more than 100 records outright", async () => {
    const big = await startTestStack({ accounts: 110, months: 1 });
    try {
      const response = await big.fetch("/v1/exports/portfolio.csv", { method: "POST" }, "admin");
      expect(response.status).toBe(409);
      expect(((await response.json()) as { detail: string }).detail).toContain("more than 100");
      expect(((await (await big.fetch("/v1/exports/allowance")).json()) as { used: number }).used).toBe(0);
    } finally {
      await big.stop();
    }
  });

  it("renders the portfolio summary and an account's forecast report as PDF", async () => {
    const summary = await post("/v1/exports/portfolio.pdf", "admin", { q: portfolio.rows[1]!.name });
    expect(summary.status).toBe(200);
    expect(summary.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await summary.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(summary.headers.get("x-export-records")).toBe("1");
    const report = await post(`/v1/exports/accounts/${portfolio.rows[1]!.accountId}/forecast.pdf`, "admin");
    expect(report.status).toBe(200);
    expect(
      Buffer.from(await report.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  it("exports an account's invoices, payments and discrepancies, each row that account's", async () => {
    const account = portfolio.rows.find((r) => r.discrepancyCount > 0) ?? portfolio.rows[0]!;
    const detail = (await (await stack.fetch(`/v1/accounts/${account.accountId}`)).json()) as {
      invoices: Array<{ id: string }>;
      payments: Array<{ id: string }>;
      discrepancies: unknown[];
    };
    for (const [dataset, expected] of [
      ["invoices", detail.invoices.map((i) => i.id)],
      ["payments", detail.payments.map((p) => p.id)],
    ] as const) {
      const response = await post(`/v1/exports/accounts/${account.accountId}/${dataset}`, "admin");
      expect(response.status, dataset).toBe(200);
      const rows = csvRecords(await response.text());
      expect(rows.slice(1).map((r) => r[0])).toEqual(expected);
    }
    const discrepancies = csvRecords(
      await (await post(`/v1/exports/accounts/${account.accountId}/discrepancies`, "admin")).text(),
    );
    expect(discrepancies).toHaveLength(detail.discrepancies.length + 1);
    expect((await post(`/v1/exports/accounts/${account.accountId}/ledger`, "admin")).status).toBe(400);
  });

  it("holds account managers to their own accounts and refuses viewers", async () => {
    const manager = stack.as.account_manager.id;
    const mine = csvRecords(await (await post("/v1/exports/portfolio.csv", "account_manager", { q: "a" })).text());
    const own = new Set(portfolio.rows.filter((r) => r.owner?.id === manager).map((r) => r.accountId));
    expect(mine.length).toBeGreaterThan(1);
    for (const row of mine.slice(1)) expect(own.has(row[0]!)).toBe(true);
    const others = portfolio.rows.find((r) => r.owner?.id !== manager)!;
    expect((await post(`/v1/exports/accounts/${others.accountId}/invoices`, "account_manager")).status).toBe(404);
    expect((await post("/v1/exports/portfolio.csv", "viewer")).status).toBe(403);
  });
});
