// The Reckon billing card on Account pages: every state of CARD_API.md and every action, with the Apex controller
// mocked at the import boundary. Fixtures under data/ are CrmCard answers as the API sends them.
import flagIssue from "@salesforce/apex/ReckonCardController.flagIssue";
import getCard from "@salesforce/apex/ReckonCardController.getCard";
import linkAccount from "@salesforce/apex/ReckonCardController.linkAccount";
import retryPayment from "@salesforce/apex/ReckonCardController.retryPayment";
import ReckonAccountCard from "c/reckonAccountCard";
import { createElement } from "lwc";

jest.mock("@salesforce/apex/ReckonCardController.getCard", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/ReckonCardController.retryPayment", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/ReckonCardController.flagIssue", () => ({ default: jest.fn() }), { virtual: true });
jest.mock("@salesforce/apex/ReckonCardController.linkAccount", () => ({ default: jest.fn() }), { virtual: true });

const RECORD_ID = "001J000002AbCdEIAV";
const answers = require("./data/answers.json");

/** A fresh copy of a fixture, so one test's changes never leak into the next. */
function linkedCard(overrides = {}) {
  return { ...JSON.parse(JSON.stringify(require("./data/linkedCard.json"))), ...overrides };
}

function unlinkedCard(overrides = {}) {
  return { ...JSON.parse(JSON.stringify(require("./data/unlinkedCard.json"))), ...overrides };
}

/** What the controller returns: the API's body as a JSON string. */
function body(value) {
  return JSON.stringify(value);
}

/** How an AuraHandledException reaches the component: its message is the problem's detail. */
function apexError(message) {
  return { status: 500, body: { message } };
}

/** Lets every pending promise (Apex answers, the reload after an action) and the re-render settle. */
function settle() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const toasts = [];

async function renderCard() {
  const element = createElement("c-reckon-account-card", { is: ReckonAccountCard });
  element.recordId = RECORD_ID;
  element.addEventListener("lightning__showtoast", (event) => toasts.push(event.detail));
  document.body.appendChild(element);
  await settle();
  return element;
}

function $(element, selector) {
  return element.shadowRoot.querySelector(selector);
}

function $$(element, selector) {
  return Array.from(element.shadowRoot.querySelectorAll(selector));
}

/**
 * Text as a person reads it: each text node's words, one space between nodes (the LWC compiler drops whitespace-only
 * text between elements; the page spaces them with CSS), and Intl's narrow no-break spaces read as plain spaces.
 */
function text(node) {
  if (!node) return "";
  const words = [];
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const part = walker.currentNode.textContent.replace(/\s+/g, " ").trim();
    if (part) words.push(part);
  }
  return words.join(" ");
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.resetAllMocks();
  toasts.length = 0;
});

describe("loading", () => {
  it("shows a spinner while the card is on its way, and asks for this Account's card", async () => {
    getCard.mockReturnValue(new Promise(() => {}));
    const element = await renderCard();

    expect($(element, "lightning-spinner").alternativeText).toBe("Loading billing data from Reckon");
    expect($(element, '[data-id="heading"]')).toBeNull();
    expect(getCard).toHaveBeenCalledTimes(1);
    expect(getCard).toHaveBeenCalledWith({ recordId: RECORD_ID });
  });
});

describe("error", () => {
  it("shows the problem's detail as it is, and Try again asks again", async () => {
    const detail =
      "Your Salesforce user is not linked to a Reckon user. Ask a Reckon admin to map 00DJ0000000abcd:005J0000001xyz.";
    getCard.mockRejectedValueOnce(apexError(detail)).mockResolvedValueOnce(body(linkedCard()));
    const element = await renderCard();

    expect(text($(element, '[data-id="load-error-detail"]'))).toBe(detail);
    expect($(element, "lightning-spinner")).toBeNull();
    const tryAgain = $(element, '[data-id="try-again"]');
    expect(tryAgain.label).toBe("Try again");

    tryAgain.click();
    await settle();

    expect(getCard).toHaveBeenCalledTimes(2);
    expect($(element, '[data-id="load-error"]')).toBeNull();
    expect(text($(element, '[data-id="heading"]'))).toBe("Acme Analytics");
  });

  it("says Reckon is unavailable when the failure carries no detail or the answer is no card", async () => {
    getCard.mockRejectedValueOnce({}).mockResolvedValueOnce(body({ state: "something-new" }));
    const element = await renderCard();

    expect(text($(element, '[data-id="load-error-detail"]'))).toBe("Reckon is unavailable, try again in a minute.");

    $(element, '[data-id="try-again"]').click();
    await settle();

    expect(getCard).toHaveBeenCalledTimes(2);
    expect(text($(element, '[data-id="load-error-detail"]'))).toBe("Reckon is unavailable, try again in a minute.");
  });
});

