import { describe, expect, it } from "vitest";
import type { PortfolioRow } from "../../portfolio/listPortfolio";
import { inspectPdf, pdfColor, strokes } from "./inspectPdf";
import { describePortfolioFilters, type PortfolioSummaryPdfInput, renderPortfolioSummaryPdf } from "./portfolioSummary";

const statuses = ["ok", "attention", "at_risk"] as const;

/** Account i: USD 1,000.01 outstanding (EUR 2.50 for every tenth), half of it overdue; status cycles. */
function account(i: number): PortfolioRow {
  const euro = i % 10 === 0;
  return {
    accountId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    name: `Account ${String(i).padStart(3, "0")}`,
    owner: i % 4 === 0 ? null : { id: "owner", name: `Owner ${i % 7}` },
    status: statuses[i % 3]!,
    usage: null,
    latestInvoice: null,
    paymentStatus: null,
    outstanding: euro ? { minor: "250", currency: "EUR" } : { minor: "100001", currency: "USD" },
    overdue: euro ? { minor: "0", currency: "EUR" } : { minor: "50000", currency: "USD" },
    maxDaysLate: i % 45,
    discrepancyCount: i % 6,
    openFlagCount: 0,
    outlier: false,
    headline: `Invoice ${i} is ${i % 45} days late`,
    reconciledAt: "2026-11-15T00:00:00.000Z",
  };
}

const billed = [1_000_000n, 1_500_000n, 0n, 2_000_000n];
const input = (accounts: PortfolioRow[]): PortfolioSummaryPdfInput => ({
  tenantName: "Acme Analytics",
  generatedAt: "2026-11-15T14:03:00.000Z",
  filters: { ownerName: "Ana Ruiz", status: "at_risk" },
  accounts,
  revenue: [
    {
      currency: "USD",
      openingDeferredMinor: "0",
      months: billed.map((minor, i) => ({
        period: `2026-0${i + 1}`,
        billedMinor: minor.toString(),
        collectedMinor: (minor / 2n).toString(),
        earnedMinor: "0",
        deferredMinor: "0",
      })),
    },
  ],
});

const accounts120 = Array.from({ length: 120 }, (_, i) => account(i));

