// RECKON_SANDBOX_FIXTURE: a hand-written folder of raw Stripe, QuickBooks and Amplitude objects runs through the
// embedded default end to end: synced, linked, reconciled and served by the API.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountDetailResponse } from "../src/routes/accountDetail";
import type { PortfolioResponse } from "../src/routes/portfolio";
import { startTestStack } from "./stack";

const created = (day: string) => Math.floor(Date.parse(`${day}T10:00:00Z`) / 1000);
const meta = { CreateTime: "2026-01-05T10:00:00-08:00", LastUpdatedTime: "2026-11-02T10:00:00-08:00" };

function customer(id: string, name: string, email: string, metadata: Record<string, string>) {
  return {
    id,
    object: "customer",
    created: created("2026-01-05"),
    name,
    email,
    metadata,
    currency: "usd",
    livemode: false,
    description: null,
    balance: 0,
    delinquent: false,
  };
}

function charge(
  id: string,
  customerId: string,
  amount: number,
  day: string,
  status: string,
  metadata: Record<string, string>,
) {
  const failed = status === "failed";
  return {
    id,
    object: "charge",
    amount,
    amount_captured: failed ? 0 : amount,
    amount_refunded: 0,
    captured: !failed,
    created: created(day),
    currency: "usd",
    customer: customerId,
    disputed: false,
    failure_code: failed ? "card_declined" : null,
    failure_message: failed ? "Your card was declined." : null,
    livemode: false,
    metadata,
    outcome: failed
      ? { type: "issuer_declined", reason: "insufficient_funds", network_status: "declined_by_network" }
      : null,
    paid: !failed,
    payment_intent: `pi_${id.slice(3)}`,
    refunded: false,
    status,
  };
}

function invoice(
  id: string,
  number: string,
  customerRef: string,
  qty: number,
  unitPrice: number,
  balance: number,
  currency = "USD",
) {
  const amount = qty * unitPrice;
  return {
    Id: id,
    SyncToken: "0",
    DocNumber: number,
    TxnDate: "2026-11-01",
    DueDate: "2026-11-15",
    CustomerRef: { value: customerRef },
    CurrencyRef: { value: currency },
    Line: [
      {
        Id: "1",
        LineNum: 1,
        Amount: amount,
        DetailType: "SalesItemLineDetail",
        SalesItemLineDetail: {
          ItemRef: { value: "7", name: "API Calls" },
          Qty: qty,
          UnitPrice: unitPrice,
          ServiceDate: "2026-10-31",
        },
      },
      { Amount: amount, DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} },
    ],
    TotalAmt: amount,
    Balance: balance,
    MetaData: meta,
  };
}

function usage(id: string, org: string, quantity: number, day: string) {
  const time = `${day} 09:00:00.000000`;
  return JSON.stringify({
    $insert_id: id,
    event_type: "api_call",
    event_time: time,
    server_upload_time: time,
    user_id: null,
    event_properties: { quantity },
    groups: { org_id: org },
  });
}

