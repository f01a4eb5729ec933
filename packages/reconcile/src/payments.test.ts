import { describe, expect, it } from "vitest";
import { invoice, payment, ref } from "../test/fixtures";
import { allocatePayments } from "./payments";

describe("allocatePayments: explicit references", () => {
  it("splits one payment over two invoices by the amounts it states", () => {
    const invoices = [
      invoice({ id: "inv-1043", totalMinor: 300_000n }),
      invoice({ id: "inv-1044", totalMinor: 220_000n }),
    ];
    const result = allocatePayments(invoices, [
      payment({ id: "py_1", amountMinor: 520_000n, references: [ref("1044", 220_000n), ref("1043", 300_000n)] }),
    ]);
    expect(result.allocations).toEqual([
      { paymentId: "py_1", invoiceId: "inv-1043", amountMinor: 300_000n, currency: "USD", method: "reference" },
      { paymentId: "py_1", invoiceId: "inv-1044", amountMinor: 220_000n, currency: "USD", method: "reference" },
    ]);
    expect(result.unallocated).toEqual([]);
    expect(result.issues).toEqual([]);
  });

  it("without stated amounts, fills the named invoices oldest first", () => {
    const invoices = [
      invoice({ id: "inv-1044", totalMinor: 220_000n, issuedOn: "2026-10-02" }),
      invoice({ id: "inv-1043", totalMinor: 300_000n, issuedOn: "2026-10-01" }),
    ];
    const result = allocatePayments(invoices, [
      payment({ id: "py_1", amountMinor: 400_000n, references: [ref("1044"), ref("1043")] }),
    ]);
    // $4,000: $3,000 to the older 1043, the remaining $1,000 to 1044.
    expect(result.allocations.map((a) => [a.invoiceId, a.amountMinor])).toEqual([
      ["inv-1043", 300_000n],
      ["inv-1044", 100_000n],
    ]);
  });

  it("applies two partial payments to one invoice", () => {
    const result = allocatePayments(
      [invoice({ id: "inv-1043" })],
      [
        payment({ id: "py_2", amountMinor: 320_000n, references: [ref("1043")], createdAt: new Date("2026-10-20Z") }),
        payment({ id: "py_1", amountMinor: 200_000n, references: [ref("1043")], createdAt: new Date("2026-10-05Z") }),
      ],
    );
    expect(result.allocations.map((a) => [a.paymentId, a.amountMinor])).toEqual([
      ["py_1", 200_000n],
      ["py_2", 320_000n],
    ]);
    expect(result.unallocated).toEqual([]);
  });

  it("keeps what exceeds the invoice as an overpayment credit", () => {
    const result = allocatePayments(
      [invoice({ id: "inv-1043" })],
      [payment({ id: "py_1", amountMinor: 550_000n, references: [ref("1043")] })],
    );
    expect(result.allocations.map((a) => a.amountMinor)).toEqual([520_000n]);
    expect(result.unallocated).toEqual([
      {
        paymentId: "py_1",
        currency: "USD",
        amountMinor: 30_000n,
        reason: "overpayment",
        creditInvoiceId: "inv-1043",
        explanation: "Payment py_1 paid $300.00 more than invoice 1043 had open: an overpayment credit.",
      },
    ]);
  });

  it("treats a second charge for an already paid invoice as an overpayment (duplicate charge)", () => {
    const result = allocatePayments(
      [invoice({ id: "inv-1043" })],
      [
        payment({ id: "py_1", references: [ref("1043")], createdAt: new Date("2026-10-05Z") }),
        payment({ id: "py_2", references: [ref("1043")], createdAt: new Date("2026-10-06Z") }),
      ],
    );
    expect(result.allocations.map((a) => a.paymentId)).toEqual(["py_1"]);
    expect(result.unallocated.map((u) => [u.paymentId, u.amountMinor, u.reason])).toEqual([
      ["py_2", 520_000n, "overpayment"],
    ]);
  });

  it("resolves a reference by invoice id as well as by number", () => {
    const result = allocatePayments(
      [invoice({ id: "qb-77", number: "1043" })],
      [payment({ id: "py_1", references: [{ invoiceId: "qb-77", invoiceNumber: null, amountMinor: null }] })],
    );
    expect(result.allocations.map((a) => a.invoiceId)).toEqual(["qb-77"]);
  });

  it("applies only the failed attempt's successful retry", () => {
    const result = allocatePayments(
      [invoice({ id: "inv-1043" })],
      [
        payment({ id: "ch_2", references: [ref("1043")], createdAt: new Date("2026-10-17Z") }),
        payment({
          id: "ch_1",
          status: "failed",
          failureCode: "card_declined",
          references: [ref("1043")],
          createdAt: new Date("2026-10-14Z"),
        }),
      ],
    );
    expect(result.allocations.map((a) => [a.paymentId, a.amountMinor])).toEqual([["ch_2", 520_000n]]);
    expect(result.unallocated).toEqual([]);
  });

  it("reports a currency mismatch and applies nothing", () => {
    const result = allocatePayments(
      [invoice({ id: "inv-1043" })],
      [payment({ id: "py_1", currency: "EUR", references: [ref("1043")] })],
    );
    expect(result.allocations).toEqual([]);
    expect(result.issues).toEqual([
      {
        kind: "currency_mismatch",
        paymentId: "py_1",
        invoiceId: "inv-1043",
        explanation: "Payment py_1 of €5,200.00 names invoice 1043, billed in USD: not applied (currency mismatch).",
      },
    ]);
    expect(result.unallocated.map((u) => [u.paymentId, u.amountMinor, u.reason])).toEqual([
      ["py_1", 520_000n, "currency_mismatch"],
    ]);
  });

  it("reports a reference to an invoice it does not know, then still tries to match", () => {
    const result = allocatePayments(
      [invoice({ id: "inv-1043" })],
      [payment({ id: "py_1", references: [ref("9999")] })],
    );
    expect(result.issues.map((i) => i.kind)).toEqual(["unknown_reference"]);
    expect(result.allocations.map((a) => [a.invoiceId, a.method])).toEqual([["inv-1043", "match"]]);
  });
});

