// How the card writes money, quantities, dates and instants for the viewer (their locale, the portal's time zone).
import type { Money } from "../api/types";
import { formatMoney } from "./money";

export interface Formatters {
  money(money: Money): string;
  /** A decimal string from the API, with its unit when it has one. */
  quantity(quantity: string, unit?: string | null): string;
  /** A calendar date (`YYYY-MM-DD`), the same day everywhere. */
  date(date: string): string;
  /** An instant, in the portal's time zone. */
  instant(instant: string): string;
}

export function createFormatters(options: { locale?: string | undefined; timeZone?: string | undefined }): Formatters {
  const locale = supportedLocale(options.locale);
  const timeZone = supportedTimeZone(options.timeZone);
  const quantityFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const instantFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });

  return {
    money: (money) => formatMoney(money, locale),
    quantity(quantity, unit) {
      const shown = /^-?\d+(\.\d+)?$/.test(quantity) ? quantityFormat.format(quantity as `${number}`) : quantity;
      return unit ? `${shown} ${unit}` : shown;
    },
    date(date) {
      const day = new Date(`${date}T00:00:00Z`);
      return Number.isNaN(day.getTime()) ? date : dateFormat.format(day);
    },
    instant(instant) {
      const at = new Date(instant);
      return Number.isNaN(at.getTime()) ? instant : instantFormat.format(at);
    },
  };
}

function supportedLocale(locale: string | undefined): string {
  if (!locale) return "en-US";
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

function supportedTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** Source names as people write them. */
export const sourceNames: Record<string, string> = {
  stripe: "Stripe",
  quickbooks: "QuickBooks",
  amplitude: "Amplitude",
};

export function sourceName(source: string): string {
  return sourceNames[source] ?? source;
}

/** "payment_failed" reads as "Payment failed". */
export function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
