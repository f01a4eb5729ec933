// The account page's reconciliation findings: open discrepancies with their sentences, and each metric's projection.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AccountDetail } from "@reckon/core";
import { formatMoney, formatPeriod, formatQuantity } from "./format";

/** Micro-units as the forecast hands them out ("1250500000") -> a decimal string ("1250.5"). */
export function microToDecimal(micro: string): string {
  const negative = micro.startsWith("-");
  const digits = (negative ? micro.slice(1) : micro).padStart(7, "0");
  const whole = digits.slice(0, -6);
  const fraction = digits.slice(-6).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** A projection is an estimate: whole units from 100 up, two decimals below (display only; stored values stay exact). */
export function roundForDisplay(micro: string): string {
  const value = BigInt(micro);
  const magnitude = value < 0n ? -value : value;
  const step = magnitude >= 100_000_000n ? 1_000_000n : 10_000n;
  const rounded = ((magnitude + step / 2n) / step) * step;
  return (value < 0n ? -rounded : rounded).toString();
}

const kindLabels: Record<string, string> = {
  over_billed: "Over-billed",
  under_billed: "Under-billed",
  missing_invoice: "Missing invoice",
  invoice_without_usage: "Invoice without usage",
  price_differs: "Price differs from rate card",
  late_usage: "Late usage",
  duplicate_usage_events: "Duplicate usage events",
  duplicate_charge: "Duplicate charge",
  failed_payment: "Failed payment",
  partial_payment: "Partial payment",
  overpayment: "Overpayment (credit)",
  refund: "Refund",
  dispute: "Dispute",
  currency_mismatch: "Currency mismatch",
  unmapped_record: "Unmapped record",
  partial_sync: "Partial sync",
};

export function DiscrepancyList({ discrepancies }: { discrepancies: AccountDetail["discrepancies"] }) {
  if (discrepancies.length === 0) return <p class="muted">No open discrepancies: everything reconciles.</p>;
  return (
    <ul class="findings">
      {discrepancies.map((d) => (
        <li class={d.severity === "critical" ? "red" : undefined}>
          <strong>
            {d.severity === "critical" ? "⚠ " : ""}
            {kindLabels[d.kind] ?? d.kind}
          </strong>
          {d.period ? ` · ${formatPeriod(d.period)}` : ""}
          {d.amount ? ` · ${formatMoney(d.amount)} at stake` : ""}
          <br />
          {d.explanation}
        </li>
      ))}
    </ul>
  );
}

type MetricForecast = {
  metric: string;
  alerts: Array<{ severity: string; explanation: string }>;
  projection: { quarter: string; projectedTotal: string; band: { low: string; high: string }; confidence: string };
  backtest: { mapePercent: number | null };
};

/** "Projection: 5,200 GB by the end of 2026-Q4 (4,900–5,500) · backtest error 6.2%", as the brief's mock-up has it. */
export function ProjectionLine({
  forecast,
  metric,
  unit,
}: {
  forecast: AccountDetail["forecast"];
  metric: string;
  unit: string;
}) {
  const metrics = (forecast?.metrics ?? []) as MetricForecast[];
  const found = metrics.find((m) => m.metric === metric);
  if (!found) return null;
  const { projection, backtest, alerts } = found;
  const amount = (micro: string) => formatQuantity(microToDecimal(roundForDisplay(micro)));
  return (
    <p>
      Projection: <strong>{`${amount(projection.projectedTotal)} ${unit}`}</strong> by the end of {projection.quarter}{" "}
      <span class="muted">
        ({amount(projection.band.low)}–{amount(projection.band.high)}
        {projection.confidence === "low" ? ", little history" : ""})
        {backtest.mapePercent !== null ? ` · backtest error ${backtest.mapePercent}%` : ""}
      </span>
      {alerts.map((alert) => (
        <span class={alert.severity === "info" ? "muted" : "red"} style="display:block">
          {alert.severity === "info" ? "" : "⚠ "}
          {alert.explanation}
        </span>
      ))}
    </p>
  );
}

/** What reconciliation found and when, and when it stopped finding it. */
export function FindingsTimeline({ timeline }: { timeline: AccountDetail["timeline"] }) {
  if (timeline.length === 0) return null;
  return (
    <details>
      <summary>
        Timeline: {timeline.length} change{timeline.length === 1 ? "" : "s"}
      </summary>
      <ul class="findings">
        {timeline.map((event) => (
          <li>
            <strong>{event.at.slice(0, 10)}</strong> {event.event === "found" ? "found" : "resolved"}:{" "}
            {kindLabels[event.kind] ?? event.kind}
            {event.period ? ` (${formatPeriod(event.period)})` : ""}. {event.explanation}
          </li>
        ))}
      </ul>
    </details>
  );
}
