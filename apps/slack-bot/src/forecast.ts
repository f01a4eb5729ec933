// The portfolio's quarter-end forecast as Slack shows it (the /billing forecast answer, App Home and digests).
import { getPortfolioForecast, type TenantContext } from "@reckon/core";
import type { KnownBlock } from "@slack/types";
import { forecastBlocks } from "./blocks/lists";
import { moneyText } from "./format";

interface PortfolioForecastJson {
  currency: string;
  portfolio: {
    quarter: string;
    toDate: string;
    projectedTotal: string;
    band: { low: string; high: string };
    excluded: Array<{ accountId: string }>;
  } | null;
  accounts: Array<{ name: string; projectedTotal: string; partialSync: boolean }>;
}

export interface ForecastSummary {
  quarter: string | null;
  lines: Array<{ label: string; value: string }>;
  leftOut: number;
}

export async function portfolioForecastSummary(ctx: TenantContext): Promise<ForecastSummary> {
  const forecast = (await getPortfolioForecast({ ctx, input: { limit: 3 } })) as unknown as PortfolioForecastJson;
  const p = forecast.portfolio;
  if (!p) return { quarter: null, lines: [], leftOut: 0 };
  const m = (minor: string) => moneyText({ minor, currency: forecast.currency });
  return {
    quarter: p.quarter,
    lines: [
      { label: "Billed so far", value: m(p.toDate) },
      {
        label: "Projected quarter total",
        value: `${m(p.projectedTotal)} (80%: ${m(p.band.low)} to ${m(p.band.high)})`,
      },
      ...forecast.accounts.map((a) => ({ label: a.name, value: m(a.projectedTotal) })),
    ],
    leftOut: p.excluded.length,
  };
}

export async function portfolioForecastBlocks(ctx: TenantContext): Promise<KnownBlock[]> {
  const summary = await portfolioForecastSummary(ctx);
  return forecastBlocks({ quarter: summary.quarter ?? "this quarter", lines: summary.lines, leftOut: summary.leftOut });
}