describe("unlinked", () => {
  it("shows an admin the suggestions with Link, and Link links the chosen account and reloads", async () => {
    getCard.mockResolvedValueOnce(body(unlinkedCard())).mockResolvedValueOnce(body(linkedCard()));
    linkAccount.mockResolvedValue(body(answers.linked));
    const element = await renderCard();

    expect(text($(element, '[data-id="heading"]'))).toBe("Not linked to Reckon");
    expect(text($(element, '[data-id="unlinked-message"]'))).toBe(
      "This company is not linked to a Reckon account yet. An admin can link it.",
    );
    const rows = $$(element, '[data-id="suggestion"]');
    expect(rows.map((row) => text(row))).toEqual(["Acme Analytics Inc. Domain", "ACME Analytics Name"]);
    const links = $$(element, '[data-id="link"]');
    expect(links.map((button) => button.label)).toEqual(["Link", "Link"]);
    expect($(element, '[data-id="ask-an-admin"]')).toBeNull();

    links[0].click();
    await settle();

    expect(linkAccount).toHaveBeenCalledTimes(1);
    expect(linkAccount).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      accountId: "9a4c1f1e-2b7d-4c55-8f0e-3b7a1c2d4e5f",
    });
    expect(toasts).toEqual([{ title: "Done", message: "Linked to Acme Analytics Inc.", variant: "success" }]);
    expect(getCard).toHaveBeenCalledTimes(2);
    expect(text($(element, '[data-id="heading"]'))).toBe("Acme Analytics");
  });

  it("shows the problem's detail when linking is refused, and keeps the suggestions", async () => {
    getCard.mockResolvedValue(body(unlinkedCard()));
    linkAccount.mockRejectedValue(apexError("Only a Reckon admin can link records."));
    const element = await renderCard();

    $$(element, '[data-id="link"]')[1].click();
    await settle();

    expect(linkAccount).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      accountId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    });
    expect(toasts).toEqual([
      { title: "That did not work", message: "Only a Reckon admin can link records.", variant: "error" },
    ]);
    expect(getCard).toHaveBeenCalledTimes(1);
    expect($$(element, '[data-id="link"]').every((button) => button.disabled === false)).toBe(true);
  });

  it("tells everyone else to ask an admin, without Link buttons", async () => {
    getCard.mockResolvedValue(
      body(
        unlinkedCard({
          viewer: { name: "Sam Sales", role: "account_manager" },
          canLink: false,
          message: "This company is not linked to a Reckon account yet. Ask a Reckon admin to link it.",
        }),
      ),
    );
    const element = await renderCard();

    expect($$(element, '[data-id="suggestion"]')).toHaveLength(2);
    expect($$(element, '[data-id="link"]')).toHaveLength(0);
    expect(text($(element, '[data-id="ask-an-admin"]'))).toBe(
      "Only a Reckon admin can link this account: ask one to confirm the right account.",
    );
  });

  it("says when Reckon found nothing that looks like this Account", async () => {
    getCard.mockResolvedValue(body(unlinkedCard({ suggestions: [] })));
    const element = await renderCard();

    expect($(element, '[data-id="suggestions"]')).toBeNull();
    expect(text($(element, '[data-id="no-suggestions"]'))).toBe(
      "Reckon found no account with this account's name or domain.",
    );
  });
});

