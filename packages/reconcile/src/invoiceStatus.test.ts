import { describe, expect, it } from "vitest";
import { invoice, payment, ref } from "../test/fixtures";
import { invoicePaymentStatus } from "./invoiceStatus";
import { allocatePayments } from "./payments";
import type { InvoiceInput, PaymentInput } from "./records";

function statusOf(inv: InvoiceInput, payments: PaymentInput[], asOf: string) {
  return invoicePaymentStatus(inv, allocatePayments([inv], payments), payments, new Date(asOf));
}

const declined = payment({
  id: "ch_1",
  status: "failed",
  failureCode: "card_declined",
  failureMessage: "insufficient_funds",
  references: [ref("1043")],
  createdAt: new Date("2026-10-14T10:00:00Z"),
});

describe("invoicePaymentStatus", () => {
  it("counts days overdue across a month boundary and names the failed charge", () => {
    const result = statusOf(invoice({ id: "inv-1043", dueOn: "2026-10-15" }), [declined], "2026-11-25T12:00:00Z");
    expect(result).toMatchObject({ status: "overdue", daysLate: 41, paidMinor: 0n, outstandingMinor: 520_000n });
    expect(result.lastFailure).toMatchObject({ paymentId: "ch_1", code: "card_declined" });
    expect(result.explanation).toBe(
      "Invoice 1043 for $5,200.00 was due 2026-10-15: 41 days overdue, $5,200.00 outstanding; the last charge failed (card_declined: insufficient_funds).",
    );
  });

  it("is one day overdue the day after the due date, in UTC", () => {
    const inv = invoice({ id: "inv-1043", dueOn: "2026-01-31" });
    expect(statusOf(inv, [], "2026-01-31T23:59:59Z")).toMatchObject({ status: "unpaid", daysLate: null });
    expect(statusOf(inv, [], "2026-02-01T00:00:00Z")).toMatchObject({ status: "overdue", daysLate: 1 });
    expect(statusOf(inv, [], "2026-03-02T00:00:00Z")).toMatchObject({ status: "overdue", daysLate: 30 });
  });

  it("is unpaid before the due date", () => {
    const result = statusOf(invoice({ id: "inv-1043" }), [], "2026-10-10T00:00:00Z");
    expect(result.status).toBe("unpaid");
    expect(result.explanation).toBe(
      "Invoice 1043 for $5,200.00 is due 2026-10-15: $5,200.00 outstanding, not yet overdue.",
    );
  });

  it("is failed when the latest attempt failed before the due date, and paid after a successful retry", () => {
    const inv = invoice({ id: "inv-1043" });
    const failed = statusOf(inv, [declined], "2026-10-14T12:00:00Z");
    expect(failed.status).toBe("failed");
    expect(failed.explanation).toBe(
      "Invoice 1043 for $5,200.00 is due 2026-10-15: $5,200.00 outstanding; the last charge failed (card_declined: insufficient_funds).",
    );
    const retry = payment({ id: "ch_2", references: [ref("1043")], createdAt: new Date("2026-10-16T10:00:00Z") });
    const paid = statusOf({ ...inv, balanceMinor: 0n }, [declined, retry], "2026-10-20T00:00:00Z");
    expect(paid).toMatchObject({ status: "paid", paidMinor: 520_000n, outstandingMinor: 0n, lastFailure: null });
    expect(paid.paymentIds).toEqual(["ch_1", "ch_2"]);
    expect(paid.explanation).toBe("Invoice 1043 for $5,200.00 was paid in full.");
  });

  it("is partial, then paid, with two partial payments", () => {
    const inv = invoice({ id: "inv-1043" });
    const first = payment({
      id: "py_1",
      amountMinor: 200_000n,
      references: [ref("1043")],
      createdAt: new Date("2026-10-05Z"),
    });
    const second = payment({
      id: "py_2",
      amountMinor: 320_000n,
      references: [ref("1043")],
      createdAt: new Date("2026-10-12Z"),
    });
    const partial = statusOf({ ...inv, balanceMinor: 320_000n }, [first], "2026-10-06T00:00:00Z");
    expect(partial).toMatchObject({ status: "partial", paidMinor: 200_000n, outstandingMinor: 320_000n });
    expect(partial.explanation).toBe(
      "Invoice 1043 for $5,200.00 is due 2026-10-15: $2,000.00 paid, $3,200.00 outstanding.",
    );
    const paid = statusOf({ ...inv, balanceMinor: 0n }, [first, second], "2026-10-13T00:00:00Z");
    expect(paid.explanation).toBe("Invoice 1043 for $5,200.00 was paid in full by 2 payments.");
  });

  it("is overdue after a partial payment, saying what was paid", () => {
    const first = payment({ id: "py_1", amountMinor: 200_000n, references: [ref("1043")] });
    const result = statusOf(invoice({ id: "inv-1043", balanceMinor: 320_000n }), [first], "2026-11-02T00:00:00Z");
    expect(result.explanation).toBe(
      "Invoice 1043 for $5,200.00 was due 2026-10-15: 18 days overdue, $3,200.00 outstanding after $2,000.00 paid.",
    );
  });

  it("is overpaid with the excess as a credit", () => {
    const over = payment({ id: "py_1", amountMinor: 550_000n, references: [ref("1043")] });
    const result = statusOf(invoice({ id: "inv-1043", balanceMinor: 0n }), [over], "2026-10-20T00:00:00Z");
    expect(result).toMatchObject({ status: "overpaid", creditMinor: 30_000n, outstandingMinor: 0n });
    expect(result.explanation).toBe("Invoice 1043 for $5,200.00 was paid in full with $300.00 over, held as a credit.");
  });

  it("is refunded when a refund reopens the invoice", () => {
    const refunded = payment({ id: "py_1", status: "refunded", refundedMinor: 520_000n, references: [ref("1043")] });
    const result = statusOf(invoice({ id: "inv-1043" }), [refunded], "2026-10-12T00:00:00Z");
    expect(result).toMatchObject({ status: "refunded", paidMinor: 0n, outstandingMinor: 520_000n });
    expect(result.explanation).toBe(
      "Invoice 1043 for $5,200.00: $5,200.00 of payment py_1 was refunded; $5,200.00 outstanding.",
    );
  });

  it("is disputed whatever else holds", () => {
    const disputed = payment({ id: "py_1", status: "disputed", disputed: true, references: [ref("1043")] });
    const result = statusOf(invoice({ id: "inv-1043", balanceMinor: 0n }), [disputed], "2026-10-12T00:00:00Z");
    expect(result.status).toBe("disputed");
    expect(result.explanation).toBe(
      "Invoice 1043 for $5,200.00: payment py_1 is disputed, so $5,200.00 received may be reversed; $0.00 outstanding.",
    );
  });

  it("notes a currency mismatch and a source balance that disagrees", () => {
    const euros = payment({ id: "py_1", currency: "EUR", references: [ref("1043")] });
    const result = statusOf(invoice({ id: "inv-1043", balanceMinor: 0n }), [euros], "2026-10-12T00:00:00Z");
    expect(result.status).toBe("unpaid");
    expect(result.explanation).toBe(
      "Invoice 1043 for $5,200.00 is due 2026-10-15: $5,200.00 outstanding, not yet overdue. Payment py_1 of €5,200.00 names invoice 1043, billed in USD: not applied (currency mismatch). Its source shows $0.00 open.",
    );
  });
});
