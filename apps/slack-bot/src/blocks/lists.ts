// Portfolio, overdue and forecast answers, the help text, and the chooser when a name matches several accounts.

import type { FoundAccount, PortfolioRow } from "@reckon/core";
import type { KnownBlock } from "@slack/types";
import { escapeMrkdwn, moneyText, statusEmoji } from "../format";
import { actionIds } from "./ids";
import { actions, button, capBlocks, context, header, section } from "./kit";

export function helpBlocks(problem?: string): KnownBlock[] {
  return [
    ...(problem ? [section(`:information_source: ${escapeMrkdwn(problem)}`)] : []),
    section(
      [
        "*Reckon in Slack*",
        "`/billing portfolio`: your accounts, worst first",
        "`/billing overdue`: accounts with overdue invoices",
        "`/billing forecast`: the quarter-end forecast for your portfolio",
        "`/billing <account name or id>`: one account's card, with Retry payment and Flag issue",
        "`/billing help`: this message",
      ].join("\n"),
    ),
    context("Your App Home tab shows your portfolio too."),
  ];
}

function row(r: PortfolioRow): string {
  const flags = r.discrepancyCount > 0 ? ` · ${r.discrepancyCount} :warning:` : "";
  const overdue = r.overdue && BigInt(r.overdue.minor) > 0n ? ` · *${moneyText(r.overdue)} overdue*` : "";
  return `${statusEmoji[r.status] ?? ""} *${escapeMrkdwn(r.name)}*${r.outlier ? " :red_circle:" : ""} · ${moneyText(r.outstanding)} open${overdue}${flags}\n${escapeMrkdwn(r.headline)}`;
}

/** Accounts as a list, each with a button that opens its card. */
export function accountList(title: string, rows: PortfolioRow[], empty: string, more: boolean): KnownBlock[] {
  if (rows.length === 0) return [header(title), section(empty)];
  const blocks: KnownBlock[] = [header(title)];
  for (const r of rows.slice(0, 15)) blocks.push(section(row(r), button("Open", actionIds.openAccount, r.accountId)));
  if (more || rows.length > 15) blocks.push(context("Showing the first 15: the web view has the whole grid."));
  return capBlocks(blocks, "More in the web view.");
}

export function chooserBlocks(query: string, found: FoundAccount[]): KnownBlock[] {
  return [
    section(`Several accounts match *${escapeMrkdwn(query)}*: which one?`),
    actions(
      found.slice(0, 5).map((r) => button(r.name, `${actionIds.openAccount}:${r.accountId}`, r.accountId)),
      "chooser",
    ),
  ];
}

export function notFoundBlocks(query: string): KnownBlock[] {
  return [
    section(
      `No account of yours matches *${escapeMrkdwn(query)}*. Try part of its name, or \`/billing portfolio\` to see them all.`,
    ),
  ];
}

export interface PortfolioForecastView {
  quarter: string;
  lines: Array<{ label: string; value: string }>;
  leftOut: number;
}

export function forecastBlocks(view: PortfolioForecastView): KnownBlock[] {
  return [
    header(`Forecast to the end of ${view.quarter}`),
    section(view.lines.map((l) => `*${escapeMrkdwn(l.label)}*: ${l.value}`).join("\n") || "Nothing to forecast yet."),
    ...(view.leftOut > 0
      ? [context(`:warning: ${view.leftOut} account(s) left out while their partial sync is unresolved.`)]
      : []),
  ];
}
