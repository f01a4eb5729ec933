// Deterministic synthetic tenant (seeded PRNG): per account a QuickBooks + Stripe customer, invoices, payments, usage.
import type { SourceCustomer, SourceInvoice, SourceInvoiceLine, SourcePayment, UsageDay } from "@reckon/connectors";

export const benchNow = new Date("2026-11-25T12:00:00Z");
export const usageMetric = { key: "api_calls", unit: "calls", eventType: "api_call", quickbooksItemIds: ["2"] };

export interface TenantData {
  customers: SourceCustomer[];
  invoices: SourceInvoice[];
  payments: SourcePayment[];
  /** Monthly roll-up rows (one per account and month, dated the 1st), not daily rows: see the report. */
  usage: UsageDay[];
  owners: Array<{ email: string; name: string }>;
  lineCount: number;
}

/** mulberry32: small, fast and good enough for synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const adjectives = ["Northwind", "Blue", "Granite", "Silver", "Apex", "Summit", "Harbor", "Quantum", "Cedar", "Vertex"];
const nouns = ["Analytics", "Logistics", "Health", "Robotics", "Foods", "Labs", "Media", "Energy", "Systems", "Retail"];
const suffixes = ["Inc", "LLC", "Ltd", "GmbH", "Corp"];
const failures = [
  ["card_declined", "Your card was declined."],
  ["insufficient_funds", "Your card has insufficient funds."],
  ["expired_card", "Your card has expired."],
] as const;

const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Month {
  service: string; // first day of the service month
  issuedMs: number; // the 1st of the next month
  issuedOn: string;
  dueOn: string; // net 30
  yyyymm: string;
}

/** The `count` service months ending with the month before benchNow's, oldest first. */
function serviceMonths(count: number): Month[] {
  const months: Month[] = [];
  const y = benchNow.getUTCFullYear();
  const m = benchNow.getUTCMonth();
  for (let k = count; k >= 1; k--) {
    const start = Date.UTC(y, m - k, 1);
    const issuedMs = Date.UTC(y, m - k + 1, 1);
    const service = isoDay(start);
    months.push({
      service,
      issuedMs,
      issuedOn: isoDay(issuedMs),
      dueOn: isoDay(issuedMs + 30 * dayMs),
      yyyymm: service.slice(0, 7).replace("-", ""),
    });
  }
  return months;
}

