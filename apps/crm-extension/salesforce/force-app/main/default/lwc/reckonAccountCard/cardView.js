// Turns a CrmCard (apps/crm-extension/CARD_API.md) into what the template shows: LWC templates cannot call functions,
// so every string, class and flag is computed here, with the same content and wording as the HubSpot card.
import { humanize, parseAmount, sourceName } from "./format";

const statusClasses = {
  reconciled: "slds-badge slds-theme_success",
  discrepancy: "slds-badge slds-theme_error",
  overdue: "slds-badge slds-theme_error",
  unreconciled: "slds-badge slds-theme_warning",
};

const paymentClasses = {
  succeeded: "slds-badge slds-theme_success",
  failed: "slds-badge slds-theme_error",
  refunded: "slds-badge slds-theme_info",
  pending: "slds-badge slds-theme_warning",
};

const retryStateLabels = {
  requested: "Retry requested",
  approved: "Retry approved",
  succeeded: "Retry succeeded",
  failed: "Retry failed",
  rejected: "Retry rejected",
};

const BADGE = "slds-badge";
const ERROR_BADGE = "slds-badge slds-theme_error";
const WARNING_BADGE = "slds-badge slds-theme_warning";
const INFO_BADGE = "slds-badge slds-theme_info";
const SUCCESS_BADGE = "slds-badge slds-theme_success";

/** The card JSON the controller returned, when it is one the card knows how to show. */
export function parseCard(body) {
  let card;
  try {
    card = typeof body === "string" ? JSON.parse(body) : body;
  } catch {
    return null;
  }
  if (!card || typeof card !== "object") return null;
  return card.state === "linked" || card.state === "unlinked" ? card : null;
}

/** The answer to an action ({ message, ... }), or null when it has none. */
export function parseAnswer(body) {
  try {
    const answer = typeof body === "string" ? JSON.parse(body) : body;
    return answer && typeof answer.message === "string" && answer.message.trim() !== "" ? answer : null;
  } catch {
    return null;
  }
}

export function unlinkedView(card) {
  const suggestions = (card.suggestions ?? []).map((suggestion) => ({
    accountId: suggestion.accountId,
    name: suggestion.name,
    matchedOn: suggestion.matchedOn === "domain" ? "Domain" : "Name",
  }));
  return {
    message: card.message,
    canLink: card.canLink === true,
    suggestions,
    hasSuggestions: suggestions.length > 0,
  };
}

/** The account's currency as the card can see it: its overdue amount, else its invoices, else its payments. */
export function accountCurrency(card) {
  return card.overdue?.currency ?? card.invoices?.[0]?.total.currency ?? card.payments?.[0]?.amount.currency ?? null;
}

export function linkedView(card, format) {
  const reasonLabel = (value) => card.flagReasons.find((reason) => reason.value === value)?.label ?? value;
  const currency = accountCurrency(card);
  return {
    accountName: card.account.name,
    webUrl: card.account.webUrl,
    owner: card.account.owner ? `${card.account.owner.name} (${card.account.owner.email})` : "nobody yet",
    status: statusView(card.status, format),
    banners: bannersView(card.banners, format),
    usage: usageView(card.usage, format),
    hasUsage: card.usage.length > 0,
    forecast: forecastView(card.forecast, format),
    hasForecast: card.forecast.length > 0,
    forecastAlerts: card.forecast.flatMap((row) =>
      row.alerts.map((alert) => ({ key: `${row.metric}-${row.quarter}-${alert}`, text: `${row.metric}: ${alert}` })),
    ),
    overdueTotal: card.overdue ? `Overdue: ${format.money(card.overdue)}` : null,
    invoices: card.invoices.map((invoice) => invoiceView(invoice, format)),
    hasInvoices: card.invoices.length > 0,
    payments: card.payments.map((payment) => paymentView(payment, card.actions.retry, format)),
    hasPayments: card.payments.length > 0,
    flagsHeading: `Open flags (${card.openFlagCount})`,
    flags: card.flags.map((flag) => ({
      id: flag.id,
      title: `${reasonLabel(flag.reason)}${flag.amount ? `: ${format.money(flag.amount)}` : ""}`,
      note: flag.note,
      raised: `Raised ${flag.raisedBy ? `by ${flag.raisedBy} ` : ""}${format.instant(flag.raisedAt)}`,
    })),
    hasFlags: card.flags.length > 0,
    canFlag: card.actions.flag === true,
    flagReasons: card.flagReasons.map((reason) => ({ label: reason.label, value: reason.value })),
    currency,
    amountLabel: currency ? `Amount (${currency}, optional)` : null,
    lastSync: card.lastSync.map((sync) => ({
      key: sync.source,
      source: sourceName(sync.source),
      result: sync.status ? humanize(sync.status) : "never ran",
      needsReconnect: sync.needsReconnect === true,
      finished: sync.finishedAt ? format.instant(sync.finishedAt) : "not finished",
    })),
    hasLastSync: card.lastSync.length > 0,
  };
}