describe("linked, full data", () => {
  let element;

  beforeEach(async () => {
    getCard.mockResolvedValue(body(linkedCard()));
    element = await renderCard();
  });

  it("shows the account and its reconciliation status", () => {
    expect(text($(element, '[data-id="heading"]'))).toBe("Acme Analytics");
    const status = $(element, '[data-id="reconciliation-status"]');
    expect(text(status)).toBe("Discrepancy");
    expect(status.className).toContain("slds-theme_error");
    expect(text($(element, '[data-id="outlier"]'))).toBe("Outlier");
    expect(text($(element, '[data-id="status-headline"]'))).toBe(
      "Usage billed for 9,000 events but 12,400 were used in September",
    );
    // 16:00 UTC is 9:00 in Los Angeles, the time zone sfdx-lwc-jest gives @salesforce/i18n/timeZone.
    expect(text($(element, '[data-id="status-detail"]'))).toBe("2 discrepancies; reconciled Oct 2, 2026, 9:00 AM");
    expect(text($(element, '[data-id="owner"]'))).toBe("Owner: Alex Owner (alex@example.com) · Open in Reckon");
    expect($(element, '[data-id="open-in-reckon"]').getAttribute("href")).toBe(
      "https://reckon.example.com/accounts/0b6f6c52-5c3e-4f6b-9d8e-1d2f0a7c9e11",
    );
    expect($(element, '[data-id="partial-sync-banner"]')).toBeNull();
    expect($(element, '[data-id="stale-banner"]')).toBeNull();
  });

  it("shows usage month to date and the 12-month trend, oldest first", () => {
    expect(text($(element, '[data-id="usage-month-to-date"]'))).toBe("4,200.5 events");
    const points = $(element, '[data-id="usage-trend"] polyline').getAttribute("points").split(" ");
    expect(points).toHaveLength(12);
    // The lowest month sits at the bottom left, the highest at the top right.
    expect(points[0]).toBe("4,56");
    expect(points[11]).toBe("236,4");
    const months = $$(element, '[data-id="usage-month"]').map((month) => text(month));
    expect(months).toHaveLength(12);
    expect(months[0]).toBe("2025-01: 1,000");
    expect(months[11]).toBe("2025-12: 12,000");
  });

  it("shows the forecast with its band, committed volume, backtest error and alerts", () => {
    const row = text($(element, '[data-id="forecast-row"]'));
    expect(row).toContain("events (2026-Q4)");
    expect(row).toContain("4,200.5 events");
    expect(row).toContain("38,000 events");
    expect(row).toContain("band 34,000 to 42,000");
    expect(row).toContain("30,000 events");
    expect(row).toContain("8.3% MAPE");
    expect(text($(element, '[data-id="forecast-alert"]'))).toBe("events: Projected above committed volume");
  });

  it("shows invoices with money in the currency's digits, overdue marked and totalled", () => {
    expect(text($(element, '[data-id="overdue-total"]'))).toBe("Overdue: $1,234.50");
    const [overdue, paid] = $$(element, '[data-id="invoice"]');
    expect(text(overdue)).toBe("1043 Sep 1, 2026 Sep 15, 2026 $1,234.50 $1,234.50 Overdue");
    expect(overdue.querySelector('[data-id="invoice-state"]').className).toContain("slds-theme_error");
    expect(text(paid)).toBe("qb-inv-1001 Aug 1, 2026 Aug 15, 2026 $999.00 $0.00 Paid");
  });

  it("shows payments with Retry payment only where a retry is available", () => {
    const [failed, succeeded] = $$(element, '[data-id="payment"]');
    expect(text(failed.querySelector('[data-id="payment-amount"]'))).toBe("$1,234.50");
    expect(text(failed.querySelector('[data-id="payment-status"]'))).toBe("Failed");
    expect(text(failed.querySelector('[data-id="payment-failure"]'))).toBe("Your card was declined. (card_declined)");
    expect(text(failed)).toContain("Sep 15, 2026, 7:30 AM");
    const retries = $$(element, '[data-id="retry"]');
    expect(retries).toHaveLength(1);
    expect(retries[0].label).toBe("Retry payment");
    expect(retries[0].dataset.paymentId).toBe("ch_failed_1");
    expect(text(succeeded.querySelector('[data-id="payment-status"]'))).toBe("Succeeded");
    expect(succeeded.querySelector('[data-id="retry"]')).toBeNull();
    expect(succeeded.querySelector('[data-id="retry-state"]')).toBeNull();
  });

  it("shows open flags and offers Flag issue", () => {
    expect(text($(element, '[data-id="flags-heading"]'))).toBe("Open flags (1)");
    expect(text($(element, '[data-id="flag-title"]'))).toBe("Wrong amount: $450.00");
    expect(text($(element, '[data-id="flag-note-text"]'))).toBe("Customer says September was double-billed");
    expect(text($(element, '[data-id="flag-raised"]'))).toBe("Raised by Alex Owner Sep 20, 2026, 9:00 AM");
    expect($(element, '[data-id="open-flag-form"]').label).toBe("Flag issue");
    expect($(element, '[data-id="flag-form"]')).toBeNull();
  });

  it("shows the last sync per source, and which need reconnecting", () => {
    const [stripe, quickbooks, amplitude] = $$(element, '[data-id="sync"]');
    expect(text(stripe)).toBe("Stripe Succeeded Oct 2, 2026, 8:55 AM");
    expect(stripe.querySelector('[data-id="reconnect"]')).toBeNull();
    expect(text(quickbooks)).toBe("QuickBooks Failed Reconnect needed Oct 2, 2026, 8:50 AM");
    expect(text(amplitude)).toBe("Amplitude never ran not finished");
  });
});

