// Numbers, money and dates as a Slack message shows them, and mrkdwn made safe for user-supplied text.
import { formatMoney, formatQuantity, parseQuantity } from "@reckon/reconcile";

export interface MoneyJson {
  minor: string;
  currency: string;
}

export function moneyText(value: MoneyJson | null | undefined): string {
  return value ? formatMoney(BigInt(value.minor), value.currency) : "–";
}

/** Micro-units (the forecast's quantities) for people. */
export function microText(value: string | bigint, unit?: string | null): string {
  const text = formatQuantity(BigInt(value), 0);
  return unit ? `${text} ${unit}` : text;
}

/** A decimal quantity string ("1250.5") for people: grouped, at most two decimals, rounded half-even. */
export function decimalText(value: string, unit?: string | null): string {
  const text = formatQuantity(parseQuantity(value));
  return unit ? `${text} ${unit}` : text;
}

/** Slack's three control characters in mrkdwn; everything a user or a source typed goes through this. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A calendar day ("2026-12-03") as "Dec 3, 2026"; the day itself is not shifted. */
export function dayText(day: string | null | undefined): string {
  if (!day) return "–";
  const date = new Date(`${day.slice(0, 10)}T12:00:00Z`);
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" }).format(
    date,
  );
}

/** An instant as Slack shows it in the reader's own time zone (<!date^...>), with a UTC fallback. */
export function instantText(iso: string | null | undefined): string {
  if (!iso) return "never";
  const seconds = Math.floor(Date.parse(iso) / 1000);
  const fallback = `${iso.slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

const bars = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/** A text sparkline of a series (oldest first): Slack renders no SVG, and a line of bars reads at a glance. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return "";
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (max === min) return bars[3]!.repeat(values.length);
  return values.map((v) => bars[Math.round(((v - min) / (max - min)) * (bars.length - 1))]).join("");
}

export const statusEmoji: Record<string, string> = {
  ok: ":large_green_circle:",
  attention: ":large_yellow_circle:",
  at_risk: ":red_circle:",
};
