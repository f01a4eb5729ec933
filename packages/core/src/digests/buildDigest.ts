// What a quarter-end digest says to one reader: at-risk, unreconciled and overdue accounts and the quarter's forecast
// against last quarter, over the accounts the reader may see (an account manager's own, or the whole portfolio).
import { queryRows } from "@reckon/db";
import { divideHalfEven, quarterOfLabel, shiftQuarter } from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";
import { getPortfolioForecast } from "../forecast/getPortfolioForecast";
import { type MoneyJson, money } from "../money";
import { listPortfolio, type PortfolioRow } from "../portfolio/listPortfolio";
import type { DigestSlot } from "./slots";

/** How many accounts each list names; the count says how many there are in all. */
export const digestListLength = 5;

export interface DigestList {
  /** The worst first, at most `digestListLength`. */
  rows: PortfolioRow[];
  /** All the reader's accounts in the list. */
  total: number;
}

export interface DigestForecast {
  /** The quarter projected ("2026-Q4"). */
  quarter: string;
  /** Billed so far this quarter, and the projection to quarter end with its ~80% band (base currency). */
  toDate: MoneyJson;
  projected: MoneyJson;
  band: { low: MoneyJson; high: MoneyJson };
  /** What the same accounts billed the quarter before. */
  lastQuarter: { quarter: string; billed: MoneyJson };
  /** Projected against last quarter, in basis points (1250: 12.5% more); null when last quarter billed nothing. */
  changeBps: number | null;
  /** Accounts left out: an unresolved partial sync, or no FX rate into the base currency. */
  leftOut: number;
}

export interface DigestContent {
  slot: DigestSlot;
  audience: "finance" | "account_manager";
  /** The account manager's name; null for the finance channel's portfolio digest. */
  readerName: string | null;
  /** When the digest was built (ISO). */
  asOf: string;
  /** How many accounts the digest covers. */
  accounts: number;
  atRisk: DigestList;
  unreconciled: DigestList;
  overdue: DigestList & { totals: MoneyJson[] };
  forecast: DigestForecast | null;
  /** A source is down: the numbers are the last good data. */
  stale: boolean;
}

interface ForecastJson {
  currency: string;
  portfolio: {
    quarter: string;
    toDate: string;
    projectedTotal: string;
    band: { low: string; high: string };
    excluded: unknown[];
    trend: Array<{ at: string; actual: string | null }>;
  } | null;
  missingFxRate: string[];
}

/** The projection to quarter end beside what the same accounts billed in the quarter before. */
async function forecastAgainstLastQuarter(ctx: TenantContext): Promise<DigestForecast | null> {
  const forecast = (await getPortfolioForecast({ ctx, input: { limit: 1 } })) as unknown as ForecastJson;
  const p = forecast.portfolio;
  if (!p) return null;
  const previous = shiftQuarter(quarterOfLabel(p.quarter), -1);
  const from = previous.start.slice(0, 7);
  const to = previous.end.slice(0, 7);
  // The trend carries each billed month's actual from 12 months back (or the account's first bill, when later): every
  // month last quarter billed anything is in it.
  const lastBilled = p.trend
    .filter((point) => point.at >= from && point.at <= to && point.actual !== null)
    .reduce((sum, point) => sum + BigInt(point.actual!), 0n);
  const projected = BigInt(p.projectedTotal);
  const m = (minor: bigint | string) => money(minor, forecast.currency);
  return {
    quarter: p.quarter,
    toDate: m(p.toDate),
    projected: m(projected),
    band: { low: m(p.band.low), high: m(p.band.high) },
    lastQuarter: { quarter: previous.label, billed: m(lastBilled) },
    changeBps: lastBilled === 0n ? null : Number(divideHalfEven((projected - lastBilled) * 10_000n, lastBilled)),
    leftOut: p.excluded.length + forecast.missingFxRate.length,
  };
}

/** How many of the reader's accounts each list holds (not just the few it names), and the overdue per currency. */
async function counts(ctx: TenantContext) {
  const visible = visibleAccounts(ctx.actor, sql`s.owner_id`);
  const [totals] = await queryRows<{ accounts: number; at_risk: number; attention: number; overdue: number }>(
    ctx.tenant.db,
    sql`select count(*)::int as accounts, (count(*) filter (where s.status = 'at_risk'))::int as at_risk,
          (count(*) filter (where s.status = 'attention'))::int as attention,
          (count(*) filter (where s.overdue_minor > 0))::int as overdue
        from account_summaries s where s.tenant_id = ${ctx.tenant.tenantId}::uuid and ${visible}`,
  );
  const overdue = await queryRows<{ currency: string; minor: string }>(
    ctx.tenant.db,
    sql`select s.summary_currency as currency, sum(s.overdue_minor)::text as minor
        from account_summaries s
        where s.tenant_id = ${ctx.tenant.tenantId}::uuid and ${visible} and s.overdue_minor > 0
          and s.summary_currency is not null
        group by s.summary_currency order by s.summary_currency`,
  );
  return { totals: totals!, overdue: overdue.map((r) => money(r.minor, r.currency)) };
}

/** How many accounts the reader sees: an account manager without any gets no digest. */
export async function visibleAccountCount(ctx: TenantContext): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    ctx.tenant.db,
    sql`select count(*)::int as n from account_summaries s
        where s.tenant_id = ${ctx.tenant.tenantId}::uuid and ${visibleAccounts(ctx.actor, sql`s.owner_id`)}`,
  );
  return row?.n ?? 0;
}

/** The digest for the reader `ctx` acts for: the system (the finance channel's portfolio) or an account manager. */
export async function buildDigest(ctx: TenantContext, slot: DigestSlot): Promise<DigestContent> {
  const limit = digestListLength;
  const [atRisk, unreconciled, overdue, tally, forecast] = await Promise.all([
    listPortfolio({ ctx, input: { status: "at_risk", sort: "-outstanding", limit } }),
    listPortfolio({ ctx, input: { status: "attention", sort: "-discrepancies", limit } }),
    listPortfolio({ ctx, input: { overdue: "true", sort: "-outstanding", limit } }),
    counts(ctx),
    forecastAgainstLastQuarter(ctx),
  ]);
  const manager = ctx.actor.kind === "user" && ctx.actor.role === "account_manager" ? ctx.actor : null;
  return {
    slot,
    audience: manager ? "account_manager" : "finance",
    readerName: manager?.name ?? null,
    asOf: ctx.clock().toISOString(),
    accounts: tally.totals.accounts,
    atRisk: { rows: atRisk.rows, total: tally.totals.at_risk },
    unreconciled: { rows: unreconciled.rows, total: tally.totals.attention },
    overdue: { rows: overdue.rows, total: tally.totals.overdue, totals: tally.overdue },
    forecast,
    stale: atRisk.freshness.stale,
  };
}