describe("linked, other shapes", () => {
  it("formats money with each currency's own digits", async () => {
    getCard.mockResolvedValue(
      body(
        linkedCard({
          overdue: { minor: "15000", currency: "JPY" },
          invoices: [
            {
              id: "qb-inv-7",
              number: "7",
              issuedOn: "2026-09-01",
              dueOn: null,
              total: { minor: "15000", currency: "JPY" },
              balance: { minor: "15000", currency: "JPY" },
              overdue: true,
            },
          ],
          payments: [],
          flags: [
            {
              id: "flag-kwd",
              reason: "other",
              note: null,
              amount: { minor: "1234", currency: "KWD" },
              raisedBy: null,
              raisedAt: "2026-09-20T16:00:00Z",
            },
          ],
        }),
      ),
    );
    const element = await renderCard();

    expect(text($(element, '[data-id="overdue-total"]'))).toBe("Overdue: ¥15,000");
    expect(text($(element, '[data-id="invoice"]'))).toBe("7 Sep 1, 2026 on receipt ¥15,000 ¥15,000 Overdue");
    expect(text($(element, '[data-id="flag-title"]'))).toBe("Something else: KWD 1.234");
    expect(text($(element, '[data-id="flag-raised"]'))).toBe("Raised Sep 20, 2026, 9:00 AM");
    expect(text($(element, '[data-id="payments"]'))).toContain("No payments yet.");
  });

  it("shows the partial-sync banner above the numbers", async () => {
    getCard.mockResolvedValue(
      body(
        linkedCard({
          banners: {
            partialSync: {
              message: "The last Stripe sync stopped part way: these numbers may be incomplete.",
              missed: ["payments", "refunds"],
            },
            stale: null,
          },
        }),
      ),
    );
    const element = await renderCard();

    const banner = $(element, '[data-id="partial-sync-banner"]');
    expect(text(banner)).toBe(
      "Numbers may be incomplete The last Stripe sync stopped part way: these numbers may be incomplete. " +
        "Missed: payments, refunds",
    );
    // Banners come first, so nobody reads incomplete numbers unwarned.
    expect(banner.compareDocumentPosition($(element, '[data-id="account-status"]'))).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
    expect($(element, '[data-id="stale-banner"]')).toBeNull();
  });

  it("shows the stale banner with the sources that are down and the last good data", async () => {
    getCard.mockResolvedValue(
      body(
        linkedCard({
          banners: {
            partialSync: null,
            stale: {
              message: "QuickBooks is unreachable: the card shows the last good data.",
              sources: ["quickbooks", "stripe"],
              lastGoodAt: "2026-10-01T16:00:00Z",
            },
          },
        }),
      ),
    );
    const element = await renderCard();

    expect(text($(element, '[data-id="stale-banner"]'))).toBe(
      "Showing the last good data QuickBooks is unreachable: the card shows the last good data. " +
        "Down: QuickBooks, Stripe; last good data from Oct 1, 2026, 9:00 AM",
    );
    expect($(element, '[data-id="partial-sync-banner"]')).toBeNull();
  });

  it("offers neither Retry payment nor Flag issue to a viewer whose role may not", async () => {
    getCard.mockResolvedValue(body(linkedCard({ actions: { retry: false, flag: false } })));
    const element = await renderCard();

    expect($$(element, '[data-id="retry"]')).toHaveLength(0);
    expect(text($(element, '[data-id="retry-not-allowed"]'))).toBe("Your Reckon role cannot retry payments.");
    expect($(element, '[data-id="open-flag-form"]')).toBeNull();
  });

  it("says what happened to a retry that was already asked for", async () => {
    const card = linkedCard();
    card.payments[0].retry = { state: "rejected", requestId: "rr_9" };
    getCard.mockResolvedValue(body(card));
    const element = await renderCard();

    expect($$(element, '[data-id="retry"]')).toHaveLength(0);
    const state = $(element, '[data-id="retry-state"]');
    expect(text(state)).toBe("Retry rejected");
    expect(state.className).toContain("slds-theme_error");
  });
});

