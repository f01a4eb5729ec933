import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../calendar";
import { ageReceivables, agingBucketNames, agingBucketOf } from "./aging";
import type { AppliedPayment, MetricInvoice } from "./ledger";

function invoice(fields: Partial<MetricInvoice> & Pick<MetricInvoice, "id" | "totalMinor">): MetricInvoice {
  return { number: null, customerId: "acme", currency: "USD", issuedOn: "2026-11-01", dueOn: null, ...fields };
}

function paid(invoiceId: string, paidOn: string, amountMinor: bigint, currency = "USD"): AppliedPayment {
  return { invoiceId, paidOn, amountMinor, currency };
}

describe("agingBucketOf", () => {
  it("puts due today in current and day 91 in 90+", () => {
    expect([0, -3, 1, 30, 31, 60, 61, 90, 91, 400].map(agingBucketOf)).toEqual([
      "current",
      "current",
      "1-30",
      "1-30",
      "31-60",
      "31-60",
      "61-90",
      "61-90",
      "90+",
      "90+",
    ]);
  });
});

describe("ageReceivables: worked example at 2026-12-15", () => {
  // Three invoices, two payments:
  //   1001 acme   $1,000.00 due 2026-12-01; $400.00 paid 2026-12-10      -> open $600.00, 14 days late  -> 1-30
  //   1002 acme     $500.00 due 2026-10-01; nothing paid                   -> open $500.00, 31 (Oct) + 30 (Nov)
  //                                                                          + 14 (Dec) = 75 days late    -> 61-90
  //   1003 globex $2,000.00 due 2026-12-31; $2,000.00 paid 2026-12-20, after asOf, so not yet -> open, current
  // Portfolio: current 2,000 + 1-30 600 + 61-90 500 = $3,100.00; acme 1,100.00, globex 2,000.00.
  const invoices = [
    invoice({ id: "i1", number: "1001", totalMinor: 100_000n, issuedOn: "2026-11-01", dueOn: "2026-12-01" }),
    invoice({ id: "i2", number: "1002", totalMinor: 50_000n, issuedOn: "2026-09-01", dueOn: "2026-10-01" }),
    invoice({
      id: "i3",
      number: "1003",
      customerId: "globex",
      totalMinor: 200_000n,
      issuedOn: "2026-12-01",
      dueOn: "2026-12-31",
    }),
  ];
  const applications = [paid("i1", "2026-12-10", 40_000n), paid("i3", "2026-12-20", 200_000n)];
  const report = ageReceivables({ invoices, applications, asOf: "2026-12-15" });

  it("ages each open invoice from its due day", () => {
    expect(report.lines.map((line) => [line.number, line.openMinor, line.daysPastDue, line.bucket])).toEqual([
      ["1002", 50_000n, 75, "61-90"],
      ["1001", 60_000n, 14, "1-30"],
      ["1003", 200_000n, -16, "current"],
    ]);
  });

  it("totals per account and for the portfolio", () => {
    expect(report.portfolio).toEqual([
      {
        currency: "USD",
        buckets: { current: 200_000n, "1-30": 60_000n, "31-60": 0n, "61-90": 50_000n, "90+": 0n },
        totalMinor: 310_000n,
        invoiceCount: 3,
      },
    ]);
    expect(report.accounts.map((account) => [account.customerId, account.totals[0]?.totalMinor])).toEqual([
      ["acme", 110_000n],
      ["globex", 200_000n],
    ]);
  });

  it("is the same whatever the input order", () => {
    const reversed = ageReceivables({
      invoices: [...invoices].reverse(),
      applications: [...applications].reverse(),
      asOf: "2026-12-15",
    });
    expect(reversed).toEqual(report);
  });
});

