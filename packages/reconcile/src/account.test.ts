import { describe, expect, it } from "vitest";
import { invoice, line, payment, ref } from "../test/fixtures";
import { type AccountInput, invoicePeriod, linePeriod, reconcileAccount } from "./account";

/** `perDay` units of `metric` on each of the first `days` days of `month`. */
function usage(metric: string, month: string, days: number, perDay: string) {
  return Array.from({ length: days }, (_, i) => ({
    metric,
    day: `${month}-${String(i + 1).padStart(2, "0")}`,
    quantity: perDay,
  }));
}

// As of 2026-11-25:
// - September: 30 x 40 GB + 118 GB = 1,318 GB metered; invoice 1043 (issued 2026-10-01 with no service dates, so it
//   bills September) bills 1,200 GB (-9.0%: under-billed); its only charge failed and it is 41 days past due.
// - October: 10 x 100 GB = 1,000 GB metered; invoice 1044 bills 1,020 GB (+2.0%: matched) with an October service
//   date, and a payment of its exact amount two days after it was issued pays it (matched, no reference).
// - November: the open month, 10 x 3 GB so far: in progress.
const input: AccountInput = {
  usage: [
    ...usage("gb_stored", "2026-09", 30, "40"),
    { metric: "gb_stored", day: "2026-09-15", quantity: "118" },
    ...usage("gb_stored", "2026-10", 10, "100"),
    ...usage("gb_stored", "2026-11", 10, "3"),
  ],
  invoices: [
    invoice({
      id: "inv-1043",
      issuedOn: "2026-10-01",
      dueOn: "2026-10-15",
      lines: [
        line({ quantity: "1200", amountMinor: 480_000n }),
        line({ metric: null, quantity: "1", amountMinor: 40_000n }),
      ],
    }),
    invoice({
      id: "inv-1044",
      totalMinor: 408_000n,
      balanceMinor: 0n,
      issuedOn: "2026-11-01",
      dueOn: "2026-11-15",
      lines: [line({ quantity: "1020", amountMinor: 408_000n, serviceDate: "2026-10-31" })],
    }),
  ],
  payments: [
    payment({
      id: "ch_1",
      status: "failed",
      failureCode: "card_declined",
      failureMessage: "insufficient_funds",
      references: [ref("1043")],
      createdAt: new Date("2026-10-14T10:00:00Z"),
    }),
    payment({ id: "ch_2", amountMinor: 408_000n, createdAt: new Date("2026-11-03T10:00:00Z") }),
  ],
  metricUnits: { gb_stored: "GB" },
};
const options = { asOf: new Date("2026-11-25T12:00:00Z"), thresholdBps: 500 };

describe("billing periods of invoice lines", () => {
  it("takes the service date's month, else the month before the issue date", () => {
    const inv = invoice({ id: "inv-1", issuedOn: "2026-01-01" });
    expect(linePeriod(line({ serviceDate: "2026-03-31" }), inv)).toBe("2026-03");
    expect(linePeriod(line(), inv)).toBe("2025-12");
    expect(
      invoicePeriod({ ...inv, lines: [line({ serviceDate: "2026-03-01" }), line({ serviceDate: "2026-02-01" })] }),
    ).toBe("2026-02");
    expect(invoicePeriod(inv)).toBe("2025-12");
  });
});