describe("renderPortfolioSummaryPdf", () => {
  it("paginates 120 accounts with the header row on every table page and every account exactly once", async () => {
    const pdf = await renderPortfolioSummaryPdf(input(accounts120), { compress: false });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const { raw, pages } = inspectPdf(pdf);
    // Page 1: summary, chart and the first rows; then 32 rows a page (A4 landscape, 15 pt rows).
    expect(raw.match(/\/Type \/Page\n/g)).toHaveLength(5);
    expect(pages).toHaveLength(5);

    const names: string[] = [];
    pages.forEach((page, p) => {
      expect(page.texts.filter((text) => text === "Account")).toHaveLength(1);
      expect(page.texts).toEqual(expect.arrayContaining(["Owner", "Status", "Outstanding", "Overdue", "Headline"]));
      expect(page.texts).toContain(`Page ${p + 1} of 5`);
      names.push(...page.texts.filter((text) => /^Account \d{3}$/.test(text)));
    });
    expect(names).toEqual(accounts120.map((a) => a.name));
    expect(pages.at(-1)!.texts).toContain("Account 119");
    expect(pages.slice(1, 4).map((page) => page.texts.filter((t) => /^Account \d{3}$/.test(t)).length)).toEqual([
      32, 32, 32,
    ]);
  });

  it("shows totals per currency, status counts and each account's amounts", async () => {
    const { pages } = inspectPdf(await renderPortfolioSummaryPdf(input(accounts120), { compress: false }));
    const first = pages[0]!.texts;
    // 108 USD accounts x 1,000.01 and 12 EUR accounts x 2.50; never added across currencies.
    expect(first).toContain("EUR 30.00 / USD 108,001.08");
    expect(first).toContain("EUR 0.00 / USD 54,000.00");
    expect(first).toContain("OK 40 · Attention 40 · At risk 40");
    expect(first).toContain("Generated 2026-11-15 14:03 UTC. Filters: Owner: Ana Ruiz; Status: At risk.");
    expect(first).toEqual(
      expect.arrayContaining(["Account 001", "Owner 1", "Attention", "USD 1,000.01", "USD 500.00"]),
    );
    expect(first).toEqual(expect.arrayContaining(["Account 000", "—", "OK", "EUR 2.50", "EUR 0.00"]));
    expect(first).toContain("Accounts (120)");
  });

  it("draws billed vs collected as bars whose heights follow the amounts", async () => {
    const { pages } = inspectPdf(await renderPortfolioSummaryPdf(input(accounts120), { compress: false }));
    const page = pages[0]!;
    expect(page.texts).toContain("Billed vs collected by month (USD)");
    expect(page.texts).toEqual(expect.arrayContaining(["2026-01", "2026-04", "0", "20,000"]));
    const billedBars = [
      ...page.content.matchAll(
        new RegExp(`[\\d.-]+ [\\d.-]+ [\\d.-]+ ([\\d.-]+) re\\n/DeviceRGB cs\\n${pdfColor("#3e7cb1")} scn\\nf\\n`, "g"),
      ),
    ].map(([, height]) => Number(height));
    // Legend swatch, then one bar per month with something billed (March billed nothing).
    expect(billedBars).toHaveLength(4);
    const [, jan = 0, feb = 0, apr = 0] = billedBars;
    expect(feb / jan).toBeCloseTo(1.5, 5);
    expect(apr / jan).toBeCloseTo(2, 5);
    // The value axis: ticks from 0 to 20,000 in steps of 5,000 (the chart's texts run from its title to its legend's
    // end, then the tick labels, then the months).
    const chartTexts = page.texts.slice(page.texts.indexOf("Collected") + 1, page.texts.indexOf("2026-01"));
    expect(chartTexts).toEqual(["0", "5,000", "10,000", "15,000", "20,000"]);
    const gridlines = strokes(page.content).filter((stroke) => stroke.color === pdfColor("#e4e7eb"));
    expect(gridlines).toHaveLength(5);
  });

  it("draws what the standard fonts can, and is the same file for the same input", async () => {
    const odd = { ...account(1), name: "Zoë 株式会社 =HYPERLINK()", headline: "x".repeat(400) };
    const pdf = await renderPortfolioSummaryPdf(input([odd]), { compress: false });
    const texts = inspectPdf(pdf).pages.flatMap((page) => page.texts);
    expect(texts).toContain("Zoë ???? =HYPERLINK()");
    // A headline longer than its column is cut with an ellipsis, never wrapped onto the next row.
    expect(texts.find((text) => text.startsWith("xxx"))).toMatch(/^x+…$/);
    expect(pdf.equals(await renderPortfolioSummaryPdf(input([odd]), { compress: false }))).toBe(true);
  });

  it("compresses by default and says when nothing matches", async () => {
    const compressed = await renderPortfolioSummaryPdf(input(accounts120));
    const plain = await renderPortfolioSummaryPdf(input(accounts120), { compress: false });
    expect(compressed.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(compressed.toString("latin1")).toContain("/Filter /FlateDecode");
    expect(compressed.length).toBeLessThan(plain.length / 2);

    const empty = inspectPdf(await renderPortfolioSummaryPdf({ ...input([]), revenue: [] }, { compress: false }));
    expect(empty.pages).toHaveLength(1);
    expect(empty.pages[0]!.texts).toEqual(
      expect.arrayContaining(["Accounts (0)", "No accounts match these filters.", "—"]),
    );
  });
});

describe("describePortfolioFilters", () => {
  it("reads the filters back as a person would", () => {
    expect(describePortfolioFilters({})).toBe("All accounts.");
    expect(describePortfolioFilters({ q: "acme", from: "2026-10-01", to: "2026-12-31" })).toBe(
      'Filters: Name contains "acme"; Latest invoice due 2026-10-01 to 2026-12-31.',
    );
    expect(describePortfolioFilters({ to: "2026-12-31", status: "ok" })).toBe(
      "Filters: Status: OK; Latest invoice due on or before 2026-12-31.",
    );
  });
});