describe("ageReceivables: edges", () => {
  it("keeps currencies apart, lists overpayments as credits, reopens on a refund and reports stray applications", () => {
    const report = ageReceivables({
      invoices: [
        invoice({ id: "eu", currency: "EUR", totalMinor: 70_000n, dueOn: null, issuedOn: "2026-08-01" }),
        invoice({ id: "over", totalMinor: 10_000n }),
        invoice({ id: "refunded", totalMinor: 25_000n, dueOn: "2026-11-15" }),
        invoice({ id: "future", totalMinor: 99_000n, issuedOn: "2026-12-16" }),
      ],
      applications: [
        paid("over", "2026-11-05", 12_000n), // $20.00 more than the invoice: a credit, not AR
        paid("refunded", "2026-11-10", 25_000n),
        paid("refunded", "2026-11-20", -5_000n), // refund of $50.00: $50.00 open again, 30 days late
        paid("eu", "2026-11-01", 1_000n, "USD"), // wrong currency: ignored and reported
        paid("nope", "2026-11-01", 1_000n), // no such invoice
      ],
      asOf: "2026-12-15",
    });
    // EUR 700.00 due on receipt 2026-08-01: Aug 31 + Sep 30 + Oct 31 + Nov 30 + 14 = 136 days -> 90+.
    expect(report.portfolio.map((t) => [t.currency, t.totalMinor, t.buckets["90+"], t.buckets["1-30"]])).toEqual([
      ["EUR", 70_000n, 70_000n, 0n],
      ["USD", 5_000n, 0n, 5_000n],
    ]);
    expect(report.credits).toEqual([{ invoiceId: "over", customerId: "acme", currency: "USD", creditMinor: 2_000n }]);
    expect(report.ignored.map((entry) => [entry.application.invoiceId, entry.reason])).toEqual([
      ["eu", "currency-mismatch"],
      ["nope", "unknown-invoice"],
    ]);
  });
});

const day = fc.integer({ min: 0, max: 200 }).map((offset) => addDays("2026-06-01", offset));

describe("ageReceivables: properties", () => {
  it("buckets sum to the total open AR, and accounts sum to the portfolio", () => {
    const invoicesArb = fc.uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 12 }).map((n) => `i${n}`),
        number: fc.constant(null),
        customerId: fc.constantFrom("a", "b", "c"),
        currency: fc.constantFrom("USD", "EUR"),
        totalMinor: fc.bigInt({ min: -5_000n, max: 500_000n }),
        issuedOn: day,
        dueOn: fc.option(day, { nil: null }),
      }),
      { selector: (row) => row.id, maxLength: 10 },
    );
    const applicationsArb = fc.array(
      fc.record({
        invoiceId: fc.integer({ min: 1, max: 12 }).map((n) => `i${n}`),
        paidOn: day,
        amountMinor: fc.bigInt({ min: -50_000n, max: 300_000n }),
        currency: fc.constantFrom("USD", "EUR"),
      }),
      { maxLength: 15 },
    );
    fc.assert(
      fc.property(invoicesArb, applicationsArb, day, (invoices, applications, asOf) => {
        const report = ageReceivables({ invoices, applications, asOf });
        // Independent open AR: positive (total - same-currency applications on or before asOf), per currency.
        const expected = new Map<string, bigint>();
        for (const inv of invoices) {
          if (inv.issuedOn > asOf) continue;
          const applied = applications
            .filter((a) => a.invoiceId === inv.id && a.currency === inv.currency && a.paidOn <= asOf)
            .reduce((sum, a) => sum + a.amountMinor, 0n);
          const open = inv.totalMinor - applied;
          if (open > 0n) expected.set(inv.currency, (expected.get(inv.currency) ?? 0n) + open);
        }
        for (const totals of report.portfolio) {
          const bucketSum = agingBucketNames.reduce((sum, name) => sum + totals.buckets[name], 0n);
          expect(bucketSum).toBe(totals.totalMinor);
          expect(totals.totalMinor).toBe(expected.get(totals.currency));
          const accountSum = report.accounts
            .flatMap((account) => account.totals)
            .filter((t) => t.currency === totals.currency)
            .reduce((sum, t) => sum + t.totalMinor, 0n);
          expect(accountSum).toBe(totals.totalMinor);
        }
        expect(report.portfolio.length).toBe(expected.size);
      }),
    );
  });
});