describe("reconcileAccount", () => {
  const result = reconcileAccount(input, options);

  it("reconciles each period", () => {
    expect(result.periods.map((p) => [p.period, p.state, p.status])).toEqual([
      ["2026-09", "closed", "discrepancy"],
      ["2026-10", "closed", "matched"],
      ["2026-11", "open", "in_progress"],
    ]);
    const [september, october, november] = result.periods;
    expect(september?.usage.map((m) => [m.status, m.meteredMicro, m.billedMicro])).toEqual([
      ["under_billed", 1_318_000_000n, 1_200_000_000n],
    ]);
    expect(september?.unmappedLineCount).toBe(1);
    expect(september?.discrepancies.map((d) => d.code)).toEqual(["failed_payment", "under_billed"]);
    expect(september?.invoices.map((i) => [i.invoiceNumber, i.status, i.daysLate])).toEqual([["1043", "overdue", 41]]);
    expect(october?.usage.map((m) => [m.status, m.varianceBps])).toEqual([["matched", 200]]);
    expect(october?.invoices.map((i) => [i.invoiceNumber, i.status])).toEqual([["1044", "paid"]]);
    expect(october?.explanation).toBe("2026-10 reconciles: 1 metric within the 5% threshold; invoice 1044 paid.");
    expect(november?.usage.map((m) => m.status)).toEqual(["in_progress"]);
    expect(november?.explanation).toBe("2026-11 is still open: usage is reconciled once the month is invoiced.");
  });

  it("explains the period with the discrepancy", () => {
    expect(result.periods[0]?.explanation).toBe(
      "2026-09: 2 discrepancies. Invoice 1043 for $5,200.00 was due 2026-10-15: 41 days overdue, $5,200.00 outstanding; the last charge failed (card_declined: insufficient_funds): failed payment, $5,200.00 not collected. Invoice 1043 bills 1,200 GB; Amplitude metered 1,318 GB (-9.0%, beyond the 5% threshold): under-billed.",
    );
  });

  it("returns the allocations", () => {
    expect(result.allocations).toEqual([
      { paymentId: "ch_2", invoiceId: "inv-1044", amountMinor: 408_000n, currency: "USD", method: "match" },
    ]);
    expect(result.unallocated).toEqual([]);
  });

  it("rolls the account up", () => {
    expect(result.account).toEqual({
      status: "at_risk",
      outstandingMinor: { USD: 520_000n },
      overdueMinor: { USD: 520_000n },
      maxDaysLate: 41,
      discrepancyCount: 2,
      headline:
        "At risk: $5,200.00 overdue on 1 invoice, up to 41 days late; 1 invoice whose last charge failed; 2 discrepancies; $5,200.00 outstanding in total.",
    });
  });

  it("does not depend on input order and gives equal output when run again", () => {
    const reversed: AccountInput = {
      ...input,
      usage: [...input.usage].reverse(),
      invoices: [...input.invoices].reverse().map((i) => ({ ...i, lines: [...i.lines].reverse() })),
      payments: [...input.payments].reverse(),
    };
    expect(reconcileAccount(reversed, options)).toEqual(result);
    expect(reconcileAccount(input, options)).toEqual(result);
  });

  it("is ok when everything reconciles and nothing is late", () => {
    const clean = reconcileAccount(
      { ...input, usage: input.usage.filter((u) => u.day.startsWith("2026-10")), invoices: input.invoices.slice(1) },
      options,
    );
    expect(clean.account).toMatchObject({
      status: "ok",
      discrepancyCount: 0,
      maxDaysLate: 0,
      outstandingMinor: { USD: 0n },
    });
    expect(clean.account.headline).toBe("OK: 1 period reconciled, nothing overdue; nothing outstanding.");
  });

  it("needs attention for a discrepancy without money at risk", () => {
    const attention = reconcileAccount(
      { ...input, invoices: input.invoices.slice(1), usage: [...input.usage, ...usage("seats", "2026-10", 1, "12")] },
      options,
    );
    expect(
      attention.periods.find((p) => p.period === "2026-10")?.discrepancies.map((d) => [d.code, d.sourceIds]),
    ).toEqual([["under_billed", ["qbo:Invoice:inv-1044"]]]);
    expect(attention.account.status).toBe("attention");
  });

  it("counts a currency mismatch once, on its invoice's period", () => {
    const euros = payment({ id: "py_eur", currency: "EUR", amountMinor: 408_000n, references: [ref("1044")] });
    const mismatch = reconcileAccount({ ...input, payments: [input.payments[0]!, euros] }, options);
    const october = mismatch.periods.find((p) => p.period === "2026-10");
    expect(october?.discrepancies.map((d) => [d.code, d.sourceIds, d.amountMinor])).toEqual([
      ["currency_mismatch", ["py_eur", "qbo:Invoice:inv-1044"], 408_000n],
    ]);
    expect(mismatch.unallocated.map((u) => [u.paymentId, u.reason])).toEqual([["py_eur", "currency_mismatch"]]);
    expect(mismatch.account.discrepancyCount).toBe(3); // under-billed + failed payment in September, the mismatch
  });

  it("counts a payment that matches no invoice", () => {
    const stray = payment({ id: "py_stray", amountMinor: 1_234n });
    const october = input.usage.filter((u) => u.day.startsWith("2026-10"));
    const result = reconcileAccount(
      { ...input, usage: october, invoices: input.invoices.slice(1), payments: [...input.payments, stray] },
      options,
    );
    expect(result.unallocated.map((u) => [u.paymentId, u.reason])).toEqual([["py_stray", "unmatched"]]);
    expect(result.account.status).toBe("attention");
    expect(result.account.discrepancyCount).toBe(1);
    expect(result.account.headline).toBe("Attention: 1 payment not applied; nothing outstanding.");
  });

  it("keeps a missing invoice in progress during the grace days", () => {
    const early = { asOf: new Date("2026-11-02T00:00:00Z"), thresholdBps: 500, invoiceGraceDays: 5 };
    const result = reconcileAccount({ ...input, invoices: [], payments: [] }, early);
    expect(result.periods.map((p) => [p.period, p.state, p.status])).toEqual([
      ["2026-09", "closed", "discrepancy"],
      ["2026-10", "invoicing", "in_progress"],
      ["2026-11", "open", "in_progress"],
    ]);
  });
});