export function generateTenant(accounts: number, monthCount: number, seed: number): TenantData {
  const months = serviceMonths(monthCount);
  const currentMonth = isoDay(Date.UTC(benchNow.getUTCFullYear(), benchNow.getUTCMonth(), 1));
  const ownerCount = Math.max(1, Math.round(accounts / 300));
  const owners = Array.from({ length: ownerCount }, (_, k) => ({
    email: `owner${k + 1}@bench.example`,
    name: `Owner ${String(k + 1).padStart(2, "0")}`,
  }));
  const data: TenantData = { customers: [], invoices: [], payments: [], usage: [], owners, lineCount: 0 };
  const updatedAt = new Date("2026-11-20T00:00:00Z");
  let invoiceSeq = 1000;

  for (let i = 0; i < accounts; i++) {
    const rand = prng((seed * 2654435761) ^ (i + 1));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const n = String(i + 1).padStart(5, "0");
    const name = `${pick(adjectives)} ${pick(nouns)} ${n} ${pick(suffixes)}`;
    const slug = name.toLowerCase().replaceAll(" ", "-");
    const email = `billing@${slug}.example`;
    const currency = rand() < 0.9 ? "USD" : "EUR";
    const qbId = String(i + 1);
    const stripeId = `cus_${(i + 1).toString(36).padStart(8, "0")}`;
    const groupId = `org_${n}`;
    const owner = owners[i % ownerCount]!.email;
    // 1% of Stripe customers carry no explicit link: they are matched by name (a suggestion).
    const explicit = rand() >= 0.01;
    const metadata: Record<string, string> = { amplitude_org_id: groupId, account_owner: owner };
    if (explicit) metadata.quickbooks_customer_id = qbId;
    data.customers.push(
      { source: "quickbooks", sourceId: qbId, name, email, metadata: {}, currency, deleted: false, updatedAt },
      { source: "stripe", sourceId: stripeId, name, email, metadata, currency, deleted: false, updatedAt },
    );

    const baseFee = pick([200, 500, 1000, 2500]) * 100;
    const support = rand() < 0.4;
    let calls = Math.floor(20_000 + rand() * 400_000) * 5;
    const growth = 1 + rand() * 0.03;
    // Delinquent accounts leave their last 1-3 invoices unpaid (overdue); others may not have paid the newest yet.
    const unpaidTail = rand() < 0.06 ? 1 + Math.floor(rand() * 3) : rand() < 0.5 ? 1 : 0;
    const invoices: SourceInvoice[] = [];
    for (const [k, month] of months.entries()) {
      calls = Math.round((calls * growth * (0.95 + rand() * 0.1)) / 5) * 5;
      const lines: SourceInvoiceLine[] = [
        line("1", "1", "Platform fee", "1", String(baseFee / 100), BigInt(baseFee), month.service),
        line("2", "2", "API calls", String(calls), "0.002", BigInt(calls / 5), month.service),
      ];
      if (support && rand() < 0.8) line3(lines, month.service);
      const total = lines.reduce((sum, l) => sum + l.amountMinor, 0n);
      invoices.push({
        sourceId: String(invoiceSeq++),
        number: `R${n}-${month.yyyymm}`,
        customerSourceId: qbId,
        currency,
        totalMinor: total,
        balanceMinor: k >= months.length - unpaidTail ? total : 0n,
        issuedOn: month.issuedOn,
        dueOn: month.dueOn,
        lines,
        deleted: false,
        updatedAt,
      });
      // Usage normally matches what was billed; 3% of months drift beyond the 5% threshold.
      const drift = rand() < 0.03 ? 0.8 + rand() * 0.4 : 1;
      data.usage.push(usageRow(groupId, month.service, Math.round(calls * drift)));
    }
    data.usage.push(usageRow(groupId, currentMonth, Math.round(calls * 0.8)));
    data.lineCount += invoices.reduce((sum, inv) => sum + inv.lines.length, 0);
    data.invoices.push(...invoices);

    let payN = 0;
    const pay = (
      status: SourcePayment["status"],
      amount: bigint,
      refs: SourcePayment["references"],
      at: number,
      failure: readonly [string, string] | null = null,
    ) => {
      const id = `${stripeId.slice(4)}_${(payN++).toString(36)}`;
      const createdAt = new Date(at);
      data.payments.push({
        source: "stripe",
        sourceId: `ch_${id}`,
        paymentIntentId: `pi_${id}`,
        customerSourceId: stripeId,
        amountMinor: amount,
        refundedMinor: 0n,
        currency,
        status,
        failureCode: failure?.[0] ?? null,
        failureMessage: failure?.[1] ?? null,
        disputed: status === "disputed",
        references: refs,
        createdAt,
        updatedAt: createdAt,
      });
    };
    for (let k = 0; k < invoices.length; k++) {
      const inv = invoices[k]!;
      const month = months[k]!;
      if (inv.balanceMinor > 0n) {
        // Half of the overdue invoices saw a failed attempt and nothing since.
        if (month.issuedMs + 30 * dayMs < benchNow.getTime() && rand() < 0.5) {
          const refs = [{ invoiceSourceId: null, invoiceNumber: inv.number, amountMinor: null }];
          pay("failed", inv.totalMinor, refs, month.issuedMs + 31 * dayMs, pick(failures));
        }
        continue;
      }
      const at = month.issuedMs + (2 + Math.floor(rand() * 24)) * dayMs + Math.floor(rand() * dayMs);
      const ref = (amountMinor: bigint | null) =>
        rand() < 0.5
          ? { invoiceSourceId: null, invoiceNumber: inv.number, amountMinor }
          : { invoiceSourceId: inv.sourceId, invoiceNumber: null, amountMinor };
      const r = rand();
      const next = invoices[k + 1];
      if (r < 0.14) {
        pay("failed", inv.totalMinor, [ref(null)], at - 2 * dayMs, pick(failures));
        pay("succeeded", inv.totalMinor, [ref(null)], at);
      } else if (r < 0.26) {
        const first = (inv.totalMinor * 6n) / 10n;
        pay("succeeded", first, [ref(first)], at);
        pay("succeeded", inv.totalMinor - first, [ref(inv.totalMinor - first)], at + 7 * dayMs);
      } else if (r < 0.29 && next && next.balanceMinor === 0n) {
        // One payment split over this invoice and the next; the next is then skipped.
        const refs = [
          ref(inv.totalMinor),
          { invoiceSourceId: next.sourceId, invoiceNumber: null, amountMinor: next.totalMinor },
        ];
        pay("succeeded", inv.totalMinor + next.totalMinor, refs, (months[k + 1]?.issuedMs ?? at) + 3 * dayMs);
        k++;
      } else {
        pay(r < 0.293 ? "disputed" : "succeeded", inv.totalMinor, [ref(null)], at);
      }
    }
  }
  return data;
}

function line(
  lineId: string,
  itemId: string,
  itemName: string,
  quantity: string,
  unitPrice: string,
  amountMinor: bigint,
  serviceDate: string,
): SourceInvoiceLine {
  return { lineId, itemId, itemName, description: itemName, quantity, unitPrice, amountMinor, serviceDate };
}

function line3(lines: SourceInvoiceLine[], serviceDate: string): void {
  lines.push(line("3", "3", "Premium support", "1", "150", 15_000n, serviceDate));
}

function usageRow(groupId: string, day: string, quantity: number): UsageDay {
  return {
    groupId,
    metric: usageMetric.key,
    day,
    uploadedOn: day,
    quantity: String(quantity),
    eventCount: Math.ceil(quantity / 10),
    duplicateEvents: 0,
    duplicateQuantity: "0",
    duplicateInsertIds: [],
  };
}
