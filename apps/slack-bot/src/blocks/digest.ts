// The quarter-end digest: what needs attention before the quarter closes (at risk, unreconciled, overdue) and the
// forecast against last quarter, for finance (the portfolio) or an account manager (their own accounts).
import type { DigestContent, DigestForecast, DigestList, PortfolioRow } from "@reckon/core";
import { divideHalfEven } from "@reckon/reconcile";
import type { KnownBlock } from "@slack/types";
import { dayText, escapeMrkdwn, moneyText, statusEmoji } from "../format";
import type { SlackMessageContent } from "./approval";
import { capBlocks, context, divider, header, section } from "./kit";

function listSection(title: string, list: DigestList, none: string, detail: (row: PortfolioRow) => string): KnownBlock {
  if (list.total === 0) return section(`*${title}*: ${none}`);
  const lines = list.rows.map((row) => `${statusEmoji[row.status] ?? ""} *${escapeMrkdwn(row.name)}*: ${detail(row)}`);
  const rest = list.total - list.rows.length;
  const more = rest > 0 ? `\n_…and ${rest} more: \`/billing portfolio\` or Reckon's web view._` : "";
  return section(`*${title} (${list.total})*\n${lines.join("\n")}${more}`);
}

/** Basis points as a signed percentage with one decimal ("+12.5 %"), rounded half-even like every Reckon number. */
export function changeText(bps: number): string {
  const tenths = divideHalfEven(BigInt(bps), 10n);
  const abs = tenths < 0n ? -tenths : tenths;
  const sign = tenths > 0n ? "+" : tenths < 0n ? "−" : "±";
  return `${sign}${abs / 10n}.${abs % 10n} %`;
}

function forecastSection(forecast: DigestForecast | null): KnownBlock[] {
  if (!forecast) return [section("*Forecast*: not enough invoice history to project this quarter yet.")];
  const f = forecast;
  const last = f.lastQuarter;
  const against =
    f.changeBps === null
      ? `${last.quarter} billed nothing to compare with.`
      : `${last.quarter} billed ${moneyText(last.billed)}: ${changeText(f.changeBps)} projected against it.`;
  return [
    section(
      [
        `*Forecast to the end of ${f.quarter}*: ${moneyText(f.projected)} (80 % band ${moneyText(f.band.low)} to ${moneyText(f.band.high)}); billed so far ${moneyText(f.toDate)}.`,
        against,
      ].join("\n"),
    ),
    ...(f.leftOut > 0
      ? [context(`:warning: ${f.leftOut} account(s) left out: an unresolved partial sync or no FX rate.`)]
      : []),
  ];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The digest as one Slack message: a header, the three lists, the forecast; `text` is its notification line. */
export function digestMessage(content: DigestContent): SlackMessageContent {
  const { slot, atRisk, unreconciled, overdue } = content;
  const whose = content.audience === "finance" ? "The portfolio" : "Your accounts";
  const days = plural(slot.daysBefore, "day", "days");
  const overdueTotal = overdue.totals.map(moneyText).join(" + ");
  const blocks: KnownBlock[] = [
    header(`${slot.quarter} closes in ${days}`),
    context(
      `${whose} (${plural(content.accounts, "account", "accounts")}) on ${dayText(slot.localDay)}, before the quarter ends on ${dayText(slot.quarterEnd)}.`,
    ),
    ...(content.stale ? [context(":hourglass: A source is unreachable: these numbers are the last good data.")] : []),
    listSection("At risk", atRisk, "none :tada:", (r) => escapeMrkdwn(r.headline)),
    listSection(
      "Unreconciled",
      unreconciled,
      "everything reconciles.",
      (r) => `${plural(r.discrepancyCount, "discrepancy", "discrepancies")}. ${escapeMrkdwn(r.headline)}`,
    ),
    listSection(
      overdueTotal ? `Overdue, ${overdueTotal} in all` : "Overdue",
      overdue,
      "nothing overdue.",
      (r) => `${moneyText(r.overdue)} overdue, ${plural(r.maxDaysLate, "day", "days")} late`,
    ),
    divider(),
    ...forecastSection(content.forecast),
    context("Open an account with `/billing <account>`; the whole list is in Reckon's web view."),
  ];
  const text = `${slot.quarter} closes in ${days}: ${atRisk.total} at risk, ${unreconciled.total} unreconciled, ${overdue.total} overdue`;
  return { text, blocks: capBlocks(blocks, "More in Reckon's web view.") };
}
