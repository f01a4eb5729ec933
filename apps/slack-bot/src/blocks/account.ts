// The account card: what an account manager needs before a call, in one message, with the actions their role allows.

import type { AccountDetail } from "@reckon/core";
import type { KnownBlock } from "@slack/types";
import {
  dayText,
  decimalText,
  escapeMrkdwn,
  instantText,
  microText,
  moneyText,
  sparkline,
  statusEmoji,
} from "../format";
import { actionIds } from "./ids";
import { actions, button, capBlocks, context, divider, fields, header, section } from "./kit";

export interface CardPermissions {
  retry: boolean;
  flag: boolean;
}

/** An open flag as the card lists it (account detail carries them once flags exist). */
interface OpenFlag {
  id: string;
  reason: string;
  note?: string | null;
}

interface ForecastMetric {
  metric: string;
  unit: string | null;
  projection: { quarter: string; toDate: string; projectedTotal: string; band: { low: string; high: string } };
  backtest: { mapePercent: number | null };
  committed: string | null;
  alerts: Array<{ explanation: string; severity: string }>;
}

/** What a Retry payment button carries: enough to name the payment, nothing the server trusts without checking. */
export interface RetryButtonValue {
  accountId: string;
  paymentId: string;
}

/** `today` is the tenant's day ("YYYY-MM-DD"): an invoice due before it with a balance is overdue. */
export function accountCard(detail: AccountDetail, can: CardPermissions, today: string): KnownBlock[] {
  const { account, status } = detail;
  const blocks: KnownBlock[] = [header(account.name)];
  if (detail.partialSync) {
    const missed = detail.partialSyncs.flatMap((p) => p.missed).slice(0, 3);
    blocks.push(
      section(
        `:warning: *Partial sync*: numbers may be incomplete until an admin resolves it${missed.length ? ` (${escapeMrkdwn(missed.join("; "))})` : ""}.`,
      ),
    );
  }
  if (detail.freshness.stale) {
    const down = detail.freshness.sources.filter((s) => s.stale).map((s) => s.source);
    blocks.push(
      context(
        `:hourglass: ${down.join(", ")} ${down.length === 1 ? "is" : "are"} unreachable: showing the last good data${detail.freshness.staleOver24h ? " (older than 24 h)" : ""}.`,
      ),
    );
  }
  blocks.push(
    section(
      status
        ? `${statusEmoji[status.status] ?? ""} *${status.status.replace("_", " ")}*: ${escapeMrkdwn(status.headline)}`
        : "Not reconciled yet.",
    ),
  );

  const usage = detail.usage.slice(0, 3).map((u) => {
    const trend = sparkline(u.months.map((m) => Number(m.quantity)));
    return `*${escapeMrkdwn(u.metric)}* MTD ${decimalText(u.monthToDate, u.unit)}\n\`${trend}\` ${u.months.length} mo`;
  });
  const latest = detail.invoices[0];
  const overdue = detail.invoices.filter((i) => i.dueOn && BigInt(i.balance.minor) > 0n && i.dueOn < today);
  const summary = [
    ...usage,
    latest
      ? `*Latest invoice* ${escapeMrkdwn(latest.number ?? latest.id)}\n${moneyText(latest.total)} due ${dayText(latest.dueOn)}`
      : "*Invoices*\nnone yet",
    `*Open balance*\n${moneyText(sumBalances(detail.invoices))}${overdue.length ? ` (${overdue.length} overdue)` : ""}`,
  ];
  blocks.push(fields(summary));

  const forecast = (detail.forecast?.metrics as ForecastMetric[] | undefined) ?? [];
  if (forecast.length > 0) {
    const lines = forecast.slice(0, 3).map((m) => {
      const p = m.projection;
      const commit = m.committed ? ` of ${microText(m.committed, m.unit)} committed` : "";
      const accuracy = m.backtest.mapePercent === null ? "" : ` · backtest error ${m.backtest.mapePercent.toFixed(1)}%`;
      return `*${escapeMrkdwn(m.metric)}* ${p.quarter}: ${microText(p.projectedTotal, m.unit)}${commit} (80%: ${microText(p.band.low)}–${microText(p.band.high)})${accuracy}`;
    });
    const alerts = forecast.flatMap((m) => m.alerts).slice(0, 3);
    blocks.push(
      section(
        `:crystal_ball: *Forecast to quarter end*${detail.partialSync ? " (left out of the portfolio forecast: partial sync)" : ""}\n${lines.join("\n")}${alerts.length ? `\n${alerts.map((a) => `:small_orange_diamond: ${escapeMrkdwn(a.explanation)}`).join("\n")}` : ""}`,
      ),
    );
  }

  if (detail.discrepancies.length > 0) {
    blocks.push(divider());
    const shown = detail.discrepancies.slice(0, 5);
    blocks.push(
      section(
        `*${detail.discrepancies.length} open ${detail.discrepancies.length === 1 ? "discrepancy" : "discrepancies"}*\n${shown
          .map(
            (d) =>
              `• ${d.kind.replaceAll("_", " ")}${d.amount ? ` ${moneyText(d.amount)}` : ""}: ${escapeMrkdwn(d.explanation)}`,
          )
          .join("\n")}`,
      ),
    );
  }

  const flags = ((detail as { flags?: OpenFlag[] }).flags ?? []).slice(0, 5);
  if (flags.length > 0) {
    blocks.push(
      section(
        `:triangular_flag_on_post: *Open flags*\n${flags.map((f) => `• ${f.reason.replaceAll("_", " ")}${f.note ? `: ${escapeMrkdwn(f.note)}` : ""}`).join("\n")}`,
      ),
    );
  }

  const failed = detail.payments.filter((p) => p.status === "failed").slice(0, 3);
  const recent = detail.payments.slice(0, 3);
  if (recent.length > 0) {
    blocks.push(
      section(
        `*Payments*\n${recent
          .map(
            (p) =>
              `• ${dayText(p.createdAt)} ${moneyText(p.amount)} ${p.status}${p.failureCode ? ` (${escapeMrkdwn(p.failureCode)})` : ""}${p.disputed ? " disputed" : ""}`,
          )
          .join("\n")}`,
      ),
    );
  }

  const buttons = [];
  if (can.retry) {
    for (const p of failed) {
      const value: RetryButtonValue = { accountId: account.id, paymentId: p.id };
      buttons.push(
        button(`Retry ${moneyText(p.amount)}`, `${actionIds.retryPayment}:${p.id}`, JSON.stringify(value), "primary"),
      );
    }
  }
  if (can.flag) buttons.push(button("Flag issue", actionIds.flagIssue, account.id));
  if (buttons.length > 0) blocks.push(actions(buttons, `account:${account.id}`));

  const synced = detail.sync
    .filter((s) => s.connected)
    .map((s) => `${s.source} ${instantText(s.lastRun?.finishedAt ?? null)}`)
    .join(" · ");
  blocks.push(
    context(
      `Last sync: ${synced || "no source connected"}${status ? ` · reconciled ${instantText(status.reconciledAt)}` : ""}`,
    ),
  );
  return capBlocks(blocks, "More on the account page in Reckon.");
}

function sumBalances(invoices: AccountDetail["invoices"]) {
  const currency = invoices[0]?.balance.currency;
  if (!currency) return null;
  let total = 0n;
  for (const i of invoices) if (i.balance.currency === currency) total += BigInt(i.balance.minor);
  return { minor: total.toString(), currency };
}
