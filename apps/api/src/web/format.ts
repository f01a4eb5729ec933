// Display formatting for the web view: exact money from integer minor units, decimal quantities, UTC dates.
import { AsyncLocalStorage } from "node:async_hooks";
import type { MoneyJson } from "@reckon/core";

/** How one page formats: the reader's locale (Accept-Language) and the tenant's time zone. */
export interface Formatting {
  locale: string;
  timeZone: string;
}

const formatting = new AsyncLocalStorage<Formatting>();
const fallbackLocale = "en-US";

/** Renders `work` (a request's page) with these settings; outside one, pages format as en-US in UTC. */
export function withFormatting<T>(settings: Formatting, work: () => T): T {
  return formatting.run(settings, work);
}

/** The locale the current page formats in. */
export function currentLocale(): string {
  return formatting.getStore()?.locale ?? fallbackLocale;
}

/** The first language of an Accept-Language header this runtime can format, or en-US. */
export function localeFrom(acceptLanguage: string | undefined): string {
  const tags = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(
        params
          .find((p) => p.trim().startsWith("q="))
          ?.trim()
          .slice(2) ?? "1",
      );
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((t) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(t.tag) && t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // An invalid tag: try the next one.
    }
  }
  return fallbackLocale;
}

/** Digits after the decimal point in a currency (JPY 0, USD 2, KWD 3), as Intl knows them. */
export function currencyExponent(currency: string): number {
  return (
    new Intl.NumberFormat(fallbackLocale, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/**
 * "$5,200.00" from { minor: "520000", currency: "USD" }. The amount is handed to Intl as an exact decimal string
 * built from the integer (whole and fraction split with BigInt), so no float ever touches the value.
 */
export function formatMoney(money: MoneyJson): string {
  const exponent = currencyExponent(money.currency);
  const minor = BigInt(money.minor);
  const negative = minor < 0n;
  const magnitude = negative ? -minor : minor;
  const scale = 10n ** BigInt(exponent);
  const whole = (magnitude / scale).toString();
  const fraction = exponent > 0 ? `.${(magnitude % scale).toString().padStart(exponent, "0")}` : "";
  const decimal = `${negative ? "-" : ""}${whole}${fraction}` as Intl.StringNumericLiteral;
  return new Intl.NumberFormat(currentLocale(), {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(decimal);
}

const decimalPattern = /^-?\d+(\.\d+)?$/;

/** "1,250.5" from "1250.500000": grouped, trailing zeros dropped, exact (Intl reads the decimal string as is). */
export function formatQuantity(quantity: string): string {
  const text = quantity.trim();
  if (!decimalPattern.test(text)) return text;
  const decimals = text.split(".")[1]?.length ?? 0;
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: Math.min(decimals, 20) }).format(
    text as Intl.StringNumericLiteral,
  );
}

/**
 * An ISO instant in the page's locale and the tenant's time zone, named ("Oct 1, 2025, 10:32 AM EDT"); outside a
 * page, "2025-10-01 14:32 UTC".
 */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const settings = formatting.getStore();
  if (!settings) return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `${new Intl.DateTimeFormat(settings.locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: settings.timeZone,
  }).format(date)} ${zoneName(date, settings)}`;
}

function zoneName(date: Date, settings: Formatting): string {
  const part = new Intl.DateTimeFormat(settings.locale, { timeZone: settings.timeZone, timeZoneName: "short" })
    .formatToParts(date)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? settings.timeZone;
}

/**
 * "Oct 15, 2025" (en-US), "15 oct. 2025" (fr) from a calendar day "2025-10-15". A day has no time zone (an invoice
 * falls due on its day wherever it is read), so it is formatted as the UTC day it names.
 */
export function formatDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString(currentLocale(), { dateStyle: "medium", timeZone: "UTC" });
}

/** "Oct 2025" from "2025-10". */
export function formatPeriod(period: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return period;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return date.toLocaleDateString(currentLocale(), { month: "short", year: "numeric", timeZone: "UTC" });
}

/** "1 day" / "3 days". */
export function plural(count: number, word: string): string {
  return `${count.toLocaleString(currentLocale())} ${word}${count === 1 ? "" : "s"}`;
}

/** The grid's payment column: "Paid ✓", "Overdue 12 days", "Partial", ... from the summary's payment status. */
export function paymentLabel(paymentStatus: string | null, maxDaysLate: number): string {
  const late = maxDaysLate > 0 ? ` · ${plural(maxDaysLate, "day")} late` : "";
  switch (paymentStatus) {
    case null:
      return "No invoice yet";
    case "paid":
      // The latest invoice is paid; lateness belongs to an older one.
      return maxDaysLate > 0 ? `Paid ✓ · older invoice ${plural(maxDaysLate, "day")} late` : "Paid ✓";
    case "overdue":
      return `Overdue ${plural(maxDaysLate, "day")}`;
    case "partial":
      return `Partial${late}`;
    case "unpaid":
      return `Unpaid${late}`;
    case "failed":
      return `Payment failed${late}`;
    case "overpaid":
      return `Overpaid (credit)${late}`;
    case "refunded":
      return `Refunded${late}`;
    case "disputed":
      return `Disputed${late}`;
    default:
      return `${paymentStatus.charAt(0).toUpperCase()}${paymentStatus.slice(1).replaceAll("_", " ")}${late}`;
  }
}

export const accountStatusLabels: Record<string, string> = { ok: "OK", attention: "Attention", at_risk: "At risk" };

export function accountStatusLabel(status: string): string {
  return accountStatusLabels[status] ?? status;
}

export const sourceLabels: Record<string, string> = {
  quickbooks: "QuickBooks",
  stripe: "Stripe",
  amplitude: "Amplitude",
};

export function sourceLabel(source: string): string {
  return sourceLabels[source] ?? source.charAt(0).toUpperCase() + source.slice(1);
}

export const roleLabels: Record<string, string> = {
  admin: "Admin",
  finance: "Finance",
  account_manager: "Account manager",
  viewer: "Viewer",
};

export function roleLabel(role: string): string {
  return roleLabels[role] ?? role;
}
