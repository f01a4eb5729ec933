import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../calendar";
import { allocateByWeights } from "./allocate";
import type { MetricInvoice } from "./ledger";
import { earnedUpTo, earnedVsDeferred, revenueByMonth, straightLineSchedule } from "./revenue";

function invoice(fields: Partial<MetricInvoice> & Pick<MetricInvoice, "id" | "totalMinor">): MetricInvoice {
  return { number: fields.id, customerId: "acme", currency: "USD", issuedOn: "2026-10-01", dueOn: null, ...fields };
}

// $3,100.00 billed 2026-10-01 for the quarter 2026-10-01..2026-12-31: 31 + 30 + 31 = 92 days.
const quarterly = invoice({ id: "q4", totalMinor: 310_000n, servicePeriod: { from: "2026-10-01", to: "2026-12-31" } });

describe("straightLineSchedule", () => {
  it("defers a quarterly invoice by day, the pieces summing to the total", () => {
    // Oct: 310,000 x 31/92 = 104,456.52 -> 104,457.
    // Oct+Nov: 310,000 x 61/92 = 205,543.48 -> 205,543, so Nov = 205,543 - 104,457 = 101,086 (exact 101,086.96).
    // Dec: 310,000 - 205,543 = 104,457 (exact 104,456.52). 104,457 + 101,086 + 104,457 = 310,000.
    const pieces = straightLineSchedule(310_000n, { from: "2026-10-01", to: "2026-12-31" });
    expect(pieces.map((p) => [p.period, p.days, p.earnedMinor])).toEqual([
      ["2026-10", 31, 104_457n],
      ["2026-11", 30, 101_086n],
      ["2026-12", 31, 104_457n],
    ]);
  });

  it("clips a period that starts and ends inside months", () => {
    // $100.00 over 2026-01-20..2026-02-09: Jan 12 days, Feb 9 days, 21 in all.
    // Jan: 10,000 x 12/21 = 5,714.29 -> 5,714; Feb: 10,000 - 5,714 = 4,286.
    const pieces = straightLineSchedule(10_000n, { from: "2026-01-20", to: "2026-02-09" });
    expect(pieces.map((p) => [p.from, p.to, p.earnedMinor])).toEqual([
      ["2026-01-20", "2026-01-31", 5_714n],
      ["2026-02-01", "2026-02-09", 4_286n],
    ]);
  });
});

describe("earnedVsDeferred", () => {
  it("splits the quarterly invoice at 2026-11-15", () => {
    // Days served 2026-10-01..2026-11-15 = 31 + 15 = 46 of 92: earned 310,000 x 46/92 = 155,000; deferred 155,000.
    // A one-off invoice without a service period is earned in full when issued.
    const report = earnedVsDeferred({
      invoices: [quarterly, invoice({ id: "setup", totalMinor: 20_000n, issuedOn: "2026-11-02" })],
      asOf: "2026-11-15",
    });
    expect(report.totals).toEqual([
      { currency: "USD", billedMinor: 330_000n, earnedMinor: 175_000n, deferredMinor: 155_000n },
    ]);
    expect(report.lines.map((l) => [l.invoiceId, l.earnedMinor, l.deferredMinor])).toEqual([
      ["q4", 155_000n, 155_000n],
    ]);
    expect(report.accounts[0]?.customerId).toBe("acme");
  });

  it("earns nothing before the invoice exists, then catches up", () => {
    // Billed in arrears on 2026-11-05 for October: nothing earned at 2026-10-31, all of it once issued.
    const arrears = invoice({
      id: "oct",
      totalMinor: 31_000n,
      issuedOn: "2026-11-05",
      servicePeriod: { from: "2026-10-01", to: "2026-10-31" },
    });
    expect(earnedUpTo(arrears, "2026-10-31")).toBe(0n);
    expect(earnedUpTo(arrears, "2026-11-05")).toBe(31_000n);
  });
});

