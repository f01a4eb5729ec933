// How the card writes money, quantities, dates and instants (mirrors the HubSpot card's format/money.ts and
// format/formatters.ts). Money arrives as integer minor units in a string and is shown with the currency's own digits
// (USD 2, JPY 0, KWD 3); the conversion is done on the digits themselves, never through a float.

/** Shown when Reckon cannot be reached or answers without a problem detail (CARD_API.md, state 2). */
export const UNAVAILABLE = "Reckon is unavailable, try again in a minute.";

/** How many minor digits a currency has, as Intl knows it. */
export function currencyDigits(currency) {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "123450" with 2 digits is "1234.50", "-1234" with 3 is "-1.234": exact, digit by digit. */
export function minorToDecimal(minor, digits) {
  const negative = minor.startsWith("-");
  const magnitude = (negative ? minor.slice(1) : minor).replace(/^0+(?=\d)/, "");
  const padded = magnitude.padStart(digits + 1, "0");
  const whole = padded.slice(0, padded.length - digits);
  const fraction = padded.slice(padded.length - digits);
  const sign = negative && /[1-9]/.test(magnitude) ? "-" : "";
  return `${sign}${whole}${digits > 0 ? `.${fraction}` : ""}`;
}

export function formatMoney(money, locale) {
  if (!money || typeof money.minor !== "string" || !/^-?\d+$/.test(money.minor)) {
    return money ? `${money.minor} ${money.currency}` : "";
  }
  const digits = currencyDigits(money.currency);
  try {
    const format = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: money.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    // Intl reads a decimal string exactly (no float in between) on current engines.
    return format.format(minorToDecimal(money.minor, digits));
  } catch {
    return `${minorToDecimal(money.minor, digits)} ${money.currency}`;
  }
}

/** Reads what a person typed ("12.5") as minor units in `currency` ("1250"), or says what is wrong with it. */
export function parseAmount(text, currency) {
  const digits = currencyDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(String(text ?? "").trim());
  if (!match) {
    return {
      ok: false,
      reason: `Enter the amount in ${currency} as a number, for example ${digits > 0 ? "12.50" : "1200"}.`,
    };
  }
  const fraction = match[2] ?? "";
  if (fraction.length > digits) {
    return {
      ok: false,
      reason: digits === 0 ? `${currency} has no decimals.` : `Use at most ${digits} decimals for ${currency}.`,
    };
  }
  const minor = (match[1] + fraction.padEnd(digits, "0")).replace(/^0+/, "");
  if (minor === "") return { ok: false, reason: "Enter an amount above zero." };
  return { ok: true, money: { minor, currency } };
}

/** The viewer's formatters: their locale, their time zone. */
export function createFormatters({ locale, timeZone }) {
  const safeLocale = supportedLocale(locale);
  const safeTimeZone = supportedTimeZone(timeZone);
  const quantityFormat = new Intl.NumberFormat(safeLocale, { maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat(safeLocale, { dateStyle: "medium", timeZone: "UTC" });
  const instantFormat = new Intl.DateTimeFormat(safeLocale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: safeTimeZone,
  });
  return {
    money: (money) => formatMoney(money, safeLocale),
    /** A decimal string from the API, with its unit when it has one. */
    quantity(quantity, unit) {
      const shown = /^-?\d+(\.\d+)?$/.test(quantity) ? quantityFormat.format(quantity) : quantity;
      return unit ? `${shown} ${unit}` : shown;
    },
    /** A calendar date (`YYYY-MM-DD`), the same day everywhere. */
    date(date) {
      const day = new Date(`${date}T00:00:00Z`);
      return Number.isNaN(day.getTime()) ? date : dateFormat.format(day);
    },
    /** An instant, in the viewer's time zone. */
    instant(instant) {
      const at = new Date(instant);
      return Number.isNaN(at.getTime()) ? instant : instantFormat.format(at);
    },
  };
}

function supportedLocale(locale) {
  if (!locale) return "en-US";
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

function supportedTimeZone(timeZone) {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

const sourceNames = { stripe: "Stripe", quickbooks: "QuickBooks", amplitude: "Amplitude" };

export function sourceName(source) {
  return sourceNames[source] ?? source;
}

/** "payment_failed" reads as "Payment failed". */
export function humanize(code) {
  const words = String(code ?? "")
    .replace(/[_-]+/g, " ")
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The message an Apex call failed with: the AuraHandledException carries the problem's detail as it is. */
export function errorDetail(error) {
  const body = error?.body;
  if (Array.isArray(body)) {
    const messages = body.map((entry) => entry?.message).filter((message) => typeof message === "string" && message);
    if (messages.length > 0) return messages.join(" ");
  } else if (body && typeof body.message === "string" && body.message.trim() !== "") {
    return body.message;
  }
  if (typeof error?.message === "string" && error.message.trim() !== "") return error.message;
  return UNAVAILABLE;
}
