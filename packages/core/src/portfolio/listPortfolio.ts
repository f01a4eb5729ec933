// Verb: one page of the portfolio grid, read from the account summaries reconciliation maintains.
import { queryRows } from "@reckon/db";
import { quarterOfLabel } from "@reckon/reconcile";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";
import { type MoneyJson, money } from "../money";
import { type Freshness, loadFreshness } from "../sync/loadFreshness";
import { isoDate } from "../validation";
import { decodeCursor, encodeCursor } from "./cursor";

const quarterLabel = z.string().regex(/^\d{4}-Q[1-4]$/, 'a calendar quarter like "2026-Q4"');

const sortKeys = ["name", "status", "outstanding", "due", "usage", "discrepancies"] as const;
const date = isoDate;

/** The filters the grid, its totals and its exports share. */
export const portfolioFilterFields = z.object({
  owner: z.string().uuid("an owner's user id").optional(),
  status: z.enum(["ok", "attention", "at_risk"]).optional(),
  q: z.string().trim().max(200).optional(),
  /** "true": only accounts with an overdue balance. */
  overdue: z.enum(["true", "false"]).optional(),
  /** Accounts whose latest invoice falls due inside [from, to]. */
  from: date.optional(),
  to: date.optional(),
  /** Accounts whose latest invoice falls due in this calendar quarter ("2026-Q4"): a shorthand for from and to. */
  quarter: quarterLabel.optional(),
});
type FilterFields = z.output<typeof portfolioFilterFields>;

/** The rules across fields, for any schema built on portfolioFilterFields. */
export function checkPortfolioFilters(v: FilterFields, check: z.RefinementCtx): void {
  if (v.from && v.to && v.from > v.to)
    check.addIssue({ code: "custom", message: "from must not be after to", path: ["from"] });
  if (v.quarter && (v.from || v.to)) {
    check.addIssue({ code: "custom", message: "give a quarter or a from/to range, not both", path: ["quarter"] });
  }
}

