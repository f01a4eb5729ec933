// Live changes to a running sandbox's data, each followed by the webhooks the real service would send: a new charge
// (paid or declined), a refund, a QuickBooks payment against an invoice.
import type Stripe from "stripe";
import { qboTime } from "../calendar.js";
import { stripeApiVersion } from "../generate/events.js";
import { charge as buildCharge, declines, paymentIntentFor } from "../generate/stripeObjects.js";
import type { QboPayment, Scenario } from "../scenario.js";
import { providerId, type WebhookDelivery, type WebhookSender } from "./webhooks.js";

export interface StripeChange {
  charge: Stripe.Charge;
  /** The events it produced, oldest first (also in the scenario's event list, as Stripe's /v1/events shows them). */
  events: Stripe.Event[];
  /** Settles when each event has been delivered (or has run out of retries); empty with `deliver: false`. */
  delivered: Promise<WebhookDelivery[]>;
}

export interface QuickbooksChangeResult {
  payment: QboPayment;
  /** The body sent (classic object or CloudEvents array), for tests that re-deliver it. */
  body: unknown;
  delivered: Promise<WebhookDelivery[]>;
}

export interface SandboxChanges {
  addCharge(input: {
    customerId: string;
    amount: number;
    currency?: string;
    failed?: boolean;
    metadata?: Record<string, string>;
    /** false: change the data and return the events without sending them (a test sends them in its own order). */
    deliver?: boolean;
  }): StripeChange;
  refundCharge(input: { chargeId: string; amount?: number; deliver?: boolean }): StripeChange;
  addQuickbooksPayment(input: {
    invoiceId: string;
    amount?: number;
    format?: "classic" | "cloudevents";
    deliver?: boolean;
  }): QuickbooksChangeResult;
}

export function sandboxChanges(scenario: Scenario, sender: WebhookSender): SandboxChanges {
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const event = (type: string, object: unknown): Stripe.Event =>
    ({
      id: providerId("evt"),
      object: "event",
      api_version: stripeApiVersion,
      created: nowSeconds(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: providerId("req", 14), idempotency_key: null },
      type,
      data: { object },
    }) as Stripe.Event;
  const publish = (events: Stripe.Event[], deliver: boolean | undefined) => {
    scenario.stripe.events.push(...events);
    // Stripe sends each event on its own, in no guaranteed order; the sandbox sends them in order, one by one.
    return deliver === false ? Promise.resolve([]) : Promise.all(events.map((e) => sender.sendStripe(e)));
  };

  return {
    addCharge(input) {
      const customer = scenario.stripe.customers.find((c) => c.id === input.customerId);
      if (!customer) throw new Error(`sandbox: no Stripe customer ${input.customerId}`);
      const id = providerId("ch");
      const ch = buildCharge({
        id,
        paymentIntentId: `pi_${id.slice(3)}`,
        customerId: customer.id,
        created: nowSeconds(),
        amount: input.amount,
        currency: (input.currency ?? customer.currency ?? "usd").toLowerCase(),
        metadata: input.metadata ?? {},
        description: "Sandbox payment",
        billingName: customer.name ?? "",
        billingEmail: customer.email ?? null,
        last4: "4242",
        brand: "visa",
        decline: input.failed ? declines[0]! : null,
      });
      const intent = paymentIntentFor(ch);
      scenario.stripe.charges.push(ch);
      scenario.stripe.paymentIntents.push(intent);
      const events = input.failed
        ? [event("charge.failed", { ...ch }), event("payment_intent.payment_failed", { ...intent })]
        : [event("charge.succeeded", { ...ch }), event("payment_intent.succeeded", { ...intent })];
      return { charge: ch, events, delivered: publish(events, input.deliver) };
    },

    refundCharge(input) {
      const ch = scenario.stripe.charges.find((c) => c.id === input.chargeId);
      if (!ch) throw new Error(`sandbox: no Stripe charge ${input.chargeId}`);
      const amount = input.amount ?? ch.amount - ch.amount_refunded;
      const refund = {
        id: providerId("re"),
        object: "refund",
        amount,
        charge: ch.id,
        created: nowSeconds(),
        currency: ch.currency,
        metadata: {},
        payment_intent: ch.payment_intent,
        reason: "requested_by_customer",
        status: "succeeded",
      } as unknown as Stripe.Refund;
      // The charge is changed in place: a retrieve from now on answers its refunded state.
      ch.amount_refunded += amount;
      ch.refunded = ch.amount_refunded >= ch.amount;
      scenario.stripe.refunds.push(refund);
      const events = [event("charge.refunded", { ...ch }), event("refund.created", refund)];
      return { charge: ch, events, delivered: publish(events, input.deliver) };
    },

    addQuickbooksPayment(input) {
      const invoice = scenario.quickbooks.invoices.find((i) => i.Id === input.invoiceId);
      if (!invoice) throw new Error(`sandbox: no QuickBooks invoice ${input.invoiceId}`);
      const amount = input.amount ?? invoice.Balance;
      const now = new Date();
      const time = qboTime(now);
      const nextId = 1 + Math.max(0, ...scenario.quickbooks.payments.map((p) => Number(p.Id) || 0));
      const payment: QboPayment = {
        Id: String(nextId),
        SyncToken: "0",
        TxnDate: now.toISOString().slice(0, 10),
        CustomerRef: { ...invoice.CustomerRef },
        ...(invoice.CurrencyRef ? { CurrencyRef: { ...invoice.CurrencyRef } } : {}),
        TotalAmt: amount,
        UnappliedAmt: 0,
        Line: [{ Amount: amount, LinkedTxn: [{ TxnId: invoice.Id, TxnType: "Invoice" }] }],
        MetaData: { CreateTime: time, LastUpdatedTime: time },
      };
      scenario.quickbooks.payments.push(payment);
      // Recording a payment lowers the invoice's balance and updates it, as QuickBooks does.
      invoice.Balance = Math.round((invoice.Balance - amount) * 100) / 100;
      invoice.SyncToken = String(Number(invoice.SyncToken) + 1);
      invoice.MetaData = { ...invoice.MetaData, LastUpdatedTime: time };
      const realmId = scenario.quickbooks.realmId;
      const changes = [
        { name: "Payment", id: payment.Id, operation: "Create" },
        { name: "Invoice", id: invoice.Id, operation: "Update" },
      ];
      const ids = changes.map(() => crypto.randomUUID());
      const body =
        input.format === "classic"
          ? {
              eventNotifications: [
                {
                  realmId,
                  dataChangeEvent: { entities: changes.map((c) => ({ ...c, lastUpdated: now.toISOString() })) },
                },
              ],
            }
          : changes.map((c, i) => ({
              specversion: "1.0",
              id: ids[i],
              source: `intuit.sandbox.${realmId}`,
              type: `qbo.${c.name.toLowerCase()}.${c.operation === "Create" ? "created" : "updated"}.v1`,
              datacontenttype: "application/json",
              time: now.toISOString(),
              intuitentityid: c.id,
              intuitaccountid: realmId,
              data: {},
            }));
      const delivered =
        input.deliver === false ? Promise.resolve([]) : sender.sendQuickbooks(body, ids[0]!).then((d) => [d]);
      return { payment, body, delivered };
    },
  };
}
