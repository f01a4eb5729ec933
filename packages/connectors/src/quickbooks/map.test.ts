import { describe, expect, it } from "vitest";
import {
  mapQboCustomer,
  mapQboInvoice,
  mapQboPayment,
  qboCustomerSchema,
  qboInvoiceSchema,
  qboPaymentSchema,
} from "./map";

// Shaped like QuickBooks Online v3 JSON answers (names from Intuit's Finance.xsd).
const invoiceJson = {
  Id: "1042",
  SyncToken: "3",
  DocNumber: "INV-1042",
  TxnDate: "2026-09-30",
  DueDate: "2026-10-30",
  CustomerRef: { value: "58", name: "Acme Corp" },
  CurrencyRef: { value: "USD", name: "United States Dollar" },
  Line: [
    {
      Id: "1",
      LineNum: 1,
      Description: "API calls, September",
      Amount: 1234.57,
      DetailType: "SalesItemLineDetail",
      SalesItemLineDetail: {
        ItemRef: { value: "7", name: "API calls" },
        Qty: 1234567,
        UnitPrice: 0.001,
        ServiceDate: "2026-09-30",
      },
    },
    {
      Id: "2",
      LineNum: 2,
      Amount: 19.99,
      DetailType: "SalesItemLineDetail",
      SalesItemLineDetail: { ItemRef: { value: "8", name: "Seats" }, Qty: 1, UnitPrice: 19.99 },
    },
    { Amount: 1254.56, DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} },
  ],
  TotalAmt: 1254.56,
  Balance: 0.1,
  MetaData: { CreateTime: "2026-09-30T10:00:00-07:00", LastUpdatedTime: "2026-10-01T09:30:00-07:00" },
};

const parseInvoice = (json: unknown) => qboInvoiceSchema.parse(json);

describe("mapQboInvoice", () => {
  it("maps totals and item lines exactly, skipping the SubTotal line", () => {
    const invoice = mapQboInvoice(parseInvoice(invoiceJson), "USD");
    expect(invoice).toEqual({
      sourceId: "1042",
      number: "INV-1042",
      customerSourceId: "58",
      currency: "USD",
      totalMinor: 125_456n,
      balanceMinor: 10n,
      issuedOn: "2026-09-30",
      dueOn: "2026-10-30",
      lines: [
        {
          lineId: "1",
          itemId: "7",
          itemName: "API calls",
          description: "API calls, September",
          quantity: "1234567",
          unitPrice: "0.001",
          amountMinor: 123_457n,
          serviceDate: "2026-09-30",
        },
        {
          lineId: "2",
          itemId: "8",
          itemName: "Seats",
          description: null,
          quantity: "1",
          unitPrice: "19.99",
          amountMinor: 1999n,
          serviceDate: null,
        },
      ],
      deleted: false,
      updatedAt: new Date("2026-10-01T16:30:00Z"),
    });
  });

  it("uses the home currency without a CurrencyRef, and its exponent", () => {
    const { CurrencyRef: _, ...noCurrency } = invoiceJson;
    const invoice = mapQboInvoice(parseInvoice({ ...noCurrency, TotalAmt: 1254, Balance: 0 }), "jpy");
    expect([invoice.currency, invoice.totalMinor, invoice.lines[1]?.amountMinor]).toEqual(["JPY", 1254n, 20n]);
  });

  it("reads a deleted invoice from ChangeDataCapture (only Id and MetaData)", () => {
    const invoice = mapQboInvoice(
      parseInvoice({ Id: "1042", status: "Deleted", MetaData: { LastUpdatedTime: "2026-10-03T01:00:00-07:00" } }),
      "USD",
    );
    expect(invoice).toMatchObject({ sourceId: "1042", deleted: true, lines: [], issuedOn: "2026-10-03" });
  });

  it("rejects an invoice without Id or MetaData", () => {
    expect(qboInvoiceSchema.safeParse({ DocNumber: "1" }).success).toBe(false);
    expect(qboInvoiceSchema.safeParse({ ...invoiceJson, TotalAmt: { a: 1 } }).success).toBe(false);
  });
});

describe("mapQboPayment", () => {
  const paymentJson = {
    Id: "311",
    SyncToken: "0",
    TxnDate: "2026-10-05",
    CustomerRef: { value: "58", name: "Acme Corp" },
    TotalAmt: 1500.3,
    UnappliedAmt: 0.3,
    Line: [
      { Amount: 1254.56, LinkedTxn: [{ TxnId: "1042", TxnType: "Invoice" }] },
      { Amount: 200.44, LinkedTxn: [{ TxnId: "1043", TxnType: "Invoice" }] },
      { Amount: 45, LinkedTxn: [{ TxnId: "1043", TxnType: "Invoice" }] },
      { Amount: 10, LinkedTxn: [{ TxnId: "9", TxnType: "CreditMemo" }] },
    ],
    MetaData: { CreateTime: "2026-10-06T10:00:00-07:00", LastUpdatedTime: "2026-10-06T10:00:00-07:00" },
  };

  it("maps a split payment with per-invoice amounts", () => {
    const payment = mapQboPayment(qboPaymentSchema.parse(paymentJson), "USD");
    expect(payment).toEqual({
      source: "quickbooks",
      sourceId: "311",
      paymentIntentId: null,
      customerSourceId: "58",
      amountMinor: 150_030n,
      refundedMinor: 0n,
      currency: "USD",
      status: "succeeded",
      failureCode: null,
      failureMessage: null,
      disputed: false,
      references: [
        { invoiceSourceId: "1042", invoiceNumber: null, amountMinor: 125_456n },
        { invoiceSourceId: "1043", invoiceNumber: null, amountMinor: 24_544n },
      ],
      createdAt: new Date("2026-10-05T00:00:00Z"),
      updatedAt: new Date("2026-10-06T17:00:00Z"),
    });
  });

  it("leaves the amount unknown when one line pays several invoices", () => {
    const shared = {
      ...paymentJson,
      Line: [
        {
          Amount: 100,
          LinkedTxn: [
            { TxnId: "1", TxnType: "Invoice" },
            { TxnId: "2", TxnType: "Invoice" },
          ],
        },
      ],
    };
    expect(mapQboPayment(qboPaymentSchema.parse(shared), "USD").references.map((ref) => ref.amountMinor)).toEqual([
      null,
      null,
    ]);
  });
});

describe("mapQboCustomer", () => {
  it("maps a customer and treats inactive as deleted", () => {
    const json = {
      Id: "58",
      SyncToken: "1",
      DisplayName: "Acme Corp",
      PrimaryEmailAddr: { Address: "ap@acme.example" },
      CurrencyRef: { value: "eur" },
      Active: true,
      MetaData: { CreateTime: "2025-01-01T00:00:00Z", LastUpdatedTime: "2026-01-01T00:00:00Z" },
    };
    expect(mapQboCustomer(qboCustomerSchema.parse(json))).toEqual({
      source: "quickbooks",
      sourceId: "58",
      name: "Acme Corp",
      email: "ap@acme.example",
      metadata: {},
      currency: "EUR",
      deleted: false,
      updatedAt: new Date("2026-01-01T00:00:00Z"),
    });
    expect(mapQboCustomer(qboCustomerSchema.parse({ ...json, Active: false })).deleted).toBe(true);
  });
});
