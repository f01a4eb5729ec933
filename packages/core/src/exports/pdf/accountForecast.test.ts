import { formatQuantity, parseQuantity, projectToQuarterEnd, type UsageDay, usageAlerts } from "@reckon/reconcile";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { AccountDetail } from "../../accounts/getAccountDetail";
import {
  type AccountForecastDetail,
  type AccountForecastJson,
  type AccountForecastPdfInput,
  renderAccountForecastPdf,
} from "./accountForecast";
import { inspectPdf, pdfColor, strokes } from "./inspectPdf";

/** What the verbs send: bigint as decimal strings (their jsonSafe). */
const asJson = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));

const asOf = new Date("2026-11-15T12:00:00Z");

/** 90 days of steadily rising daily usage up to the day before `asOf`. */
function dailyUsage(start: number, perDay: number): UsageDay[] {
  return Array.from({ length: 90 }, (_, i) => ({
    day: new Date(Date.UTC(2026, 10, 15 - 90 + i)).toISOString().slice(0, 10),
    quantity: parseQuantity(String(start + perDay * i)),
  }));
}

/** getAccountForecast's answer for these metrics, built by the same projection and alerts the verb runs. */
function forecastOf(
  metrics: Array<{ metric: string; unit: string | null; series: UsageDay[]; committed: bigint | null }>,
  partialSync = false,
): AccountForecastJson {
  return asJson({
    accountId: "a",
    asOf: asOf.toISOString(),
    plan: "Growth",
    partialSync,
    metrics: metrics.map(({ metric, unit, series, committed }) => ({
      metric,
      unit,
      projection: projectToQuarterEnd({ series, asOf }),
      committed,
      alerts: usageAlerts({ metric, ...(unit ? { unit } : {}), series, asOf, committed }),
    })),
  });
}

const apiCalls = dailyUsage(1_000, 10);
const input = (overrides: Partial<AccountForecastPdfInput> = {}): AccountForecastPdfInput => ({
  tenantName: "Acme Analytics",
  generatedAt: "2026-11-15T14:03:00Z",
  detail: {
    account: { name: "Globex Corporation", owner: { name: "Ana Ruiz" } },
    status: { status: "at_risk", headline: "2 invoices overdue" },
    usage: [{ metric: "api_calls", unit: "calls", monthToDate: "25310.5" }],
  },
  forecast: forecastOf([
    { metric: "api_calls", unit: "calls", series: apiCalls, committed: parseQuantity("150000") },
    { metric: "storage", unit: "GB", series: dailyUsage(50, 1), committed: null },
  ]),
  revenue: {
    currency: "USD",
    quarter: "2026-Q4",
    toDate: "1234567",
    projectedTotal: "3456789",
    band: { low: "3000000", high: "3900000" },
    confidence: "normal",
  },
  ...overrides,
});

async function render(value: AccountForecastPdfInput) {
  const pdf = await renderAccountForecastPdf(value, { compress: false });
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  return inspectPdf(pdf);
}

describe("renderAccountForecastPdf", () => {
  it("takes what getAccountDetail returns as it is", () => {
    expectTypeOf<AccountDetail>().toExtend<AccountForecastDetail>();
  });

  it("shows the account, its revenue forecast and each metric's projection", async () => {
    const value = input();
    const { pages } = await render(value);
    const texts = pages.flatMap((page) => page.texts);
    expect(texts).toEqual(
      expect.arrayContaining([
        "Globex Corporation",
        "Owner: Ana Ruiz · Status: At risk · Plan: Growth",
        "2 invoices overdue",
        "Revenue forecast, 2026-Q4",
        "USD 12,345.67",
        "USD 34,567.89",
        "USD 30,000.00 to USD 39,000.00",
        "api_calls",
        "25,310.5 calls",
        "150,000 calls",
        "storage",
      ]),
    );
    for (const metric of value.forecast!.metrics) {
      expect(texts).toContain(`${formatQuantity(BigInt(metric.projection.projectedTotal))} ${metric.unit}`);
      expect(texts).toContain(`${formatQuantity(BigInt(metric.projection.toDate))} ${metric.unit}`);
    }
    expect(texts.join(" ")).toContain("Forecast as of 2026-11-15 12:00 UTC.");
    expect(texts.join(" ")).not.toContain("partial");
  });

  it("lists each alert with its severity, wrapped but whole", async () => {
    const value = input();
    const alerts = value.forecast!.metrics.flatMap((m) => m.alerts);
    expect(alerts.length).toBeGreaterThan(0);
    const text = (await render(value)).pages.flatMap((page) => page.texts).join(" ");
    for (const alert of alerts) {
      expect(text).toContain(alert.severity.toUpperCase());
      expect(text).toContain(alert.explanation);
    }
  });

  it("draws each usage trend: measured solid, projected dashed from the last measured day to quarter end", async () => {
    const value = input();
    const { pages } = await render(value);
    const content = pages.map((page) => page.content).join("\n");
    const measured = strokes(content).filter((s) => s.color === pdfColor("#3e7cb1") && s.points.length > 2);
    const projected = strokes(content).filter((s) => s.dash === "[4 3]");
    expect(projected).toHaveLength(2);
    expect(measured).toHaveLength(2);
    value.forecast!.metrics.forEach((metric, i) => {
      const trend = metric.projection.trend;
      const measuredDays = trend.filter((p) => p.actual !== null).length;
      expect(measured[i]!.dash).toBeNull();
      expect(measured[i]!.points).toHaveLength(measuredDays);
      // From the last measured day through 2026-12-31: the dashed line joins the solid one.
      expect(projected[i]!.points).toHaveLength(trend.length - measuredDays + 1);
      expect(projected[i]!.points[0]).toEqual(measured[i]!.points.at(-1));
      expect(projected[i]!.color).toBe(pdfColor("#e07a5f"));
    });
    const texts = pages.flatMap((page) => page.texts);
    expect(texts).toContain("api_calls (calls): daily usage and projection to 2026-12-31");
    expect(texts).toContain("storage (GB): daily usage and projection to 2026-12-31");
  });

  it("warns about a partial sync, and moves charts that do not fit to the next page", async () => {
    const metrics = ["a", "b", "c", "d"].map((metric) => ({ metric, unit: null, series: apiCalls, committed: null }));
    const { pages } = await render(input({ forecast: forecastOf(metrics, true) }));
    expect(pages.length).toBeGreaterThan(1);
    const texts = pages.flatMap((page) => page.texts);
    expect(texts).toContain("The last sync of this account was partial: the numbers below may be incomplete.");
    for (const metric of ["a", "b", "c", "d"]) {
      expect(texts).toContain(`${metric}: daily usage and projection to 2026-12-31`);
    }
    pages.forEach((page, p) => {
      expect(page.texts).toContain(`Page ${p + 1} of ${pages.length}`);
    });
  });

  it("says what is missing when the account has no forecast", async () => {
    const { pages } = await render(
      input({
        forecast: null,
        revenue: null,
        detail: { ...input().detail, account: { name: "Initech", owner: null } },
      }),
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]!.texts).toEqual(
      expect.arrayContaining([
        "Initech",
        "Owner: — · Status: At risk · Plan: —",
        "No revenue forecast for this account.",
        "No usage recorded for this account.",
      ]),
    );
    expect(pages[0]!.content).not.toContain("[4 3] 0 d");
  });
});
