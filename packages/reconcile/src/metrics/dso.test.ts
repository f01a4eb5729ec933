import { describe, expect, it } from "vitest";
import { dsoCountback, dsoOfPeriod, dsoStandard } from "./dso";
import type { AppliedPayment, MetricInvoice } from "./ledger";
import { receivablesForPeriod } from "./receivables";

const quarter = { from: "2026-10-01", to: "2026-12-31" }; // 31 + 30 + 31 = 92 days

describe("dsoStandard", () => {
  it("ending AR $226,000 against credit sales $460,000 over 92 days is 45.2 days", () => {
    // Sales per day = 460,000 / 92 = 5,000; AR is 226,000 / 5,000 = 45.2 days of sales.
    const result = dsoStandard({ endingArMinor: 22_600_000n, creditSalesMinor: 46_000_000n, ...quarter });
    expect(result).toMatchObject({ ok: true, method: "standard", text: "45.2 days", exceedsPeriod: false });
    expect(result.ok && result.days).toEqual({ numerator: 226n, denominator: 5n });
    expect(result.ok && result.rounded.value).toBe(45.2);
  });

  it("rounds half-even once, at the end", () => {
    // 5,625 / 9,200 x 92 = 56.25 exactly -> "56.2" (the 2 is even); 5,635 / 9,200 x 92 = 56.35 -> "56.4".
    const at = (ar: bigint) => dsoStandard({ endingArMinor: ar, creditSalesMinor: 920_000n, ...quarter }).text;
    expect(at(562_500n)).toBe("56.2 days");
    expect(at(563_500n)).toBe("56.4 days");
  });

  it("reports a period without credit sales instead of dividing by zero", () => {
    expect(dsoStandard({ endingArMinor: 100n, creditSalesMinor: 0n, ...quarter })).toMatchObject({
      ok: false,
      reason: "no-credit-sales",
    });
  });
});

describe("dsoCountback", () => {
  const salesByMonth = [
    { period: "2026-10", salesMinor: 10_000_000n }, // $100,000 over 31 days
    { period: "2026-11", salesMinor: 12_000_000n }, // $120,000 over 30 days
    { period: "2026-12", salesMinor: 15_000_000n }, // $150,000 over 31 days
  ];

  it("walks back across three months", () => {
    // AR $300,000. Dec: 300,000 > 150,000, so all 31 days, 150,000 left.
    // Nov: 150,000 > 120,000, so all 30 days, 30,000 left.
    // Oct: 30,000 <= 100,000, so 30,000 / 100,000 x 31 = 9.3 days. DSO = 31 + 30 + 9.3 = 70.3 days.
    const result = dsoCountback({ endingArMinor: 30_000_000n, ...quarter, salesByMonth });
    expect(result).toMatchObject({ ok: true, method: "countback", text: "70.3 days" });
    expect(result.ok && result.days).toEqual({ numerator: 703n, denominator: 10n });
  });

  it("stops in the month that covers the rest", () => {
    // AR $250,000: Dec 31 days (100,000 left), then Nov 100,000 / 120,000 x 30 = 25 days. DSO = 56 days.
    expect(dsoCountback({ endingArMinor: 25_000_000n, ...quarter, salesByMonth }).text).toBe("56.0 days");
  });

  it("says so when AR exceeds every sale of the period", () => {
    // AR $400,000 > 370,000 of sales: more than the period's 92 days.
    const result = dsoCountback({ endingArMinor: 40_000_000n, ...quarter, salesByMonth });
    expect(result).toMatchObject({ ok: true, exceedsPeriod: true, text: "more than 92.0 days" });
  });

  it("counts a month without sales in full and is zero without AR", () => {
    // Dec sold nothing: 31 days; Nov: 60,000 / 120,000 x 30 = 15. DSO = 46 days.
    const noDecember = salesByMonth.slice(0, 2);
    expect(dsoCountback({ endingArMinor: 6_000_000n, ...quarter, salesByMonth: noDecember }).text).toBe("46.0 days");
    expect(dsoCountback({ endingArMinor: 0n, ...quarter, salesByMonth }).text).toBe("0.0 days");
  });
});

describe("DSO from the ledger", () => {
  const invoice = (id: string, issuedOn: string, dueOn: string, totalMinor: bigint): MetricInvoice => ({
    id,
    number: id,
    customerId: "acme",
    currency: "USD",
    totalMinor,
    issuedOn,
    dueOn,
  });
  const paid = (invoiceId: string, paidOn: string, amountMinor: bigint): AppliedPayment => ({
    invoiceId,
    paidOn,
    amountMinor,
    currency: "USD",
  });
  // 1 issued 2026-09-15 for $1,000 (beginning AR), paid 2026-10-10
  // 2 issued 2026-10-05 for $3,000, paid 2026-11-01
  // 3 issued 2026-11-10 for $4,000 due 2026-12-10, $1,000 paid 2026-12-20 -> $3,000 open, past due
  // 4 issued 2026-12-15 for $2,200 due 2027-01-14, unpaid                  -> $2,200 open, current
  // Beginning AR $1,000; credit sales 3,000 + 4,000 + 2,200 = $9,200; ending AR $5,200, of which current $2,200.
  const invoices = [
    invoice("1", "2026-09-15", "2026-10-15", 100_000n),
    invoice("2", "2026-10-05", "2026-11-04", 300_000n),
    invoice("3", "2026-11-10", "2026-12-10", 400_000n),
    invoice("4", "2026-12-15", "2027-01-14", 220_000n),
  ];
  const applications = [
    paid("1", "2026-10-10", 100_000n),
    paid("2", "2026-11-01", 300_000n),
    paid("3", "2026-12-20", 100_000n),
  ];
  const receivables = receivablesForPeriod({ invoices, applications, currency: "usd", ...quarter });

  it("reads the four AR figures and the monthly sales", () => {
    expect(receivables).toMatchObject({
      currency: "USD",
      days: 92,
      beginningArMinor: 100_000n,
      creditSalesMinor: 920_000n,
      endingArMinor: 520_000n,
      endingCurrentArMinor: 220_000n,
      ignored: [],
    });
    expect(receivables.months.map((m) => [m.period, m.days, m.salesMinor])).toEqual([
      ["2026-10", 31, 300_000n],
      ["2026-11", 30, 400_000n],
      ["2026-12", 31, 220_000n],
    ]);
  });

  it("gives both DSO figures", () => {
    // Standard: 5,200 / 9,200 x 92 = 5,200 / 100 = 52 days.
    // Countback: Dec 2,200 < 5,200 -> 31 days, 3,000 left; Nov 3,000 / 4,000 x 30 = 22.5. DSO = 53.5 days.
    const { standard, countback } = dsoOfPeriod(receivables);
    expect(standard.text).toBe("52.0 days");
    expect(countback.text).toBe("53.5 days");
  });
});