describe("Retry payment", () => {
  function withRetryRequested(card) {
    card.payments[0].retry = { state: "requested", requestId: "rr_1" };
    return card;
  }

  it("asks for a retry of that payment, says so in a toast and reloads the card", async () => {
    getCard.mockResolvedValueOnce(body(linkedCard())).mockResolvedValueOnce(body(withRetryRequested(linkedCard())));
    retryPayment.mockResolvedValue(body(answers.retryCreated));
    const element = await renderCard();

    $(element, '[data-id="retry"]').click();
    await settle();

    expect(retryPayment).toHaveBeenCalledTimes(1);
    expect(retryPayment).toHaveBeenCalledWith({ recordId: RECORD_ID, paymentId: "ch_failed_1" });
    expect(toasts).toEqual([
      { title: "Done", message: "Retry requested: finance approves it today.", variant: "success" },
    ]);
    expect(getCard).toHaveBeenCalledTimes(2);
    expect($(element, '[data-id="retry"]')).toBeNull();
    expect(text($(element, '[data-id="retry-state"]'))).toBe("Retry requested");
  });

  it("shows the problem's detail and keeps the card as it was when Reckon refuses", async () => {
    getCard.mockResolvedValue(body(linkedCard()));
    retryPayment.mockRejectedValue(apexError("Your role (account manager) may not retry payments: ask finance."));
    const element = await renderCard();

    $(element, '[data-id="retry"]').click();
    await settle();

    expect(toasts).toEqual([
      {
        title: "That did not work",
        message: "Your role (account manager) may not retry payments: ask finance.",
        variant: "error",
      },
    ]);
    expect(getCard).toHaveBeenCalledTimes(1);
    const retry = $(element, '[data-id="retry"]');
    expect(retry.disabled).toBe(false);
  });

  it("waits while a retry is on its way: its button is disabled", async () => {
    getCard.mockResolvedValue(body(linkedCard()));
    retryPayment.mockReturnValue(new Promise(() => {}));
    const element = await renderCard();

    $(element, '[data-id="retry"]').click();
    await settle();

    expect($(element, '[data-id="retry"]').disabled).toBe(true);
    $(element, '[data-id="retry"]').click();
    expect(retryPayment).toHaveBeenCalledTimes(1);
  });
});

