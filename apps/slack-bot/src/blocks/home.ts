// The App Home tab: the signed-in user's portfolio at a glance, rebuilt each time they open it.
import { listPortfolio, type PortfolioRow, type TenantContext } from "@reckon/core";
import type { KnownBlock } from "@slack/types";
import { portfolioForecastSummary } from "../forecast";
import { escapeMrkdwn, moneyText, statusEmoji } from "../format";
import { actionIds } from "./ids";
import { button, capBlocks, context, divider, header, section } from "./kit";

function rows(title: string, list: PortfolioRow[], empty: string, detail: (r: PortfolioRow) => string): KnownBlock[] {
  if (list.length === 0) return [section(`*${title}*\n${empty}`)];
  return [
    section(`*${title}*`),
    ...list.map((r) =>
      section(
        `${statusEmoji[r.status] ?? ""} *${escapeMrkdwn(r.name)}* · ${detail(r)}`,
        button("Open", actionIds.openAccount, r.accountId),
      ),
    ),
  ];
}

export async function homeView(ctx: TenantContext): Promise<KnownBlock[]> {
  const [atRisk, overdue, attention, forecast] = await Promise.all([
    listPortfolio({ ctx, input: { status: "at_risk", sort: "-outstanding", limit: 5 } }),
    listPortfolio({ ctx, input: { overdue: "true", sort: "-outstanding", limit: 5 } }),
    listPortfolio({ ctx, input: { status: "attention", sort: "-discrepancies", limit: 5 } }),
    portfolioForecastSummary(ctx),
  ]);
  const name = ctx.actor.kind === "user" ? ctx.actor.name : "Reckon";
  const blocks: KnownBlock[] = [
    header(`${name}'s portfolio`),
    context(`As of ${ctx.clock().toISOString().slice(0, 16).replace("T", " ")} UTC · \`/billing help\` for commands`),
    ...(atRisk.freshness.stale ? [context(":hourglass: A source is unreachable: showing the last good data.")] : []),
    divider(),
    ...rows("At risk", atRisk.rows, "No account at risk.", (r) => escapeMrkdwn(r.headline)),
    divider(),
    ...rows(
      "Overdue",
      overdue.rows,
      "Nothing overdue.",
      (r) => `${moneyText(r.overdue)} overdue, ${r.maxDaysLate} days late`,
    ),
    divider(),
    ...rows(
      "Unreconciled",
      attention.rows,
      "Everything reconciles.",
      (r) =>
        `${r.discrepancyCount} ${r.discrepancyCount === 1 ? "discrepancy" : "discrepancies"}: ${escapeMrkdwn(r.headline)}`,
    ),
    divider(),
    section(
      forecast.quarter
        ? `*Forecast to the end of ${forecast.quarter}*\n${forecast.lines
            .slice(0, 2)
            .map((l) => `${l.label}: ${l.value}`)
            .join(
              "\n",
            )}${forecast.leftOut ? `\n:warning: ${forecast.leftOut} account(s) left out (partial sync).` : ""}`
        : "*Forecast*\nNothing billed yet to forecast from.",
    ),
  ];
  // Home tabs allow 100 blocks; the lists above stay far below it.
  return capBlocks(blocks, "More in the web view.");
}
