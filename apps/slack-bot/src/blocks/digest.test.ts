import type { DigestContent, PortfolioRow } from "@reckon/core";
import type { SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { changeText, digestMessage } from "./digest";
import { limits } from "./kit";

const usd = (minor: number) => ({ minor: String(minor), currency: "USD" });

function row(name: string, overrides: Partial<PortfolioRow> = {}): PortfolioRow {
  return {
    accountId: "00000000-0000-4000-8000-000000000001",
    name,
    owner: { id: "00000000-0000-4000-8000-0000000000aa", name: "Ava Manager" },
    status: "at_risk",
    usage: null,
    latestInvoice: null,
    paymentStatus: "failed",
    outstanding: usd(520_000),
    overdue: usd(520_000),
    maxDaysLate: 31,
    discrepancyCount: 2,
    openFlagCount: 0,
    outlier: false,
    headline: "Invoice 1042 is 31 days late",
    reconciledAt: "2026-12-24T12:00:00.000Z",
    ...overrides,
  };
}

function content(overrides: Partial<DigestContent> = {}): DigestContent {
  return {
    slot: { key: "2026-Q4:-7d", quarter: "2026-Q4", quarterEnd: "2026-12-31", daysBefore: 7, localDay: "2026-12-24" },
    audience: "account_manager",
    readerName: "Ava Manager",
    asOf: "2026-12-24T15:00:00.000Z",
    accounts: 48,
    atRisk: { rows: [row("Acme <Robotics>"), row("Globex")], total: 7 },
    unreconciled: { rows: [row("Initech", { status: "attention", discrepancyCount: 1 })], total: 1 },
    overdue: { rows: [row("Acme <Robotics>")], total: 1, totals: [usd(520_000)] },
    forecast: {
      quarter: "2026-Q4",
      toDate: usd(8_000_000),
      projected: usd(12_500_000),
      band: { low: usd(11_000_000), high: usd(14_000_000) },
      lastQuarter: { quarter: "2026-Q3", billed: usd(10_000_000) },
      changeBps: 2_500,
      leftOut: 1,
    },
    stale: false,
    ...overrides,
  };
}

const texts = (blocks: unknown[]) => JSON.stringify(blocks);
const sectionText = (blocks: unknown[], startsWith: string) =>
  (blocks as SectionBlock[]).find((b) => b.type === "section" && b.text?.text.startsWith(startsWith))?.text?.text;

describe("quarter-end digest message", () => {
  it("opens with the countdown and says whose accounts and how many", () => {
    const { text, blocks } = digestMessage(content());
    expect(text).toBe("2026-Q4 closes in 7 days: 7 at risk, 1 unreconciled, 1 overdue");
    expect(blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "2026-Q4 closes in 7 days", emoji: true },
    });
    expect(texts(blocks)).toContain(
      "Your accounts (48 accounts) on Dec 24, 2026, before the quarter ends on Dec 31, 2026.",
    );
    const portfolio = digestMessage(
      content({ audience: "finance", readerName: null, slot: { ...content().slot, daysBefore: 1 } }),
    );
    expect(portfolio.text).toMatch(/^2026-Q4 closes in 1 day:/);
    expect(texts(portfolio.blocks)).toContain("The portfolio (48 accounts)");
  });

  it("lists the worst accounts with what is wrong, escaped, and how many more there are", () => {
    const { blocks } = digestMessage(content());
    const atRisk = sectionText(blocks, "*At risk (7)*")!;
    expect(atRisk).toContain("*Acme &lt;Robotics&gt;*: Invoice 1042 is 31 days late");
    expect(atRisk).toContain("…and 5 more");
    expect(sectionText(blocks, "*Unreconciled (1)*")).toContain("*Initech*: 1 discrepancy.");
    expect(sectionText(blocks, "*Overdue, $5,200.00 in all (1)*")).toContain("$5,200.00 overdue, 31 days late");
    expect(sectionText(blocks, "*Overdue")).not.toContain("more");
  });

  it("says so when a list is empty", () => {
    const empty = { rows: [], total: 0 };
    const { text, blocks } = digestMessage(
      content({ atRisk: empty, unreconciled: empty, overdue: { ...empty, totals: [] } }),
    );
    expect(text).toContain("0 at risk, 0 unreconciled, 0 overdue");
    expect(sectionText(blocks, "*At risk*")).toBe("*At risk*: none :tada:");
    expect(sectionText(blocks, "*Overdue*")).toBe("*Overdue*: nothing overdue.");
  });

  it("sets the forecast against last quarter, and says what it left out", () => {
    const { blocks } = digestMessage(content());
    const forecast = sectionText(blocks, "*Forecast to the end of 2026-Q4*")!;
    expect(forecast).toContain("$125,000.00 (80 % band $110,000.00 to $140,000.00); billed so far $80,000.00.");
    expect(forecast).toContain("2026-Q3 billed $100,000.00: +25.0 % projected against it.");
    expect(texts(blocks)).toContain("1 account(s) left out");

    const first = content().forecast!;
    const nothingBefore = digestMessage(
      content({
        forecast: { ...first, lastQuarter: { ...first.lastQuarter, billed: usd(0) }, changeBps: null, leftOut: 0 },
      }),
    );
    expect(texts(nothingBefore.blocks)).toContain("2026-Q3 billed nothing to compare with.");
    expect(texts(nothingBefore.blocks)).not.toContain("left out");
    expect(texts(digestMessage(content({ forecast: null })).blocks)).toContain("not enough invoice history");
  });

  it("warns when a source is down, and stays inside Slack's limits", () => {
    const many = Array.from({ length: 5 }, (_, i) => row(`Account ${i} ${"x".repeat(700)}`));
    const { blocks } = digestMessage(content({ stale: true, atRisk: { rows: many, total: 900 } }));
    expect(texts(blocks)).toContain("A source is unreachable");
    expect(blocks.length).toBeLessThanOrEqual(limits.blocks);
    for (const block of blocks as SectionBlock[]) {
      if (block.type === "section") expect(block.text!.text.length).toBeLessThanOrEqual(limits.sectionText);
    }
  });

  it("rounds the change half-even to a tenth of a percent", () => {
    expect(changeText(2_500)).toBe("+25.0 %");
    expect(changeText(-1_234)).toBe("−12.3 %");
    expect(changeText(125)).toBe("+1.2 %");
    expect(changeText(135)).toBe("+1.4 %");
    expect(changeText(4)).toBe("±0.0 %");
  });
});