describe("allocatePayments: matching without a reference", () => {
  const issued = invoice({ id: "inv-1043", issuedOn: "2026-10-01" });

  it("matches an equal amount from 5 days before to 60 days after the invoice date", () => {
    const at = (day: string) =>
      allocatePayments([issued], [payment({ id: "py", createdAt: new Date(`${day}T09:00:00Z`) })]);
    expect(at("2026-09-26").allocations).toHaveLength(1); // -5 days
    expect(at("2026-09-25").allocations).toHaveLength(0); // -6 days
    expect(at("2026-11-30").allocations).toHaveLength(1); // +60 days
    expect(at("2026-12-01").allocations).toHaveLength(0); // +61 days
    expect(at("2026-12-01").unallocated.map((u) => u.reason)).toEqual(["unmatched"]);
  });

  it("needs the amount still open on the invoice, not merely its total", () => {
    const result = allocatePayments(
      [issued],
      [
        payment({ id: "py_1", amountMinor: 200_000n, references: [ref("1043")], createdAt: new Date("2026-10-05Z") }),
        payment({ id: "py_2", amountMinor: 320_000n, createdAt: new Date("2026-10-20Z") }),
      ],
    );
    expect(result.allocations.map((a) => [a.paymentId, a.amountMinor, a.method])).toEqual([
      ["py_1", 200_000n, "reference"],
      ["py_2", 320_000n, "match"],
    ]);
  });

  it("pays the oldest open invoice of equal amount first", () => {
    const result = allocatePayments(
      [invoice({ id: "inv-1044", issuedOn: "2026-10-01" }), invoice({ id: "inv-1043", issuedOn: "2026-09-01" })],
      [payment({ id: "py_1", createdAt: new Date("2026-10-10Z") })],
    );
    expect(result.allocations.map((a) => a.invoiceId)).toEqual(["inv-1043"]);
  });

  it("does not match another customer's invoice", () => {
    const result = allocatePayments(
      [invoice({ id: "inv-1043", customerId: "cus_A" })],
      [payment({ id: "py_1", customerId: "cus_B" })],
    );
    expect(result.allocations).toEqual([]);
  });

  it("reports an amount-and-date match in another currency instead of applying it", () => {
    const result = allocatePayments([issued], [payment({ id: "py_1", currency: "CAD" })]);
    expect(result.allocations).toEqual([]);
    expect(result.issues.map((i) => [i.kind, i.invoiceId])).toEqual([["currency_mismatch", "inv-1043"]]);
    expect(result.unallocated.map((u) => u.reason)).toEqual(["currency_mismatch"]);
  });
});

describe("allocatePayments: payment status", () => {
  it("allocates only money that stayed: succeeded, disputed and partly refunded payments net of refunds", () => {
    const invoices = [invoice({ id: "inv-1043" })];
    const allocated = (fields: Parameters<typeof payment>[0]) =>
      allocatePayments(invoices, [payment({ references: [ref("1043")], ...fields })]).allocations.map(
        (a) => a.amountMinor,
      );
    expect(allocated({ id: "a", status: "succeeded" })).toEqual([520_000n]);
    expect(allocated({ id: "b", status: "refunded", refundedMinor: 200_000n })).toEqual([320_000n]);
    expect(allocated({ id: "c", status: "refunded", refundedMinor: 520_000n })).toEqual([]);
    expect(allocated({ id: "d", status: "disputed", disputed: true })).toEqual([520_000n]);
    expect(allocated({ id: "e", status: "failed" })).toEqual([]);
    expect(allocated({ id: "f", status: "pending" })).toEqual([]);
  });
});