describe("Flag issue", () => {
  async function openForm() {
    getCard.mockResolvedValue(body(linkedCard()));
    const element = await renderCard();
    $(element, '[data-id="open-flag-form"]').click();
    await settle();
    return element;
  }

  function change(element, dataId, value) {
    const field = $(element, `[data-id="${dataId}"]`);
    field.value = value;
    field.dispatchEvent(new CustomEvent("change", { detail: { value } }));
  }

  it("offers the API's reasons and the amount in the account's currency", async () => {
    const element = await openForm();

    expect($(element, '[data-id="flag-form"]')).not.toBeNull();
    expect($(element, '[data-id="open-flag-form"]')).toBeNull();
    expect($(element, '[data-id="flag-reason"]').options).toEqual([
      { label: "Wrong amount", value: "wrong_amount" },
      { label: "Missing invoice", value: "missing_invoice" },
      { label: "Something else", value: "other" },
    ]);
    expect($(element, '[data-id="flag-amount"]').label).toBe("Amount (USD, optional)");
  });

  it("asks for a reason and a readable amount before sending anything", async () => {
    const element = await openForm();

    $(element, '[data-id="send-flag"]').click();
    await settle();
    expect(text($(element, '[data-id="flag-reason-error"]'))).toBe("Choose a reason.");

    change(element, "flag-reason", "wrong_amount");
    change(element, "flag-amount", "12.345");
    $(element, '[data-id="send-flag"]').click();
    await settle();
    expect($(element, '[data-id="flag-reason-error"]')).toBeNull();
    expect(text($(element, '[data-id="flag-amount-error"]'))).toBe("Use at most 2 decimals for USD.");

    change(element, "flag-amount", "0");
    $(element, '[data-id="send-flag"]').click();
    await settle();
    expect(text($(element, '[data-id="flag-amount-error"]'))).toBe("Enter an amount above zero.");

    expect(flagIssue).not.toHaveBeenCalled();
    expect($(element, '[data-id="flag-form"]')).not.toBeNull();
  });

  it("sends the reason, note and amount in minor units, says so and reloads the card", async () => {
    const element = await openForm();
    flagIssue.mockResolvedValue(body(answers.flagCreated));

    change(element, "flag-reason", "wrong_amount");
    change(element, "flag-note", "  Double-billed in September  ");
    change(element, "flag-amount", "12.5");
    $(element, '[data-id="send-flag"]').click();
    await settle();

    expect(flagIssue).toHaveBeenCalledTimes(1);
    expect(flagIssue).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      reason: "wrong_amount",
      note: "Double-billed in September",
      amountMinor: "1250",
      currencyCode: "USD",
    });
    expect(toasts).toEqual([{ title: "Done", message: "Flag raised: finance will look at it.", variant: "success" }]);
    expect(getCard).toHaveBeenCalledTimes(2);
    expect($(element, '[data-id="flag-form"]')).toBeNull();
  });

  it("sends no note and no amount when none were given", async () => {
    const element = await openForm();
    flagIssue.mockResolvedValue(body(answers.flagCreated));

    change(element, "flag-reason", "missing_invoice");
    $(element, '[data-id="send-flag"]').click();
    await settle();

    expect(flagIssue).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      reason: "missing_invoice",
      note: null,
      amountMinor: null,
      currencyCode: null,
    });
  });

  it("keeps the form open and shows the problem's detail when Reckon refuses the flag", async () => {
    const element = await openForm();
    flagIssue.mockRejectedValue(apexError("The note is longer than 2000 characters."));

    change(element, "flag-reason", "other");
    change(element, "flag-note", "x");
    $(element, '[data-id="send-flag"]').click();
    await settle();

    expect(toasts).toEqual([
      { title: "That did not work", message: "The note is longer than 2000 characters.", variant: "error" },
    ]);
    expect(getCard).toHaveBeenCalledTimes(1);
    expect($(element, '[data-id="flag-form"]')).not.toBeNull();
  });

  it("Cancel closes the form without sending", async () => {
    const element = await openForm();

    $(element, '[data-id="cancel-flag"]').click();
    await settle();

    expect($(element, '[data-id="flag-form"]')).toBeNull();
    expect($(element, '[data-id="open-flag-form"]')).not.toBeNull();
    expect(flagIssue).not.toHaveBeenCalled();
  });
});
