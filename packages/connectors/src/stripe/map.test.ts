import { describe, expect, it } from "vitest";
import { chargeReferences, chargeStatus, mapCharge, mapCustomer } from "./map";
import { charge, customer } from "./testing";

const seenAt = new Date("2026-10-02T08:00:00Z");

describe("mapCharge", () => {
  it("maps a succeeded charge with its invoice reference", () => {
    expect(mapCharge(charge(), seenAt)).toEqual({
      source: "stripe",
      sourceId: "ch_3QxYz2LkdIwHu7ix0qaBcDeF",
      paymentIntentId: "pi_3QxYz2LkdIwHu7ix0qaBcDeF",
      customerSourceId: "cus_QxAcme0001",
      amountMinor: 125_000n,
      refundedMinor: 0n,
      currency: "USD",
      status: "succeeded",
      failureCode: null,
      failureMessage: null,
      disputed: false,
      references: [{ invoiceSourceId: "1042", invoiceNumber: "INV-1042", amountMinor: null }],
      createdAt: new Date(1_727_793_125_000),
      updatedAt: seenAt,
    });
  });

  it("keeps the failure code and falls back to the outcome for the reason", () => {
    const failed = charge({
      status: "failed",
      paid: false,
      failure_code: "card_declined",
      failure_message: "Your card was declined.",
      outcome: {
        ...charge().outcome!,
        type: "issuer_declined",
        reason: "insufficient_funds",
        seller_message: "Declined",
      },
    });
    const mapped = mapCharge(failed, seenAt);
    expect([mapped.status, mapped.failureCode, mapped.failureMessage]).toEqual([
      "failed",
      "card_declined",
      "Your card was declined.",
    ]);
    const blocked = charge({ status: "failed", outcome: { ...failed.outcome!, reason: "highest_risk_level" } });
    expect(mapCharge(blocked, seenAt)).toMatchObject({ failureCode: "highest_risk_level", failureMessage: "Declined" });
  });

  it("orders status: stripe status, then dispute, then refunds", () => {
    expect(chargeStatus(charge({ status: "pending" }))).toBe("pending");
    expect(chargeStatus(charge({ amount_refunded: 25_000 }))).toBe("refunded");
    expect(chargeStatus(charge({ refunded: true, amount_refunded: 125_000 }))).toBe("refunded");
    expect(chargeStatus(charge({ disputed: true, amount_refunded: 25_000 }))).toBe("disputed");
    expect(chargeStatus(charge({ status: "failed", disputed: false }))).toBe("failed");
    expect(mapCharge(charge({ amount_refunded: 25_000 }), seenAt).refundedMinor).toBe(25_000n);
  });

  it("handles expanded objects, zero-decimal currencies and charges without a customer", () => {
    const mapped = mapCharge(
      charge({ customer: null, currency: "jpy", amount: 150_000, payment_intent: null, metadata: {} }),
      seenAt,
    );
    expect(mapped).toMatchObject({ customerSourceId: null, currency: "JPY", amountMinor: 150_000n, references: [] });
    expect(mapCharge(charge({ customer: customer({ id: "cus_expanded" }) }), seenAt).customerSourceId).toBe(
      "cus_expanded",
    );
  });
});

describe("chargeReferences", () => {
  it("splits one payment over several invoices with per-invoice amounts", () => {
    expect(
      chargeReferences({ quickbooks_invoice_ids: "1042, 1043", quickbooks_invoice_amounts: "100000,25000" }),
    ).toEqual([
      { invoiceSourceId: "1042", invoiceNumber: null, amountMinor: 100_000n },
      { invoiceSourceId: "1043", invoiceNumber: null, amountMinor: 25_000n },
    ]);
  });

  it("drops amounts that do not line up with the ids, keeps the ids", () => {
    const refs = chargeReferences({ quickbooks_invoice_ids: "1042,1043", quickbooks_invoice_amounts: "100000" });
    expect(refs.map((ref) => [ref.invoiceSourceId, ref.amountMinor])).toEqual([
      ["1042", null],
      ["1043", null],
    ]);
    expect(
      chargeReferences({ quickbooks_invoice_ids: "1042", quickbooks_invoice_amounts: "12.50" })[0]?.amountMinor,
    ).toBe(null);
  });

  it("accepts an invoice number alone, and nothing at all", () => {
    expect(chargeReferences({ invoice_number: "INV-7" })).toEqual([
      { invoiceSourceId: null, invoiceNumber: "INV-7", amountMinor: null },
    ]);
    expect(chargeReferences({ order: "x" })).toEqual([]);
  });
});

describe("mapCustomer", () => {
  it("keeps metadata as-is and upper-cases the currency", () => {
    expect(mapCustomer(customer(), seenAt)).toEqual({
      source: "stripe",
      sourceId: "cus_QxAcme0001",
      name: "Acme Corp",
      email: "ap@acme.example",
      metadata: { quickbooks_customer_id: "58", amplitude_org_id: "org_acme" },
      currency: "USD",
      deleted: false,
      updatedAt: seenAt,
    });
  });

  it("flags deleted customers, from a deleted object or a customer.deleted event", () => {
    expect(mapCustomer({ id: "cus_gone", object: "customer", deleted: true }, seenAt)).toMatchObject({
      sourceId: "cus_gone",
      deleted: true,
    });
    expect(mapCustomer(customer(), seenAt, true).deleted).toBe(true);
  });
});
