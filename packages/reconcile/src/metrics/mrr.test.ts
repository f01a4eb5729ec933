import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shiftPeriod } from "../calendar";
import type { MetricInvoice } from "./ledger";
import { type MrrChange, type MrrEntry, mrrMovements } from "./mrr";
import { mrrFromInvoices } from "./mrrFromInvoices";

const months = ["2026-01", "2026-02", "2026-03", "2026-04"];

function series(accountId: string, dollars: number[]): MrrEntry[] {
  return dollars.map((amount, index) => ({
    accountId,
    period: months[index]!,
    currency: "USD",
    mrrMinor: BigInt(amount) * 100n,
  }));
}

/** start + new + expansion + reactivation - contraction - churn */
function reconciled(change: MrrChange): bigint {
  return (
    change.startMinor +
    change.newMinor +
    change.expansionMinor +
    change.reactivationMinor -
    change.contractionMinor -
    change.churnMinor
  );
}

describe("mrrMovements: five accounts over four months", () => {
  //            Jan  Feb  Mar  Apr
  // a          100  100  150  150   expansion +50 in Mar
  // b          200  200    0    0   churn 200 in Mar
  // c            0  300  300  250   new 300 in Feb, contraction 50 in Apr
  // d           50    0    0   80   churn 50 in Feb, reactivation 80 in Apr (back after two months at zero)
  // e            0    0    0  120   new 120 in Apr
  // MRR        350  600  450  600
  // Feb: 350 + 300 new - 50 churn = 600.  Mar: 600 + 50 expansion - 200 churn = 450.
  // Apr: 450 + 120 new + 80 reactivation - 50 contraction = 600.  ARR in Apr = 12 x 600 = 7,200.
  const entries = [
    ...series("a", [100, 100, 150, 150]),
    ...series("b", [200, 200, 0, 0]),
    ...series("c", [0, 300, 300, 250]),
    ...series("d", [50, 0, 0, 80]),
    ...series("e", [0, 0, 0, 120]),
  ];
  const [report] = mrrMovements({ entries, from: "2026-02", to: "2026-04" });

  it("gives MRR and ARR per month", () => {
    expect(report?.months.map((m) => [m.period, m.mrrMinor, m.arrMinor, m.activeAccounts])).toEqual([
      ["2026-02", 60_000n, 720_000n, 3],
      ["2026-03", 45_000n, 540_000n, 2],
      ["2026-04", 60_000n, 720_000n, 4],
    ]);
  });

  it("classifies each account's movement", () => {
    expect(report?.movements.map((m) => [m.period, m.accountId, m.kind, m.amountMinor])).toEqual([
      ["2026-02", "c", "new", 30_000n],
      ["2026-02", "d", "churn", 5_000n],
      ["2026-03", "a", "expansion", 5_000n],
      ["2026-03", "b", "churn", 20_000n],
      ["2026-04", "c", "contraction", 5_000n],
      ["2026-04", "d", "reactivation", 8_000n],
      ["2026-04", "e", "new", 12_000n],
    ]);
  });

  it("reconciles month by month and over the window", () => {
    const april = report?.months[2]?.change;
    expect(april).toEqual({
      startMinor: 45_000n,
      newMinor: 12_000n,
      expansionMinor: 0n,
      reactivationMinor: 8_000n,
      contractionMinor: 5_000n,
      churnMinor: 0n,
      endMinor: 60_000n,
    });
    // Window Feb..Apr against January: 350 + (300 + 120) new + 50 expansion + 80 reactivation
    //   - 50 contraction - (50 + 200) churn = 600.
    expect(report?.total).toEqual({
      startMinor: 35_000n,
      newMinor: 42_000n,
      expansionMinor: 5_000n,
      reactivationMinor: 8_000n,
      contractionMinor: 5_000n,
      churnMinor: 25_000n,
      endMinor: 60_000n,
    });
  });

  it("keeps currencies apart and rejects negative MRR", () => {
    const reports = mrrMovements({
      entries: [{ accountId: "x", period: "2026-02", currency: "eur", mrrMinor: 900n }, ...series("a", [100, 100])],
      from: "2026-02",
      to: "2026-02",
    });
    expect(reports.map((r) => [r.currency, r.months[0]?.mrrMinor])).toEqual([
      ["EUR", 900n],
      ["USD", 10_000n],
    ]);
    const negative = [{ accountId: "x", period: "2026-02", currency: "USD", mrrMinor: -1n }];
    expect(() => mrrMovements({ entries: negative, from: "2026-02", to: "2026-02" })).toThrow(RangeError);
  });
});

