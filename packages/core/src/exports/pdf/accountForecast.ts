// Report: one account's forecast as a PDF: revenue and usage projected to quarter end, alerts, and each usage trend.
import type { Confidence, RevenueProjection, UsageAlert, UsageProjection } from "@reckon/reconcile";
import { MICRO } from "@reckon/reconcile";
import { drawTrendChart } from "./chart";
import {
  colors,
  contentWidth,
  ensureSpace,
  heading,
  MARGIN,
  type Pdf,
  type PdfRenderOptions,
  paragraph,
  startReport,
  textLine,
} from "./document";
import { formatInstant, formatMoneyCode, formatUsage, formatUsageDecimal, type Json, NONE } from "./format";
import { drawTable } from "./table";

/** The parts of getAccountDetail's answer the report shows (an AccountDetail fits as it is). */
export interface AccountForecastDetail {
  account: { name: string; owner: { name: string } | null };
  status: { status: string; headline: string } | null;
  /** Usage month to date per metric, as decimals ("1250.5"). */
  usage: ReadonlyArray<{ metric: string; unit: string | null; monthToDate: string }>;
}

/** One metric of getAccountForecast's answer (the verb returns it as loosely typed JSON; this is its shape). */
export interface MetricForecastJson {
  metric: string;
  unit: string | null;
  projection: Json<UsageProjection>;
  /** Committed volume for the quarter in micro-units; null without a rate card. */
  committed: string | null;
  alerts: Array<Json<UsageAlert>>;
}

/** getAccountForecast's answer. */
export interface AccountForecastJson {
  asOf: string;
  plan: string | null;
  partialSync: boolean;
  metrics: MetricForecastJson[];
}

/** The account's entry in getPortfolioForecast's `accounts`, with that answer's `currency` (minor units as strings). */
export type AccountRevenueForecastJson = Json<
  Pick<RevenueProjection, "quarter" | "toDate" | "projectedTotal" | "band" | "confidence" | "currency">
>;

export interface AccountForecastPdfInput {
  tenantName: string;
  /** ISO instant the report was made; also the PDF's creation date, so the same input gives the same file. */
  generatedAt: string;
  detail: AccountForecastDetail;
  /** Null when the account has no usage forecast (getAccountForecast answered null). */
  forecast: AccountForecastJson | null;
  /** Null when the account has no revenue forecast (left out of the portfolio forecast, or no invoices). */
  revenue: AccountRevenueForecastJson | null;
}

const CHART_HEIGHT = 200;
const severityColors = { critical: colors.atRisk, warning: colors.attention, info: colors.muted } as const;
const confidenceLabels: Record<Confidence, string> = { normal: "Normal", low: "Low (little history)" };

/** The PDF of one account's forecast. */
export function renderAccountForecastPdf(
  input: AccountForecastPdfInput,
  options: PdfRenderOptions = {},
): Promise<Buffer> {
  const { detail, forecast } = input;
  const report = startReport({
    title: `Forecast: ${detail.account.name}`,
    tenantName: input.tenantName,
    generatedAt: input.generatedAt,
    layout: "portrait",
    options,
  });
  const { doc } = report;
  textLine(doc, detail.account.name, MARGIN, doc.y, { size: 18, bold: true, width: contentWidth(doc) });
  doc.y += 24;
  const facts = [
    `Owner: ${detail.account.owner?.name || NONE}`,
    `Status: ${detail.status ? statusLabel(detail.status.status) : NONE}`,
    `Plan: ${forecast?.plan ?? NONE}`,
  ];
  paragraph(doc, facts.join(" · "), { size: 10 });
  if (detail.status?.headline) paragraph(doc, detail.status.headline, { size: 10 });
  const asOf = forecast ? ` Forecast as of ${formatInstant(forecast.asOf)}.` : "";
  paragraph(doc, `${input.tenantName}. Generated ${formatInstant(input.generatedAt)}.${asOf}`, { color: colors.muted });
  if (forecast?.partialSync) {
    paragraph(doc, "The last sync of this account was partial: the numbers below may be incomplete.", {
      bold: true,
      color: colors.atRisk,
    });
  }

  drawRevenueForecast(doc, input.revenue);
  heading(doc, "Usage to quarter end");
  if (!forecast?.metrics.length) {
    paragraph(doc, "No usage recorded for this account.", { color: colors.muted });
    return report.finish();
  }
  drawUsageTable(doc, forecast.metrics, detail.usage);
  drawAlerts(doc, forecast.metrics);
  heading(doc, "Usage trends", CHART_HEIGHT);
  for (const metric of forecast.metrics) {
    ensureSpace(doc, CHART_HEIGHT + 12);
    drawUsageTrend(doc, metric);
    doc.y += CHART_HEIGHT + 12;
  }
  return report.finish();
}