export const listPortfolioInput = portfolioFilterFields
  .extend({
    sort: z
      .string()
      .regex(new RegExp(`^-?(${sortKeys.join("|")})$`), `one of ${sortKeys.join(", ")}, with "-" for descending`)
      .default("name"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .superRefine(checkPortfolioFilters);
export type ListPortfolioInput = z.input<typeof listPortfolioInput>;

export interface PortfolioRow {
  accountId: string;
  name: string;
  owner: { id: string; name: string | null } | null;
  status: "ok" | "attention" | "at_risk";
  usage: { metric: string; unit: string | null; monthToDate: string } | null;
  latestInvoice: { number: string | null; total: MoneyJson; dueOn: string | null } | null;
  paymentStatus: string | null;
  outstanding: MoneyJson | null;
  overdue: MoneyJson | null;
  maxDaysLate: number;
  discrepancyCount: number;
  /** Flags people raised on the account and finance has not resolved yet. */
  openFlagCount: number;
  outlier: boolean;
  headline: string;
  reconciledAt: string;
}

export interface PortfolioPage {
  rows: PortfolioRow[];
  nextCursor: string | null;
  sort: string;
  /** Per source, the last good sync and whether it is down: rows are the stored data, flagged stale. */
  freshness: Freshness;
}

// Sort expressions come from this fixed map only: nothing from the request is spliced into SQL.
const sortExpressions: Record<(typeof sortKeys)[number], SQL> = {
  name: sql`lower(s.account_name)`,
  status: sql`(case s.status when 'at_risk' then 0 when 'attention' then 1 else 2 end)`,
  outstanding: sql`s.outstanding_minor`,
  due: sql`coalesce(s.latest_invoice_due_on, date '9999-12-31')`,
  usage: sql`coalesce(s.usage_mtd, 0)`,
  discrepancies: sql`s.discrepancy_count`,
};

type SummaryRow = {
  account_id: string;
  account_name: string;
  owner_id: string | null;
  owner_name: string | null;
  status: PortfolioRow["status"];
  usage_metric: string | null;
  usage_unit: string | null;
  usage_mtd: string | null;
  latest_invoice_number: string | null;
  latest_invoice_total_minor: string | null;
  latest_invoice_currency: string | null;
  latest_invoice_due_on: string | null;
  payment_status: string | null;
  outstanding_minor: string;
  overdue_minor: string;
  summary_currency: string | null;
  max_days_late: number;
  discrepancy_count: number;
  open_flag_count: number;
  outlier: boolean;
  headline: string;
  reconciled_at: Date | string;
  sort_value: string;
};

export async function listPortfolio({ ctx, input }: { ctx: TenantContext; input: ListPortfolioInput }) {
  const filters = listPortfolioInput.parse(input);
  const descending = filters.sort.startsWith("-");
  const key = filters.sort.replace(/^-/, "") as (typeof sortKeys)[number];
  const expression = sortExpressions[key];
  const after = filters.cursor ? decodeCursor(filters.cursor, filters.sort) : null;

  const conditions = portfolioConditions(ctx, filters);
  if (after) {
    conditions.push(
      descending
        ? sql`(${expression}, s.account_id) < (${after.value}, ${after.id}::uuid)`
        : sql`(${expression}, s.account_id) > (${after.value}, ${after.id}::uuid)`,
    );
  }
  const direction = descending ? sql.raw("desc") : sql.raw("asc");
  const rows = await queryRows<SummaryRow>(
    ctx.tenant.db,
    sql`select s.account_id, s.account_name, s.owner_id, s.owner_name, s.status, s.usage_metric, s.usage_unit,
          trim_scale(s.usage_mtd)::text as usage_mtd, s.latest_invoice_number, s.latest_invoice_total_minor::text as latest_invoice_total_minor,
          s.latest_invoice_currency, s.latest_invoice_due_on::text as latest_invoice_due_on, s.payment_status,
          s.outstanding_minor::text as outstanding_minor, s.overdue_minor::text as overdue_minor, s.summary_currency,
          s.max_days_late, s.discrepancy_count, s.outlier, s.headline, s.reconciled_at,
          -- Counted for the page's rows only (after the limit), through the partial index of open flags.
          (select count(*)::int from flags f where f.tenant_id = s.tenant_id and f.account_id = s.account_id
             and f.status = 'open') as open_flag_count,
          (${expression})::text as sort_value
        from account_summaries s
        where ${sql.join(conditions, sql` and `)}
        order by ${expression} ${direction}, s.account_id ${direction}
        limit ${filters.limit + 1}`,
  );
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    rows: page.map(toPortfolioRow),
    nextCursor:
      rows.length > filters.limit && last ? encodeCursor(filters.sort, last.sort_value, last.account_id) : null,
    sort: filters.sort,
    freshness: await loadFreshness(ctx),
  } satisfies PortfolioPage;
}

/** The rows of account_summaries (alias `s`) the filters select and the actor may see; the cursor is the caller's. */
export function portfolioConditions(ctx: TenantContext, filters: FilterFields): SQL[] {
  const quarter = filters.quarter ? quarterOfLabel(filters.quarter) : null;
  const from = quarter?.start ?? filters.from;
  const to = quarter?.end ?? filters.to;
  const conditions: SQL[] = [
    sql`s.tenant_id = ${ctx.tenant.tenantId}::uuid`,
    visibleAccounts(ctx.actor, sql`s.owner_id`),
  ];
  if (filters.owner) conditions.push(sql`s.owner_id = ${filters.owner}::uuid`);
  if (filters.status) conditions.push(sql`s.status = ${filters.status}`);
  if (filters.overdue === "true") conditions.push(sql`s.overdue_minor > 0`);
  if (filters.q) conditions.push(sql`s.account_name ilike ${`%${escapeLike(filters.q)}%`}`);
  if (from) conditions.push(sql`s.latest_invoice_due_on >= ${from}::date`);
  if (to) conditions.push(sql`s.latest_invoice_due_on <= ${to}::date`);
  return conditions;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toPortfolioRow(r: SummaryRow): PortfolioRow {
  return {
    accountId: r.account_id,
    name: r.account_name,
    owner: r.owner_id ? { id: r.owner_id, name: r.owner_name } : null,
    status: r.status,
    usage: r.usage_metric ? { metric: r.usage_metric, unit: r.usage_unit, monthToDate: r.usage_mtd ?? "0" } : null,
    latestInvoice:
      r.latest_invoice_total_minor !== null && r.latest_invoice_currency
        ? {
            number: r.latest_invoice_number,
            total: money(r.latest_invoice_total_minor, r.latest_invoice_currency),
            dueOn: r.latest_invoice_due_on,
          }
        : null,
    paymentStatus: r.payment_status,
    outstanding: r.summary_currency ? money(r.outstanding_minor, r.summary_currency) : null,
    overdue: r.summary_currency ? money(r.overdue_minor, r.summary_currency) : null,
    maxDaysLate: r.max_days_late,
    discrepancyCount: r.discrepancy_count,
    openFlagCount: r.open_flag_count,
    outlier: r.outlier,
    headline: r.headline,
    reconciledAt: new Date(r.reconciled_at).toISOString(),
  };
}