describe("mrrMovements: properties", () => {
  it("MRR(start) + new + expansion + reactivation - contraction - churn = MRR(end), for random series", () => {
    const amount = fc.constantFrom(0n, 0n, 100n, 250n, 400n, 1_000n);
    const entriesArb = fc.array(
      fc.record({
        accountId: fc.constantFrom("a", "b", "c", "d", "e", "f"),
        period: fc.integer({ min: 0, max: 8 }).map((i) => shiftPeriod("2026-01", i)),
        currency: fc.constantFrom("USD", "EUR"),
        mrrMinor: amount,
      }),
      { maxLength: 60 },
    );
    const windowArb = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(entriesArb, windowArb, (entries, [start, length]) => {
        const from = shiftPeriod("2026-01", start);
        const to = shiftPeriod(from, length);
        const mrrAt = (currency: string, period: string) =>
          entries
            .filter((e) => e.currency === currency && e.period === period)
            .reduce((sum, e) => sum + e.mrrMinor, 0n);
        for (const report of mrrMovements({ entries, from, to })) {
          for (const month of report.months) {
            expect(reconciled(month.change)).toBe(month.change.endMinor);
            expect(month.change.endMinor).toBe(month.mrrMinor);
            expect(month.mrrMinor).toBe(mrrAt(report.currency, month.period));
            expect(month.change.startMinor).toBe(mrrAt(report.currency, shiftPeriod(month.period, -1)));
          }
          expect(reconciled(report.total)).toBe(mrrAt(report.currency, to));
          expect(report.total.startMinor).toBe(mrrAt(report.currency, shiftPeriod(from, -1)));
        }
      }),
    );
  });
});

describe("mrrFromInvoices", () => {
  const invoice = (id: string, totalMinor: bigint, from?: string, to?: string): MetricInvoice => ({
    id,
    number: id,
    customerId: "acme",
    currency: "USD",
    totalMinor,
    issuedOn: "2026-01-01",
    dueOn: null,
    servicePeriod: from && to ? { from, to } : null,
  });

  it("counts monthly service periods, spreads whole-month spans and ignores the rest", () => {
    const entries = mrrFromInvoices([
      invoice("jan", 50_000n, "2026-01-15", "2026-02-14"), // 31 days: $500 MRR in January
      invoice("feb", 50_000n, "2026-02-01", "2026-02-28"), // 28 days: $500 MRR in February
      // A quarter of whole months, $1,000: 100,000 x 1/3 = 33,333.33 -> 33,333; x 2/3 = 66,666.67 -> 66,667,
      // so Apr 33,333, May 33,334, Jun 100,000 - 66,667 = 33,333: sums to the invoice.
      invoice("q2", 100_000n, "2026-04-01", "2026-06-30"),
      invoice("oneoff", 9_999n), // no service period: not recurring
      invoice("twoweeks", 9_999n, "2026-03-01", "2026-03-14"), // 14 days: not recurring
      invoice("credit", -5_000n, "2026-02-01", "2026-02-28"), // credit note: not recurring
    ]);
    expect(entries.map((e) => [e.period, e.mrrMinor])).toEqual([
      ["2026-01", 50_000n],
      ["2026-02", 50_000n],
      ["2026-04", 33_333n],
      ["2026-05", 33_334n],
      ["2026-06", 33_333n],
    ]);
  });
});
