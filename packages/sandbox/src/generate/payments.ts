// Payments: Stripe charges (with payment intents, refunds, disputes) paying the QuickBooks invoices, the QuickBooks
// Payments that record them, and the payment-side anomalies the manifest lists.
import type Stripe from "stripe";
import { addDays, addSeconds, formatDay, parseDay, qboTime, unixSeconds } from "../calendar.js";
import type { Random } from "../random.js";
import type { QboCustomer, QboPayment } from "../scenario.js";
import type { IssuedInvoice } from "./invoices.js";
import { usd } from "./invoices.js";
import type { GenerationContext, PlannedAccount } from "./model.js";
import { personName } from "./names.js";
import { charge, declines, dispute, paymentIntentFor, refund, stripeCustomer } from "./stripeObjects.js";

export interface PaymentsResult {
  customers: Stripe.Customer[];
  charges: Stripe.Charge[];
  paymentIntents: Stripe.PaymentIntent[];
  refunds: Stripe.Refund[];
  disputes: Stripe.Dispute[];
  qboPayments: QboPayment[];
}

interface Card {
  brand: string;
  last4: string;
}

export function collectPayments(
  context: GenerationContext,
  invoices: IssuedInvoice[],
  qboCustomers: QboCustomer[],
): PaymentsResult {
  const random = context.random.fork("payments");
  const result: PaymentsResult = {
    customers: [],
    charges: [],
    paymentIntents: [],
    refunds: [],
    disputes: [],
    qboPayments: [],
  };
  let nextTxnId = 100 + invoices.length;
  const cards = new Map<string, Card>();
  for (const account of context.accounts) {
    cards.set(account.quickbooksCustomerId, {
      brand: random.pick(["visa", "mastercard", "amex"]),
      last4: String(random.int(1000, 9999)),
    });
    result.customers.push(
      stripeCustomer({
        id: account.stripeCustomerId,
        created: unixSeconds(addSeconds(account.createdAt, 3600)),
        name: account.name,
        email: `billing@${account.domain}`,
        metadata: {
          quickbooks_customer_id: account.quickbooksCustomerId,
          amplitude_org_id: account.amplitudeGroupId,
          account_owner: account.owner.email,
        },
      }),
    );
  }

  const newCharge = (
    account: PlannedAccount,
    at: Date,
    amount: number,
    metadata: Record<string, string>,
    extra: { currency?: string; decline?: boolean; description: string },
  ) => {
    const card = cards.get(account.quickbooksCustomerId)!;
    const ch = charge({
      id: `ch_${random.token(24)}`,
      paymentIntentId: `pi_${random.token(24)}`,
      customerId: account.stripeCustomerId,
      created: unixSeconds(at),
      amount,
      currency: extra.currency ?? "usd",
      metadata,
      description: extra.description,
      billingName: account.name,
      billingEmail: `billing@${account.domain}`,
      last4: card.last4,
      brand: card.brand,
      decline: extra.decline ? random.pick(declines) : null,
    });
    result.charges.push(ch);
    result.paymentIntents.push(paymentIntentFor(ch));
    return ch;
  };
  const record = (
    account: PlannedAccount,
    at: Date,
    ch: Stripe.Charge,
    applied: Array<{ issued: IssuedInvoice; minor: number }>,
  ) => {
    const appliedMinor = applied.reduce((sum, a) => sum + a.minor, 0);
    const recordedAt = addSeconds(at, 3600);
    const payment: QboPayment = {
      Id: String(nextTxnId++),
      SyncToken: "0",
      TxnDate: formatDay(at),
      CustomerRef: { value: account.quickbooksCustomerId, name: account.name },
      CurrencyRef: usd,
      TotalAmt: ch.amount / 100,
      UnappliedAmt: (ch.amount - appliedMinor) / 100,
      PaymentRefNum: `stripe-${applied[0]!.issued.invoice.DocNumber}`,
      PrivateNote: `Stripe charge ${ch.id}`,
      Line: applied.map((a) => ({
        Amount: a.minor / 100,
        LinkedTxn: [{ TxnId: a.issued.invoice.Id, TxnType: "Invoice" as const }],
      })),
      MetaData: { CreateTime: qboTime(recordedAt), LastUpdatedTime: qboTime(recordedAt) },
    };
    result.qboPayments.push(payment);
    for (const a of applied) {
      const invoice = a.issued.invoice;
      invoice.Balance = Math.round(invoice.Balance * 100 - a.minor) / 100 || 0; // never -0
      invoice.SyncToken = String(Number(invoice.SyncToken) + 1);
      invoice.MetaData = { ...invoice.MetaData, LastUpdatedTime: payment.MetaData.LastUpdatedTime };
    }
  };
  const entry = (
    kind: Parameters<typeof context.manifest.push>[0]["kind"],
    issued: IssuedInvoice,
    amount: number,
    ids: string[],
    note: string,
  ) => {
    context.manifest.push({
      kind,
      accountRef: issued.account.quickbooksCustomerId,
      period: context.periods[issued.periodIndex]!.key,
      amountMinor: String(amount),
      sourceIds: [...ids, `qbo:Invoice:${issued.invoice.Id}`],
      note,
    });
  };
  const lastMoment = addSeconds(context.asOf, -60);
  const clamp = (date: Date) => (date < lastMoment ? date : lastMoment);

  const byAccount = new Map<PlannedAccount, IssuedInvoice[]>();
  for (const issued of invoices) byAccount.set(issued.account, [...(byAccount.get(issued.account) ?? []), issued]);
  for (const [account, issuedList] of byAccount) {
    const splitAt = account.splitsPayment && issuedList.length >= 3 ? random.int(0, issuedList.length - 3) : -1;
    for (let i = 0; i < issuedList.length; i++) {
      const issued = issuedList[i]!;
      const txnDate = parseDay(issued.invoice.TxnDate);
      const payAt = addSeconds(addDays(txnDate, random.int(...account.payDelay)), random.int(8 * 3600, 20 * 3600));
      if (payAt >= context.asOf) continue; // not paid yet: open, and overdue once past its due date
      const total = issued.totalMinor;
      const doc = issued.invoice.DocNumber!;
      const links = { quickbooks_invoice_id: issued.invoice.Id, invoice_number: doc };
      const describe = { description: `Invoice ${doc}` };
      if (i === splitAt) {
        const next = issuedList[i + 1]!;
        const splitPayAt = addSeconds(addDays(parseDay(next.invoice.TxnDate), random.int(1, 5)), 10 * 3600);
        if (splitPayAt < context.asOf) {
          const ids = `${issued.invoice.Id},${next.invoice.Id}`;
          const metadata = { quickbooks_invoice_ids: ids, quickbooks_invoice_amounts: `${total},${next.totalMinor}` };
          const ch = newCharge(account, splitPayAt, total + next.totalMinor, metadata, {
            description: `Invoices ${doc}, ${next.invoice.DocNumber}`,
          });
          record(account, splitPayAt, ch, [
            { issued, minor: total },
            { issued: next, minor: next.totalMinor },
          ]);
          i++;
          continue;
        }
      }
      const kind = account.injected?.period === issued.periodIndex ? account.injected.kind : null;
      if (kind === "failed_payment") {
        const ch = newCharge(account, payAt, total, links, { ...describe, decline: true });
        entry(
          "failed_payment",
          issued,
          total,
          [ch.id],
          `Payment of invoice ${doc} failed: ${ch.failure_code} (${ch.outcome?.reason}).`,
        );
      } else if (kind === "partial_payment") {
        const paid = Math.round(total * (0.4 + random.next() * 0.4));
        const ch = newCharge(account, payAt, paid, links, describe);
        record(account, payAt, ch, [{ issued, minor: paid }]);
        entry("partial_payment", issued, total - paid, [ch.id], `Only ${paid} of ${total} paid on invoice ${doc}.`);
      } else if (kind === "overpayment") {
        const paid = Math.round(total * (1.05 + random.next() * 0.15));
        const ch = newCharge(account, payAt, paid, links, describe);
        record(account, payAt, ch, [{ issued, minor: total }]);
        entry(
          "overpayment",
          issued,
          paid - total,
          [ch.id],
          `${paid} paid on invoice ${doc} of ${total}: ${paid - total} unapplied credit.`,
        );
      } else if (kind === "currency_mismatch") {
        const ch = newCharge(account, payAt, Math.round(total * 0.92), links, { ...describe, currency: "eur" });
        entry(
          "currency_mismatch",
          issued,
          total,
          [ch.id],
          `Invoice ${doc} is in USD but was paid in EUR (${ch.amount} minor).`,
        );
      } else if (kind === "duplicate_charge") {
        const first = newCharge(account, payAt, total, links, describe);
        const second = newCharge(account, addSeconds(payAt, random.int(90, 400)), total, links, describe);
        record(account, payAt, first, [{ issued, minor: total }]);
        entry(
          "duplicate_charge",
          issued,
          total,
          [first.id, second.id],
          `Invoice ${doc} was charged twice minutes apart.`,
        );
      } else {
        const ch = newCharge(account, payAt, total, links, describe);
        record(account, payAt, ch, [{ issued, minor: total }]);
        if (kind === "refund") {
          const amount = random.chance(0.5) ? total : Math.round(total * (0.2 + random.next() * 0.5));
          const re = refund({
            id: `re_${random.token(24)}`,
            charge: ch,
            amount,
            created: unixSeconds(clamp(addDays(payAt, random.int(5, 15)))),
          });
          result.refunds.push(re);
          ch.amount_refunded = amount;
          ch.refunded = amount === total;
          entry("refund", issued, amount, [ch.id], `${amount} of the payment of invoice ${doc} was refunded.`);
        } else if (kind === "dispute") {
          const dp = dispute({
            id: `du_${random.token(24)}`,
            charge: ch,
            created: unixSeconds(clamp(addDays(payAt, random.int(10, 30)))),
            reason: random.pick(["fraudulent", "unrecognized", "product_unacceptable", "general"]),
          });
          result.disputes.push(dp);
          ch.disputed = true;
          entry("dispute", issued, total, [ch.id], `The payment of invoice ${doc} is disputed (${dp.reason}).`);
        }
      }
    }
  }
  for (const customer of qboCustomers) {
    const open = invoices.filter((issued) => issued.account.quickbooksCustomerId === customer.Id);
    customer.Balance = Math.round(open.reduce((sum, issued) => sum + issued.invoice.Balance * 100, 0)) / 100;
  }
  addUnmappedCustomer(random, context, result);
  return result;
}

