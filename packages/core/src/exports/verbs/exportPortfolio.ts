// Verbs: the portfolio grid as CSV, and the portfolio summary as a PDF with its billed-vs-collected chart.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { exportRecordLimit } from "../../access/exportAllowance";
import type { TenantContext } from "../../context";
import { getPortfolioMetrics } from "../../metrics/getPortfolioMetrics";
import { datesInOrder, portfolioScopeFields } from "../../metrics/scope";
import { listPortfolio, type PortfolioRow } from "../../portfolio/listPortfolio";
import { type CsvColumn, csvStream, minorToMajor } from "../csv";
import { renderPortfolioSummaryPdf } from "../pdf/portfolioSummary";
import { deliverExport, type ExportResult } from "./exportResult";

export const exportPortfolioInput = portfolioScopeFields
  .extend({
    sort: z
      .string()
      .regex(/^-?(name|status|outstanding|due|usage|discrepancies)$/, "a portfolio sort key, - for descending")
      .default("name"),
  })
  .strict()
  .refine(datesInOrder, { message: "from must not be after to", path: ["from"] });
export type ExportPortfolioInput = z.input<typeof exportPortfolioInput>;

const money = (m: { minor: string; currency: string } | null) => (m ? minorToMajor(m.minor, m.currency) : "");

const portfolioColumns: Array<CsvColumn<PortfolioRow>> = [
  { header: "account_id", value: (r) => r.accountId },
  { header: "account", value: (r) => r.name },
  { header: "owner", value: (r) => r.owner?.name ?? "" },
  { header: "status", value: (r) => r.status },
  { header: "usage_metric", value: (r) => r.usage?.metric ?? "" },
  { header: "usage_month_to_date", value: (r) => r.usage?.monthToDate ?? "" },
  { header: "latest_invoice", value: (r) => r.latestInvoice?.number ?? "" },
  { header: "latest_invoice_total", value: (r) => money(r.latestInvoice?.total ?? null) },
  { header: "latest_invoice_due_on", value: (r) => r.latestInvoice?.dueOn ?? "" },
  { header: "payment_status", value: (r) => r.paymentStatus ?? "" },
  { header: "currency", value: (r) => r.outstanding?.currency ?? r.latestInvoice?.total.currency ?? "" },
  { header: "outstanding", value: (r) => money(r.outstanding) },
  { header: "overdue", value: (r) => money(r.overdue) },
  { header: "max_days_late", value: (r) => r.maxDaysLate },
  { header: "discrepancies", value: (r) => r.discrepancyCount },
  { header: "headline", value: (r) => r.headline },
  { header: "reconciled_at", value: (r) => r.reconciledAt },
];

/** The accounts the filters match, one more than the limit at most (enough to know it is over). */
async function matchingAccounts(ctx: TenantContext, filters: z.infer<typeof exportPortfolioInput>) {
  const page = await listPortfolio({ ctx, input: { ...filters, limit: exportRecordLimit + 1 } });
  return page.rows;
}

function stamp(ctx: TenantContext): string {
  return ctx.clock().toISOString().slice(0, 10);
}

export async function exportPortfolioCsv({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ExportPortfolioInput;
}): Promise<ExportResult> {
  const filters = exportPortfolioInput.parse(input);
  const rows = await matchingAccounts(ctx, filters);
  return deliverExport(
    ctx,
    { kind: "portfolio", format: "csv", filename: `portfolio-${stamp(ctx)}.csv`, records: rows.length },
    { filters },
    () => csvStream(portfolioColumns, rows),
  );
}

export async function exportPortfolioPdf({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ExportPortfolioInput;
}): Promise<ExportResult> {
  const filters = exportPortfolioInput.parse(input);
  const rows = await matchingAccounts(ctx, filters);
  return deliverExport(
    ctx,
    { kind: "portfolio_summary", format: "pdf", filename: `portfolio-summary-${stamp(ctx)}.pdf`, records: rows.length },
    { filters },
    async () => {
      const [tenant] = await queryRows<{ name: string }>(
        ctx.tenant.db,
        sql`select name from tenants where id = ${ctx.tenant.tenantId}::uuid`,
      );
      const owner = rows.find((r) => r.owner?.id === filters.owner)?.owner?.name;
      const metrics = await getPortfolioMetrics({
        ctx,
        input: {
          ...(filters.owner ? { owner: filters.owner } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.q ? { q: filters.q } : {}),
        },
      });
      return renderPortfolioSummaryPdf({
        tenantName: tenant?.name ?? "",
        generatedAt: ctx.clock().toISOString(),
        filters: {
          ...(owner ? { ownerName: owner } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.q ? { q: filters.q } : {}),
          ...(filters.from ? { from: filters.from } : {}),
          ...(filters.to ? { to: filters.to } : {}),
        },
        accounts: rows,
        revenue: (metrics as { revenue: Parameters<typeof renderPortfolioSummaryPdf>[0]["revenue"] }).revenue,
      });
    },
  );
}
