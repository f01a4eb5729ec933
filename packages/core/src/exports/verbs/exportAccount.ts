// Verbs: one account's invoices, payments or open discrepancies as CSV, and its forecast report as a PDF.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type AccountDetail, getAccountDetail } from "../../accounts/getAccountDetail";
import type { TenantContext } from "../../context";
import { getAccountForecast } from "../../forecast/getAccountForecast";
import { getPortfolioForecast } from "../../forecast/getPortfolioForecast";
import { type CsvColumn, csvStream, minorToMajor } from "../csv";
import {
  type AccountForecastJson,
  type AccountRevenueForecastJson,
  renderAccountForecastPdf,
} from "../pdf/accountForecast";
import { deliverExport, type ExportResult } from "./exportResult";

export const accountDatasets = ["invoices", "payments", "discrepancies"] as const;
export type AccountDataset = (typeof accountDatasets)[number];

export const exportAccountInput = z.object({
  accountId: z.string().uuid("an account id (uuid)"),
  dataset: z.enum(accountDatasets),
});
export const exportAccountReportInput = z.object({ accountId: z.string().uuid("an account id (uuid)") });

type MoneyJson = { minor: string; currency: string };
const major = (m: MoneyJson | null) => (m ? minorToMajor(m.minor, m.currency) : "");

const columns = {
  invoices: [
    { header: "invoice_id", value: (i) => i.id },
    { header: "number", value: (i) => i.number },
    { header: "issued_on", value: (i) => i.issuedOn },
    { header: "due_on", value: (i) => i.dueOn },
    { header: "currency", value: (i) => i.total.currency },
    { header: "total", value: (i) => major(i.total) },
    { header: "balance", value: (i) => major(i.balance) },
    { header: "lines", value: (i) => i.lines.length },
  ] satisfies Array<CsvColumn<AccountDetail["invoices"][number]>>,
  payments: [
    { header: "payment_id", value: (p) => p.id },
    { header: "source", value: (p) => p.source },
    { header: "status", value: (p) => p.status },
    { header: "created_at", value: (p) => p.createdAt },
    { header: "currency", value: (p) => p.amount.currency },
    { header: "amount", value: (p) => major(p.amount) },
    { header: "refunded", value: (p) => major(p.refunded) },
    { header: "disputed", value: (p) => (p.disputed ? "yes" : "no") },
    { header: "failure", value: (p) => p.failureMessage ?? p.failureCode },
    { header: "invoices", value: (p) => p.invoiceIds.join(" ") },
  ] satisfies Array<CsvColumn<AccountDetail["payments"][number]>>,
  discrepancies: [
    { header: "kind", value: (d) => d.kind },
    { header: "severity", value: (d) => d.severity },
    { header: "period", value: (d) => d.period },
    { header: "currency", value: (d) => d.amount?.currency },
    { header: "amount_at_stake", value: (d) => major(d.amount) },
    { header: "explanation", value: (d) => d.explanation },
    { header: "source_ids", value: (d) => d.sourceIds.join(" ") },
    { header: "first_seen_at", value: (d) => d.firstSeenAt },
  ] satisfies Array<CsvColumn<AccountDetail["discrepancies"][number]>>,
};

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60) || "account";

export async function exportAccountCsv({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof exportAccountInput>;
}): Promise<ExportResult> {
  const { accountId, dataset } = exportAccountInput.parse(input);
  // getAccountDetail answers null for an account the actor may not see: the same "not found" as a missing one.
  const detail = await getAccountDetail({ ctx, input: { accountId } });
  if (!detail) return { ok: false, reason: "not_found" };
  const rows: unknown[] = detail[dataset];
  return deliverExport(
    ctx,
    {
      kind: `account_${dataset}`,
      format: "csv",
      filename: `${slug(detail.account.name)}-${dataset}-${ctx.clock().toISOString().slice(0, 10)}.csv`,
      records: rows.length,
      target: { type: "account", id: accountId },
    },
    { dataset },
    () => csvStream(columns[dataset] as Array<CsvColumn<unknown>>, rows),
  );
}

export async function exportAccountForecastPdf({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof exportAccountReportInput>;
}): Promise<ExportResult> {
  const { accountId } = exportAccountReportInput.parse(input);
  const detail = await getAccountDetail({ ctx, input: { accountId } });
  if (!detail) return { ok: false, reason: "not_found" };
  return deliverExport(
    ctx,
    {
      kind: "account_forecast",
      format: "pdf",
      filename: `${slug(detail.account.name)}-forecast-${ctx.clock().toISOString().slice(0, 10)}.pdf`,
      records: 1,
      target: { type: "account", id: accountId },
    },
    {},
    async () => {
      const forecast = (await getAccountForecast({ ctx, input: { accountId } })) as AccountForecastJson | null;
      // The portfolio forecast narrowed by the account's name (the verb has no id filter), then picked by id.
      const portfolio = (await getPortfolioForecast({ ctx, input: { q: detail.account.name, limit: 500 } })) as {
        currency: string;
        accounts: Array<Omit<AccountRevenueForecastJson, "currency"> & { accountId: string }>;
      };
      const entry = portfolio.accounts.find((a) => a.accountId === accountId);
      const [tenant] = await queryRows<{ name: string }>(
        ctx.tenant.db,
        sql`select name from tenants where id = ${ctx.tenant.tenantId}::uuid`,
      );
      return renderAccountForecastPdf({
        tenantName: tenant?.name ?? "",
        generatedAt: ctx.clock().toISOString(),
        detail,
        forecast,
        revenue: entry ? { ...entry, currency: portfolio.currency } : null,
      });
    },
  );
}
