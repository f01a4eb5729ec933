import type { AccountDetail } from "@reckon/core";
import { describe, expect, it } from "vitest";
import { accountCard } from "./account";
import { actionIds } from "./ids";

const usd = (minor: number) => ({ minor: String(minor), currency: "USD" });

function detail(overrides: Partial<AccountDetail> = {}): AccountDetail {
  return {
    account: {
      id: "00000000-0000-4000-8000-000000000001",
      name: "Acme <Robotics>",
      owner: null,
      links: { quickbooks: null, stripe: null, amplitude: null },
    },
    status: {
      status: "at_risk",
      headline: "Invoice 1042 is 30 days late",
      outlier: true,
      discrepancyCount: 1,
      reconciledAt: "2026-11-25T12:00:00.000Z",
    },
    usage: [
      {
        metric: "api_calls",
        unit: "call",
        monthToDate: "1250.5",
        months: [
          { period: "2026-10", quantity: "100" },
          { period: "2026-11", quantity: "300" },
        ],
      },
    ],
    invoices: [
      {
        id: "1042",
        number: "1042",
        issuedOn: "2026-10-01",
        dueOn: "2026-10-31",
        total: usd(520000),
        balance: usd(520000),
        lines: [],
      },
    ],
    payments: [
      {
        id: "ch_failed",
        source: "stripe",
        status: "failed",
        amount: usd(520000),
        refunded: usd(0),
        failureCode: "card_declined",
        failureMessage: null,
        disputed: false,
        createdAt: "2026-11-01T00:00:00.000Z",
        invoiceIds: ["1042"],
      },
    ],
    reconciliation: [],
    discrepancies: [
      {
        kind: "overdue_invoice",
        severity: "warning",
        period: "2026-10",
        amount: usd(520000),
        sourceIds: ["1042"],
        explanation: "Invoice 1042 is unpaid 25 days after its due date.",
        firstSeenAt: "2026-11-01T00:00:00.000Z",
      },
    ],
    timeline: [],
    sync: [],
    partialSync: false,
    partialSyncs: [],
    freshness: { sources: [], stale: false, staleOver24h: false },
    forecast: null,
    flags: [],
    openFlagCount: 0,
    ...overrides,
  };
}

const text = (blocks: unknown) => JSON.stringify(blocks);
const buttons = (blocks: ReturnType<typeof accountCard>) =>
  blocks.flatMap((b) => (b.type === "actions" ? b.elements.map((e) => ("action_id" in e ? e.action_id : "")) : []));

describe("account card", () => {
  it("shows status, balance, discrepancies and payments, with user text escaped", () => {
    const blocks = accountCard(detail(), { retry: true, flag: true }, "2026-11-25");
    const all = text(blocks);
    expect(all).toContain("Invoice 1042 is 30 days late");
    expect(all).toContain("$5,200.00");
    expect(all).toContain("(1 overdue)");
    expect(all).toContain("card_declined");
    expect(all).toContain("1,250.5 call");
    // The header is plain text; in mrkdwn, a source's < and > never become a link or a mention.
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: "Acme <Robotics>" } });
    expect(all).not.toMatch(/\*Acme <Robotics>/);
  });

  it("offers Retry payment for each failed payment and Flag issue only where the role allows", () => {
    expect(buttons(accountCard(detail(), { retry: true, flag: true }, "2026-11-25"))).toEqual([
      `${actionIds.retryPayment}:ch_failed`,
      actionIds.flagIssue,
    ]);
    expect(buttons(accountCard(detail(), { retry: false, flag: true }, "2026-11-25"))).toEqual([actionIds.flagIssue]);
    expect(buttons(accountCard(detail(), { retry: false, flag: false }, "2026-11-25"))).toEqual([]);
  });

  it("warns of a partial sync and of stale data", () => {
    const blocks = accountCard(
      detail({
        partialSync: true,
        partialSyncs: [
          {
            runId: "r1",
            source: "quickbooks",
            startedAt: "2026-11-25T11:00:00.000Z",
            missed: ["invoices after page 3"],
            error: null,
          },
        ],
        freshness: {
          sources: [{ source: "stripe", state: "down", lastGoodSyncAt: null, stale: true, staleOver24h: true }],
          stale: true,
          staleOver24h: true,
        },
      }),
      { retry: false, flag: false },
      "2026-11-25",
    );
    expect(text(blocks)).toContain("Partial sync");
    expect(text(blocks)).toContain("invoices after page 3");
    expect(text(blocks)).toContain("stripe is unreachable");
    expect(text(blocks)).toContain("older than 24 h");
  });

  it("stays inside Slack's block limit however many discrepancies there are", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...detail().discrepancies[0]!, sourceIds: [String(i)] }));
    const blocks = accountCard(detail({ discrepancies: many }), { retry: true, flag: true }, "2026-11-25");
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(text(blocks)).toContain("200 open discrepancies");
  });
});
