// CrmCard answers as the API sends them (typed as the contract, so tsc notices when the card's types drift).
import type { LinkedCard, UnlinkedCard } from "../api/types";

export function linkedCard(overrides: Partial<LinkedCard> = {}): LinkedCard {
  return {
    state: "linked",
    recordId: "4711",
    viewer: { name: "Fran Finance", role: "finance" },
    account: {
      id: "0b6f6c52-5c3e-4f6b-9d8e-1d2f0a7c9e11",
      name: "Acme Analytics",
      owner: { name: "Alex Owner", email: "alex@example.com" },
      webUrl: "https://reckon.example.com/accounts/0b6f6c52-5c3e-4f6b-9d8e-1d2f0a7c9e11",
    },
    status: {
      status: "discrepancy",
      headline: "Usage billed for 9,000 events but 12,400 were used in September",
      outlier: true,
      discrepancyCount: 2,
      reconciledAt: "2026-10-02T06:00:00Z",
    },
    banners: { partialSync: null, stale: null },
    usage: [
      {
        metric: "events",
        unit: "events",
        monthToDate: "4200.5",
        months: Array.from({ length: 12 }, (_, index) => ({
          period: `2025-${String(index + 1).padStart(2, "0")}`,
          quantity: String(1000 * (index + 1)),
        })),
      },
    ],
    forecast: [
      {
        metric: "events",
        unit: "events",
        quarter: "2026-Q4",
        toDate: "4200.5",
        projectedTotal: "38000",
        band: { low: "34000", high: "42000" },
        committed: "30000",
        mapePercent: 8.25,
        alerts: ["Projected above committed volume"],
      },
    ],
    invoices: [
      {
        id: "qb-inv-1043",
        number: "1043",
        issuedOn: "2026-09-01",
        dueOn: "2026-09-15",
        total: { minor: "123450", currency: "USD" },
        balance: { minor: "123450", currency: "USD" },
        overdue: true,
      },
      {
        id: "qb-inv-1001",
        number: null,
        issuedOn: "2026-08-01",
        dueOn: "2026-08-15",
        total: { minor: "99900", currency: "USD" },
        balance: { minor: "0", currency: "USD" },
        overdue: false,
      },
    ],
    overdue: { minor: "123450", currency: "USD" },
    payments: [
      {
        id: "ch_failed_1",
        status: "failed",
        amount: { minor: "123450", currency: "USD" },
        createdAt: "2026-09-15T14:30:00Z",
        failureCode: "card_declined",
        failureMessage: "Your card was declined.",
        retry: { state: "available", requestId: null },
      },
      {
        id: "ch_ok_1",
        status: "succeeded",
        amount: { minor: "99900", currency: "USD" },
        createdAt: "2026-08-15T10:00:00Z",
        failureCode: null,
        failureMessage: null,
        retry: { state: "none", requestId: null },
      },
    ],
    flags: [
      {
        id: "flag-1",
        reason: "wrong_amount",
        note: "Customer says September was double-billed",
        amount: { minor: "45000", currency: "USD" },
        raisedBy: "Alex Owner",
        raisedAt: "2026-09-20T09:00:00Z",
      },
    ],
    openFlagCount: 1,
    lastSync: [
      { source: "stripe", status: "succeeded", finishedAt: "2026-10-02T05:55:00Z", needsReconnect: false },
      { source: "quickbooks", status: "failed", finishedAt: "2026-10-02T05:50:00Z", needsReconnect: true },
      { source: "amplitude", status: null, finishedAt: null, needsReconnect: false },
    ],
    actions: { retry: true, flag: true },
    flagReasons: [
      { value: "wrong_amount", label: "Wrong amount" },
      { value: "missing_invoice", label: "Missing invoice" },
      { value: "other", label: "Something else" },
    ],
    ...overrides,
  };
}

export function unlinkedCard(overrides: Partial<UnlinkedCard> = {}): UnlinkedCard {
  return {
    state: "unlinked",
    recordId: "4711",
    viewer: { name: "Ada Admin", role: "admin" },
    canLink: true,
    suggestions: [
      { accountId: "9a4c1f1e-2b7d-4c55-8f0e-3b7a1c2d4e5f", name: "Acme Analytics Inc.", matchedOn: "domain" },
      { accountId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", name: "ACME Analytics", matchedOn: "name" },
    ],
    message: "This company is not linked to a Reckon account yet. An admin can link it.",
    ...overrides,
  };
}
