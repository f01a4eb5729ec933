// Stripe events for the last 30 days before asOf (Stripe keeps events 30 days), each carrying its object's snapshot.
import type Stripe from "stripe";
import { addDays, unixSeconds } from "../calendar.js";
import type { Random } from "../random.js";
import type { PaymentsResult } from "./payments.js";

/** The API version stripe@23 pins; events say which version rendered their objects. */
export const stripeApiVersion = "2026-10-28.endive";

function base(random: Random, created: number) {
  return {
    id: `evt_${random.token(24)}`,
    object: "event" as const,
    api_version: stripeApiVersion,
    created,
    livemode: false,
    pending_webhooks: 0,
    request: { id: `req_${random.token(14)}`, idempotency_key: null },
  };
}

export function stripeEvents(random: Random, asOf: Date, payments: PaymentsResult): Stripe.Event[] {
  const since = unixSeconds(addDays(asOf, -30));
  const recent = (created: number) => created >= since;
  const events: Stripe.Event[] = [];
  const intents = new Map(payments.paymentIntents.map((pi) => [pi.id, pi]));
  for (const customer of payments.customers) {
    if (!recent(customer.created)) continue;
    events.push({ ...base(random, customer.created), type: "customer.created", data: { object: customer } });
  }
  for (const ch of payments.charges) {
    if (!recent(ch.created)) continue;
    // The snapshot as it was when the charge happened: before any refund or dispute.
    const object: Stripe.Charge = { ...ch, amount_refunded: 0, refunded: false, disputed: false };
    const pi = intents.get(String(ch.payment_intent));
    if (ch.status === "succeeded") {
      events.push({ ...base(random, ch.created), type: "charge.succeeded", data: { object } });
      if (pi) events.push({ ...base(random, ch.created), type: "payment_intent.succeeded", data: { object: pi } });
    } else {
      events.push({ ...base(random, ch.created), type: "charge.failed", data: { object } });
      if (pi) events.push({ ...base(random, ch.created), type: "payment_intent.payment_failed", data: { object: pi } });
    }
  }
  const charges = new Map(payments.charges.map((ch) => [ch.id, ch]));
  for (const re of payments.refunds) {
    const ch = charges.get(String(re.charge));
    if (!recent(re.created) || !ch) continue;
    const object: Stripe.Charge = { ...ch, disputed: false };
    events.push({ ...base(random, re.created), type: "charge.refunded", data: { object } });
    events.push({ ...base(random, re.created), type: "refund.created", data: { object: re } });
  }
  for (const dp of payments.disputes) {
    if (!recent(dp.created)) continue;
    events.push({ ...base(random, dp.created), type: "charge.dispute.created", data: { object: dp } });
  }
  return events.sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
}