/** A Stripe customer nobody linked: no metadata, a personal name no account resembles, and one small charge. */
function addUnmappedCustomer(random: Random, context: GenerationContext, result: PaymentsResult): void {
  const created = addSeconds(addDays(context.asOf, -random.int(5, 20)), random.int(0, 80_000));
  const name = personName(random);
  const customer = stripeCustomer({
    id: `cus_${random.token(14)}`,
    created: unixSeconds(created),
    name,
    email: `${name.toLowerCase().replace(/ /g, ".")}@mailbox.example.net`,
    metadata: {},
  });
  result.customers.push(customer);
  const ch = charge({
    id: `ch_${random.token(24)}`,
    paymentIntentId: `pi_${random.token(24)}`,
    customerId: customer.id,
    created: unixSeconds(addSeconds(created, 600)),
    amount: 4_900,
    currency: "usd",
    metadata: {},
    description: "One-off purchase",
    billingName: name,
    billingEmail: customer.email,
    last4: String(random.int(1000, 9999)),
    brand: "visa",
    decline: null,
  });
  result.charges.push(ch);
  result.paymentIntents.push(paymentIntentFor(ch));
  context.manifest.push({
    kind: "unmapped_record",
    accountRef: customer.id,
    period: null,
    amountMinor: String(ch.amount),
    sourceIds: [customer.id, ch.id],
    note: `Stripe customer ${name} has no links and matches no account by name.`,
  });
}
