// Report: the portfolio as a PDF: totals and status counts, billed vs collected by month, then every account.
import { currencyExponent, type RevenueReport, totalsByCurrency } from "@reckon/reconcile";
import type { PortfolioRow } from "../../portfolio/listPortfolio";
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
import { formatInstant, formatMajor, formatMoneyCode, type Json, NONE } from "./format";
import { drawTable, type TableColumn } from "./table";

/** The portfolio grid's filters as a person reads them: the owner by name, not id. */
export interface PortfolioFilters {
  ownerName?: string | null;
  status?: PortfolioRow["status"] | null;
  q?: string | null;
  /** Latest invoice due on or after / on or before (YYYY-MM-DD). */
  from?: string | null;
  to?: string | null;
}

export interface PortfolioSummaryPdfInput {
  tenantName: string;
  /** ISO instant the report was made; also the PDF's creation date, so the same input gives the same file. */
  generatedAt: string;
  filters: PortfolioFilters;
  /** Every account the filters match (all pages of listPortfolio), in the order to print; totals are summed from them. */
  accounts: readonly PortfolioRow[];
  /** Billed vs collected by month, one report per currency, as getPortfolioMetrics returns it (`revenue`). */
  revenue: ReadonlyArray<Json<RevenueReport>>;
}

export const statusLabels: Record<PortfolioRow["status"], string> = {
  ok: "OK",
  attention: "Attention",
  at_risk: "At risk",
};

export const statusColors: Record<PortfolioRow["status"], string> = {
  ok: colors.ok,
  attention: colors.attention,
  at_risk: colors.atRisk,
};

const CHART_HEIGHT = 190;

/** The PDF of the portfolio summary. */
export function renderPortfolioSummaryPdf(
  input: PortfolioSummaryPdfInput,
  options: PdfRenderOptions = {},
): Promise<Buffer> {
  const report = startReport({
    title: "Portfolio summary",
    tenantName: input.tenantName,
    generatedAt: input.generatedAt,
    layout: "landscape",
    options,
  });
  const { doc } = report;
  textLine(doc, "Portfolio summary", MARGIN, doc.y, { size: 18, bold: true, width: contentWidth(doc) });
  doc.y += 24;
  textLine(doc, input.tenantName, MARGIN, doc.y, { size: 11, width: contentWidth(doc) });
  doc.y += 16;
  paragraph(doc, `Generated ${formatInstant(input.generatedAt)}. ${describePortfolioFilters(input.filters)}`, {
    color: colors.muted,
  });
  doc.y += 6;
  drawKeyFigures(doc, input.accounts);

  for (const currencyReport of input.revenue) {
    ensureSpace(doc, CHART_HEIGHT + 10);
    drawBilledVsCollected(doc, currencyReport);
    doc.y += CHART_HEIGHT + 10;
  }

  heading(doc, `Accounts (${input.accounts.length})`);
  if (input.accounts.length === 0) paragraph(doc, "No accounts match these filters.", { color: colors.muted });
  else drawTable(doc, accountColumns, input.accounts);
  return report.finish();
}

/** "Owner: Ana Ruiz. Status: At risk. ..." or "All accounts." */
export function describePortfolioFilters(filters: PortfolioFilters): string {
  const parts: string[] = [];
  if (filters.ownerName) parts.push(`Owner: ${filters.ownerName}`);
  if (filters.status) parts.push(`Status: ${statusLabels[filters.status]}`);
  if (filters.q) parts.push(`Name contains "${filters.q}"`);
  if (filters.from && filters.to) parts.push(`Latest invoice due ${filters.from} to ${filters.to}`);
  else if (filters.from) parts.push(`Latest invoice due on or after ${filters.from}`);
  else if (filters.to) parts.push(`Latest invoice due on or before ${filters.to}`);
  return parts.length ? `Filters: ${parts.join("; ")}.` : "All accounts.";
}

/** Totals per currency ("USD 1,200.00 / EUR 80.00"); amounts in different currencies are never added together. */
function currencyTotals(amounts: ReadonlyArray<PortfolioRow["outstanding"]>): string {
  const totals = totalsByCurrency(
    amounts.flatMap((m) => (m ? [{ minor: BigInt(m.minor), currency: m.currency }] : [])),
  );
  const entries = Object.entries(totals);
  return entries.length
    ? entries.map(([currency, minor]) => formatMoneyCode({ minor: minor.toString(), currency })).join(" / ")
    : NONE;
}

function drawKeyFigures(doc: Pdf, accounts: readonly PortfolioRow[]): void {
  const counts = { ok: 0, attention: 0, at_risk: 0 };
  for (const account of accounts) counts[account.status]++;
  const figures: Array<[string, string]> = [
    ["Outstanding", currencyTotals(accounts.map((a) => a.outstanding))],
    ["Overdue", currencyTotals(accounts.map((a) => a.overdue))],
    [
      "Accounts by status",
      (Object.keys(counts) as Array<keyof typeof counts>)
        .map((status) => `${statusLabels[status]} ${counts[status]}`)
        .join(" · "),
    ],
  ];
  for (const [label, value] of figures) {
    ensureSpace(doc, 16);
    textLine(doc, label, MARGIN, doc.y, { size: 10, bold: true });
    paragraph(doc, value, { size: 10, indent: 130 });
    doc.y += 3;
  }
  doc.y += 8;
}

function drawBilledVsCollected(doc: Pdf, report: Json<RevenueReport>): void {
  const currency = report.currency;
  drawTrendChart(
    doc,
    { x: MARGIN, y: doc.y, width: contentWidth(doc), height: CHART_HEIGHT },
    {
      title: `Billed vs collected by month (${currency})`,
      categories: report.months.map((m) => m.period),
      series: [
        { label: "Billed", color: "#3e7cb1", kind: "bar", values: report.months.map((m) => BigInt(m.billedMinor)) },
        {
          label: "Collected",
          color: "#81b29a",
          kind: "bar",
          values: report.months.map((m) => BigInt(m.collectedMinor)),
        },
      ],
      formatValue: (value) => formatMajor(value, currency).replace(/\.0+$/, ""),
      minStep: 10n ** BigInt(currencyExponent(currency)),
    },
  );
}

const accountColumns: TableColumn<PortfolioRow>[] = [
  { header: "Account", weight: 17, cell: (row) => row.name },
  { header: "Owner", weight: 11, cell: (row) => row.owner?.name ?? NONE },
  {
    header: "Status",
    weight: 7,
    cell: (row) => statusLabels[row.status],
    color: (row) => statusColors[row.status],
  },
  { header: "Outstanding", weight: 12, align: "right", cell: (row) => formatMoneyCode(row.outstanding) },
  { header: "Overdue", weight: 12, align: "right", cell: (row) => formatMoneyCode(row.overdue) },
  { header: "Days late", weight: 6, align: "right", cell: (row) => String(row.maxDaysLate) },
  { header: "Discrepancies", weight: 9, align: "right", cell: (row) => String(row.discrepancyCount) },
  { header: "Headline", weight: 26, cell: (row) => row.headline },
];