function statusView(status, format) {
  if (!status) return null;
  return {
    label: humanize(status.status),
    badgeClass: statusClasses[status.status] ?? BADGE,
    headline: status.headline,
    outlier: status.outlier === true,
    outlierClass: WARNING_BADGE,
    detail: `${status.discrepancyCount === 1 ? "1 discrepancy" : `${status.discrepancyCount} discrepancies`}; reconciled ${format.instant(status.reconciledAt)}`,
  };
}

function bannersView(banners, format) {
  const { partialSync, stale } = banners ?? {};
  return {
    partialSync: partialSync
      ? {
          message: partialSync.message,
          missed: partialSync.missed.length > 0 ? `Missed: ${partialSync.missed.join(", ")}` : null,
        }
      : null,
    stale: stale
      ? {
          message: stale.message,
          down: `Down: ${stale.sources.map(sourceName).join(", ")}${
            stale.lastGoodAt ? `; last good data from ${format.instant(stale.lastGoodAt)}` : ""
          }`,
        }
      : null,
  };
}

const TREND_WIDTH = 240;
const TREND_HEIGHT = 60;
const TREND_PAD = 4;

/** The 12-month series as an SVG polyline; a point only needs to be drawn, so a float is exact enough here. */
export function trendPoints(months) {
  const values = months.map((month) => Number(month.quantity)).map((value) => (Number.isFinite(value) ? value : 0));
  if (values.length === 0) return "";
  const min = Math.min(...values);
  const max = Math.max(...values);
  const step = values.length > 1 ? (TREND_WIDTH - 2 * TREND_PAD) / (values.length - 1) : 0;
  return values
    .map((value, index) => {
      const x = TREND_PAD + index * step;
      const share = max === min ? 0.5 : (value - min) / (max - min);
      const y = TREND_HEIGHT - TREND_PAD - share * (TREND_HEIGHT - 2 * TREND_PAD);
      return `${round(x)},${round(y)}`;
    })
    .join(" ");
}

function round(value) {
  return Math.round(value * 10) / 10;
}

function usageView(usage, format) {
  return usage.map((metric) => ({
    key: metric.metric,
    label: `${metric.metric}, month to date`,
    monthToDate: format.quantity(metric.monthToDate, metric.unit),
    trendTitle: `${metric.metric}, last 12 months`,
    points: trendPoints(metric.months),
    months: metric.months.map((month) => ({
      key: `${metric.metric}-${month.period}`,
      period: month.period,
      quantity: format.quantity(month.quantity),
    })),
  }));
}

function forecastView(forecast, format) {
  return forecast.map((row) => ({
    key: `${row.metric}-${row.quarter}`,
    metric: `${row.metric} (${row.quarter})`,
    toDate: format.quantity(row.toDate, row.unit),
    projected: format.quantity(row.projectedTotal, row.unit),
    band: `band ${format.quantity(row.band.low)} to ${format.quantity(row.band.high)}`,
    committed: row.committed === null ? "none" : format.quantity(row.committed, row.unit),
    mape: row.mapePercent === null ? "no backtest yet" : `${row.mapePercent.toFixed(1)}% MAPE`,
  }));
}

function invoiceView(invoice, format) {
  let state = { label: "Open", badgeClass: BADGE };
  if (invoice.overdue) state = { label: "Overdue", badgeClass: ERROR_BADGE };
  else if (/^0+$/.test(invoice.balance.minor)) state = { label: "Paid", badgeClass: SUCCESS_BADGE };
  return {
    id: invoice.id,
    label: invoice.number ?? invoice.id,
    issued: format.date(invoice.issuedOn),
    due: invoice.dueOn ? format.date(invoice.dueOn) : "on receipt",
    total: format.money(invoice.total),
    balance: format.money(invoice.balance),
    stateLabel: state.label,
    stateClass: state.badgeClass,
  };
}

function paymentView(payment, canRetry, format) {
  const retryState = payment.retry?.state ?? "none";
  const available = retryState === "available";
  const tag = retryStateLabels[retryState] ?? null;
  return {
    id: payment.id,
    created: format.instant(payment.createdAt),
    amount: format.money(payment.amount),
    statusLabel: humanize(payment.status),
    statusClass: paymentClasses[payment.status] ?? BADGE,
    failure: payment.failureMessage
      ? `${payment.failureMessage}${payment.failureCode ? ` (${payment.failureCode})` : ""}`
      : null,
    showRetry: available && canRetry === true,
    retryNotAllowed: available && canRetry !== true,
    retryTag: tag,
    retryTagClass: retryState === "failed" || retryState === "rejected" ? ERROR_BADGE : INFO_BADGE,
  };
}

/** What the Flag issue form would send, or why it may not yet (mirrors the HubSpot card's checkFlag). */
export function checkFlag(input, view) {
  const errors = {};
  if (!view.flagReasons.some((known) => known.value === input.reason)) errors.reason = "Choose a reason.";
  const request = { reason: input.reason };
  if (input.note.trim() !== "") request.note = input.note.trim();
  if (view.currency && input.amount.trim() !== "") {
    const parsed = parseAmount(input.amount, view.currency);
    if (parsed.ok) request.amount = parsed.money;
    else errors.amount = parsed.reason;
  }
  return { request: errors.reason || errors.amount ? null : request, errors };
}