describe("revenueByMonth", () => {
  it("shows billed vs collected and earned vs deferred per month", () => {
    // Billed: Oct 3,100 (quarterly) + Nov 200 (setup). Collected: Oct 1,000, Nov 2,100, Dec refund -50.
    // Earned: Oct 1,044.57, Nov 1,010.86 + 200 = 1,210.86, Dec 1,044.57.
    // Deferred at month ends: Oct 3,100 - 1,044.57 = 2,055.43; Nov 2,055.43 + 200 - 1,210.86 = 1,044.57; Dec 0.
    const [report] = revenueByMonth({
      invoices: [quarterly, invoice({ id: "setup", totalMinor: 20_000n, issuedOn: "2026-11-02" })],
      applications: [
        { invoiceId: "q4", paidOn: "2026-10-20", amountMinor: 100_000n, currency: "USD" },
        { invoiceId: "q4", paidOn: "2026-11-20", amountMinor: 210_000n, currency: "USD" },
        { invoiceId: "q4", paidOn: "2026-12-03", amountMinor: -5_000n, currency: "USD" },
      ],
      from: "2026-10",
      to: "2026-12",
    });
    expect(report?.openingDeferredMinor).toBe(0n);
    expect(
      report?.months.map((m) => [m.period, m.billedMinor, m.collectedMinor, m.earnedMinor, m.deferredMinor]),
    ).toEqual([
      ["2026-10", 310_000n, 100_000n, 104_457n, 205_543n],
      ["2026-11", 20_000n, 210_000n, 121_086n, 104_457n],
      ["2026-12", 0n, -5_000n, 104_457n, 0n],
    ]);
  });
});

const servicePeriodArb = fc
  .tuple(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 1, max: 400 }))
  .map(([start, length]) => ({ from: addDays("2025-01-01", start), to: addDays("2025-01-01", start + length - 1) }));

describe("straight-line: properties", () => {
  it("pieces sum exactly to the total, each within one minor unit of its exact share", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -10_000_000_000n, max: 10_000_000_000n }), servicePeriodArb, (total, span) => {
        const pieces = straightLineSchedule(total, span);
        const days = BigInt(pieces.reduce((sum, p) => sum + p.days, 0));
        expect(pieces.reduce((sum, p) => sum + p.earnedMinor, 0n)).toBe(total);
        for (const piece of pieces) {
          const error = piece.earnedMinor * days - total * BigInt(piece.days); // (piece - exact) x days
          expect(error < 0n ? -error : error).toBeLessThanOrEqual(days); // two half-even ties can each give 0.5
        }
        // Earned at each month end = the pieces so far (the schedule and the earned-to-date figure agree).
        let running = 0n;
        for (const piece of pieces) {
          running += piece.earnedMinor;
          expect(
            earnedUpTo(invoice({ id: "x", totalMinor: total, issuedOn: span.from, servicePeriod: span }), piece.to),
          ).toBe(running);
        }
      }),
    );
  });

  it("stays within one minor unit at half-even ties (fast-check seed 68652914 found one)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -10_000_000_000n, max: 10_000_000_000n }), servicePeriodArb, (total, span) => {
        const pieces = straightLineSchedule(total, span);
        const days = BigInt(pieces.reduce((sum, p) => sum + p.days, 0));
        for (const piece of pieces) {
          const error = piece.earnedMinor * days - total * BigInt(piece.days);
          expect(error < 0n ? -error : error).toBeLessThanOrEqual(days);
        }
      }),
      { seed: 68652914 },
    );
  });

  it("allocateByWeights always sums to the total", () => {
    const weights = fc.array(fc.bigInt({ min: 0n, max: 1_000n }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), weights, (total, ws) => {
        fc.pre(ws.some((w) => w > 0n));
        expect(allocateByWeights(total, ws).reduce((a, b) => a + b, 0n)).toBe(total);
      }),
    );
  });
});

describe("revenueByMonth: properties", () => {
  it("deferred(end) = deferred(previous end) + billed - earned, and earned over all time is what was billed", () => {
    const invoiceArb = fc.record({
      id: fc.uuid(),
      totalMinor: fc.bigInt({ min: -50_000n, max: 5_000_000n }),
      issuedOn: fc.integer({ min: 0, max: 500 }).map((n) => addDays("2025-01-01", n)),
      servicePeriod: fc.option(servicePeriodArb, { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(invoiceArb, { maxLength: 8 }), fc.integer({ min: 0, max: 20 }), (rows, start) => {
        const invoices = rows.map((row) => invoice(row));
        const from = addDays("2025-01-01", start * 31).slice(0, 7);
        const [report] = revenueByMonth({ invoices, applications: [], from, to: "2028-06" });
        if (!report) {
          expect(invoices).toEqual([]);
          return;
        }
        let deferred = report.openingDeferredMinor;
        for (const month of report.months) {
          deferred += month.billedMinor - month.earnedMinor;
          expect(month.deferredMinor).toBe(deferred);
        }
        // By 2028-06 every service period (ends by 2028-04, issued by 2026-05) is over: nothing stays deferred.
        expect(deferred).toBe(0n);
      }),
    );
  });
});