function statusLabel(status: string): string {
  const text = status.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function drawRevenueForecast(doc: Pdf, revenue: AccountRevenueForecastJson | null): void {
  heading(doc, revenue ? `Revenue forecast, ${revenue.quarter}` : "Revenue forecast");
  if (!revenue) {
    paragraph(doc, "No revenue forecast for this account.", { color: colors.muted });
    return;
  }
  const amount = (minor: string) => formatMoneyCode({ minor, currency: revenue.currency });
  const figures: Array<[string, string]> = [
    ["Billed this quarter", amount(revenue.toDate)],
    ["Projected quarter total", amount(revenue.projectedTotal)],
    ["Likely range (~80%)", `${amount(revenue.band.low)} to ${amount(revenue.band.high)}`],
    ["Confidence", confidenceLabels[revenue.confidence]],
  ];
  for (const [label, value] of figures) {
    ensureSpace(doc, 14);
    textLine(doc, label, MARGIN, doc.y, { size: 10, bold: true });
    textLine(doc, value, MARGIN + 150, doc.y, { size: 10, width: contentWidth(doc) - 150 });
    doc.y += 14;
  }
}

function drawUsageTable(doc: Pdf, metrics: readonly MetricForecastJson[], usage: AccountForecastDetail["usage"]): void {
  const monthToDate = new Map(usage.map((u) => [u.metric, u]));
  drawTable(
    doc,
    [
      { header: "Metric", weight: 16, cell: (m: MetricForecastJson) => m.metric },
      {
        header: "Month to date",
        weight: 13,
        align: "right",
        cell: (m) => {
          const own = monthToDate.get(m.metric);
          return own ? formatUsageDecimal(own.monthToDate, m.unit) : NONE;
        },
      },
      { header: "Quarter to date", weight: 13, align: "right", cell: (m) => formatUsage(m.projection.toDate, m.unit) },
      {
        header: "Projected",
        weight: 13,
        align: "right",
        cell: (m) => formatUsage(m.projection.projectedTotal, m.unit),
      },
      {
        header: "Range (~80%)",
        weight: 20,
        align: "right",
        cell: (m) => `${formatUsage(m.projection.band.low, null)} to ${formatUsage(m.projection.band.high, null)}`,
      },
      {
        header: "Committed",
        weight: 13,
        align: "right",
        cell: (m) => (m.committed === null ? NONE : formatUsage(m.committed, m.unit)),
      },
      { header: "Confidence", weight: 10, cell: (m) => (m.projection.confidence === "low" ? "Low" : "Normal") },
    ],
    metrics,
  );
}

function drawAlerts(doc: Pdf, metrics: readonly MetricForecastJson[]): void {
  const alerts = metrics.flatMap((m) => m.alerts);
  heading(doc, "Alerts", 14);
  if (!alerts.length) {
    paragraph(doc, "No usage alerts.", { color: colors.muted });
    return;
  }
  for (const alert of alerts) {
    ensureSpace(doc, 14);
    textLine(doc, alert.severity.toUpperCase(), MARGIN, doc.y, { bold: true, color: severityColors[alert.severity] });
    paragraph(doc, alert.explanation, { indent: 60 });
    doc.y += 2;
  }
}

/** Daily usage as measured, then the fitted projection to quarter end (dashed) inside its ~80% band. */
function drawUsageTrend(doc: Pdf, metric: MetricForecastJson): void {
  const { projection } = metric;
  const trend = projection.trend;
  const firstProjected = trend.findIndex((point) => point.actual === null);
  const projected = (index: number) => firstProjected !== -1 && index >= firstProjected;
  // The projection starts from the last measured day, so the dashed line continues the solid one without a gap.
  const joinsAt = firstProjected > 0 ? firstProjected - 1 : firstProjected;
  drawTrendChart(
    doc,
    { x: MARGIN, y: doc.y, width: contentWidth(doc), height: CHART_HEIGHT },
    {
      title: `${metric.metric}${metric.unit ? ` (${metric.unit})` : ""}: daily usage and projection to ${projection.quarterEnd}`,
      categories: trend.map((point) => point.day),
      series: [
        {
          label: "Measured",
          color: "#3e7cb1",
          kind: "line",
          values: trend.map((point) => (point.actual === null ? null : BigInt(point.actual))),
        },
        {
          label: "Projected",
          color: "#e07a5f",
          kind: "line",
          dashed: true,
          values: trend.map((point, i) =>
            i === joinsAt && point.actual !== null ? BigInt(point.actual) : projected(i) ? BigInt(point.fitted) : null,
          ),
        },
      ],
      band: {
        label: "Likely range (~80%)",
        color: "#f6ddd3",
        low: trend.map((point, i) => (projected(i) ? BigInt(point.low) : null)),
        high: trend.map((point, i) => (projected(i) ? BigInt(point.high) : null)),
      },
      formatValue: (value) => formatUsage(value, null),
      minStep: MICRO,
    },
  );
}
