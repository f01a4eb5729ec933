// GET /v1/metrics, /v1/forecast and /v1/accounts/:id/forecast on the demo tenant: numbers that tie out, filters, 4xx.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../test/stack";
import type { PortfolioResponse } from "./portfolio";

let stack: Awaited<ReturnType<typeof startTestStack>>;
const get = async <T>(path: string) => {
  const response = await stack.fetch(`${path}`);
  return { status: response.status, body: (await response.json()) as T };
};

type Metrics = {
  accounts: number;
  aging: { portfolio: Array<{ currency: string; totalMinor: string; buckets: Record<string, string> }> };
  receivables: Array<{ currency: string; dso: { standard: { ok: boolean } }; cei: { ok: boolean } }>;
  mrr: Array<{ currency: string; total: Record<string, string>; months: Array<{ mrrMinor: string }> }>;
};
type Forecast = {
  currency: string;
  portfolio: { projectedTotal: string; included: string[]; excluded: unknown[] } | null;
  accounts: Array<{ accountId: string; projectedTotal: string }>;
};

beforeAll(async () => {
  stack = await startTestStack({ accounts: 24, months: 8 });
});
afterAll(() => stack.stop());

describe("finance routes", () => {
  it("ties the aging buckets to the open receivables and MRR movements to MRR", async () => {
    const { status, body } = await get<Metrics>("/v1/metrics");
    expect(status).toBe(200);
    expect(body.accounts).toBe(24);
    for (const totals of body.aging.portfolio) {
      const sum = Object.values(totals.buckets).reduce((a, b) => a + BigInt(b), 0n);
      expect(sum).toBe(BigInt(totals.totalMinor));
    }
    expect(body.receivables[0]?.dso.standard.ok).toBe(true);
    for (const report of body.mrr) {
      const t = report.total;
      const end =
        BigInt(t.startMinor!) +
        BigInt(t.newMinor!) +
        BigInt(t.expansionMinor!) +
        BigInt(t.reactivationMinor!) -
        BigInt(t.contractionMinor!) -
        BigInt(t.churnMinor!);
      expect(end).toBe(BigInt(t.endMinor!));
      expect(BigInt(report.months.at(-1)!.mrrMinor)).toBe(end);
    }
  });

  it("scopes metrics to an owner's accounts", async () => {
    const page = (await (await stack.fetch(`/v1/portfolio?limit=200`)).json()) as PortfolioResponse;
    const owner = page.rows.find((r) => r.owner)!.owner!.id;
    const owned = page.rows.filter((r) => r.owner?.id === owner).length;
    const { body } = await get<Metrics>(`/v1/metrics?owner=${owner}`);
    expect(body.accounts).toBe(owned);
  });

  it("sums the portfolio forecast from its accounts", async () => {
    const { status, body } = await get<Forecast>("/v1/forecast?limit=500");
    expect(status).toBe(200);
    expect(body.portfolio?.included).toHaveLength(24);
    const sum = body.accounts.reduce((a, r) => a + BigInt(r.projectedTotal), 0n);
    expect(BigInt(body.portfolio!.projectedTotal)).toBe(sum);
  });

  it("projects an account's usage per metric with a backtest", async () => {
    const page = (await (await stack.fetch(`/v1/portfolio?limit=1`)).json()) as PortfolioResponse;
    const { status, body } = await get<{
      metrics: Array<{ metric: string; projection: { quarter: string }; backtest: { formula: string } }>;
    }>(`/v1/accounts/${page.rows[0]!.accountId}/forecast`);
    expect(status).toBe(200);
    expect(body.metrics.length).toBeGreaterThan(0);
    expect(body.metrics[0]!.projection.quarter).toBe("2026-Q4");
    expect(body.metrics[0]!.backtest.formula).toMatch(/actual/);
  });

  it.each([
    ["/v1/metrics?from=2026-13-01", 400],
    ["/v1/metrics?from=2026-11-01&to=2026-10-01", 400],
    ["/v1/metrics?bogus=1", 400],
    ["/v1/forecast?limit=0", 400],
    ["/v1/forecast?owner=nope", 400],
    ["/v1/accounts/not-an-id/forecast", 400],
    ["/v1/accounts/00000000-0000-4000-8000-000000000000/forecast", 404],
  ])("answers %s with %i", async (path, expected) => {
    const response = await stack.fetch(`${path}`);
    expect(response.status).toBe(expected);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });
});