let folder = "";
let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "reckon-fixture-"));
  for (const dir of ["stripe", "quickbooks", "amplitude"]) mkdirSync(join(folder, dir));
  const write = (file: string, value: unknown) => writeFileSync(join(folder, file), JSON.stringify(value, null, 2));
  write("tenant.json", {
    name: "Hand-made Co",
    // Beta's plan: graduated tiers with a $1,200.00 monthly minimum commitment.
    rateCards: [
      {
        quickbooksCustomerId: "2",
        plan: "Tiered",
        currency: "USD",
        effectiveFrom: "2026-01-01",
        baseFeeMinor: "0",
        minimumCommitMinor: "120000",
        metrics: [
          {
            key: "api_call",
            includedUnits: "0",
            pricing: {
              model: "graduated",
              tiers: [
                { upTo: "100", unitPrice: "3" },
                { upTo: null, unitPrice: "1.5" },
              ],
            },
          },
        ],
      },
    ],
    fxRates: [
      { from: "EUR", to: "USD", rate: "1.0843", effectiveOn: "2026-11-01" },
      { from: "EUR", to: "USD", rate: "1.2000", effectiveOn: "2026-12-01" },
    ],
    accounts: [
      {
        name: "Acme Corp",
        ownerEmail: null,
        quickbooksCustomerId: "1",
        stripeCustomerId: null,
        amplitudeGroupId: "org_acme",
      },
    ],
  });
  write("quickbooks/company.json", { realmId: "4620816365" });
  write("quickbooks/Customer.json", [
    {
      Id: "1",
      SyncToken: "0",
      DisplayName: "Acme Corp",
      PrimaryEmailAddr: { Address: "ap@acme.example" },
      Active: true,
      MetaData: meta,
    },
    { Id: "2", SyncToken: "0", DisplayName: "Beta Inc", Active: true, MetaData: meta },
    { Id: "3", SyncToken: "0", DisplayName: "Gamma GmbH", Active: true, MetaData: meta },
  ]);
  write("quickbooks/Invoice.json", [
    invoice("130", "1043", "1", 1200, 1, 0),
    invoice("131", "1044", "2", 500, 2, 1000),
    invoice("132", "1045", "3", 400, 2.5, 1000, "EUR"),
  ]);
  // Acme's Stripe customer names no QuickBooks id: it links by its (normalized) name, as a suggestion.
  write("stripe/customers.json", [
    customer("cus_Acme", "ACME Corp.", "billing@acme.example", {}),
    customer("cus_Beta", "Beta Inc", "ap@beta.example", { quickbooks_customer_id: "2", amplitude_org_id: "org_beta" }),
    customer("cus_Ghost", "Nobody Knows Ltd", "who@ghost.example", {}),
  ]);
  write("stripe/charges.json", [
    charge("ch_Acme1", "cus_Acme", 120000, "2026-11-03", "succeeded", { invoice_number: "1043" }),
    charge("ch_Beta1", "cus_Beta", 100000, "2026-11-04", "failed", { quickbooks_invoice_id: "131" }),
  ]);
  writeFileSync(
    join(folder, "amplitude/events.jsonl"),
    [
      usage("a1", "org_acme", 1318, "2026-10-15"),
      usage("b1", "org_beta", 480, "2026-10-10"),
      usage("b2", "org_beta", 20, "2026-10-20"),
    ].join("\n"),
  );
  stack = await startTestStack({ fixture: folder, asOf: "2026-11-25" });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe("a hand-written fixture folder", () => {
  it("totals open receivables in the base currency with the dated FX rate, and says so", async () => {
    const metrics = (await (await stack.fetch(`/v1/metrics`)).json()) as {
      baseCurrency: string;
      totals: { openReceivables: { totalMinor: string; label: string; complete: boolean } };
      aging: { portfolio: Array<{ currency: string; totalMinor: string }> };
    };
    // Open at 2026-11-25: Beta's $1,000.00 (its only charge failed) and Gamma's €1,000.00, converted at the rate of
    // 2026-11-01 (the later December rate is not in force yet): 100,000 + 100,000 x 1.0843 = 208,430 cents.
    expect(metrics.baseCurrency).toBe("USD");
    expect(metrics.aging.portfolio).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ currency: "EUR", totalMinor: "100000" }),
        expect.objectContaining({ currency: "USD", totalMinor: "100000" }),
      ]),
    );
    expect(metrics.totals.openReceivables).toMatchObject({ totalMinor: "208430", complete: true });
    expect(metrics.totals.openReceivables.label).toMatch(/convert/i);
  });

  it("serves its accounts with every discrepancy explained", async () => {
    const page = (await (await stack.fetch(`/v1/portfolio`)).json()) as PortfolioResponse;
    expect(page.rows.map((r) => r.name)).toEqual(["Acme Corp", "Beta Inc", "Gamma GmbH"]);
    const [acme, beta] = page.rows;

    // Acme: billed 1,200 API calls, metered 1,318: beyond 5%, under-billed; paid through the invoice-number reference.
    expect(acme).toMatchObject({
      outlier: true,
      paymentStatus: "paid",
      usage: { metric: "api_call", monthToDate: "0" },
    });
    const acmeDetail = (await (await stack.fetch(`/v1/accounts/${acme!.accountId}`)).json()) as AccountDetailResponse;
    expect(acmeDetail.account.links.stripe).toEqual({ id: "cus_Acme", method: "suggested" });
    const october = acmeDetail.reconciliation.find((r) => r.period === "2026-10");
    expect(october?.status).toBe("discrepancy");
    expect(october?.explanation).toMatch(/1,200/);
    expect(october?.explanation).toMatch(/1,318/);
    expect(october?.explanation).toMatch(/under-billed/);

    // Beta: usage matches exactly; its only charge failed and the invoice is 10 days overdue.
    expect(beta).toMatchObject({ outlier: false, status: "at_risk", maxDaysLate: 10 });
    expect(beta!.overdue).toEqual({ minor: "100000", currency: "USD" });
    const betaDetail = (await (await stack.fetch(`/v1/accounts/${beta!.accountId}`)).json()) as AccountDetailResponse;
    expect(betaDetail.payments[0]).toMatchObject({ id: "ch_Beta1", status: "failed", failureCode: "card_declined" });

    // Beta's rate card: 100 x $3 + 400 x $1.50 = $900.00, topped up to the $1,200.00 commitment. Invoice 1044 bills
    // 500 x $2.00 = $1,000.00, which is not what the tiers price 500 calls at: price differs by $100.00.
    const betaOctober = betaDetail.reconciliation.find((r) => r.period === "2026-10");
    expect(betaOctober?.explanation).toMatch(/Expected \$1,200\.00 from the Tiered plan/);
    expect(betaDetail.discrepancies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "price_differs", amount: { minor: "10000", currency: "USD" } }),
      ]),
    );
  });

  it("keeps a Stripe customer nobody links as unmapped", async () => {
    const detail = await stack.fetch(`/v1/portfolio?q=Nobody`);
    expect(((await detail.json()) as PortfolioResponse).rows).toEqual([]);
    const { queryRows } = await import("@reckon/db");
    const { sql } = await import("drizzle-orm");
    const rows = await queryRows<{ source_id: string; account_id: string | null }>(
      stack.services.db,
      sql`select source_id, account_id from source_customers where source = 'stripe' order by source_id`,
    );
    expect(rows.find((r) => r.source_id === "cus_Ghost")).toEqual({ source_id: "cus_Ghost", account_id: null });
  });
});
