// The sandbox's webhook sender: signs events as Stripe and Intuit do and POSTs them to a configured URL, retrying
// on a non-2xx answer or no answer with growing delays, like the real services (on a compressed clock).
import { createHmac, randomBytes } from "node:crypto";
import Stripe from "stripe";
import { stripeApiVersion } from "../generate/events.js";
import type { Scenario } from "../scenario.js";

export type WebhookTarget = "stripe" | "quickbooks";

/**
 * Delay before each retry. Stripe retries with exponential backoff for up to three days and Intuit retries a few
 * times over about an hour and a half; the sandbox keeps the shapes and shrinks the clock so tests see retries.
 */
export const defaultRetryDelaysMs: Record<WebhookTarget, readonly number[]> = {
  stripe: [250, 500, 1_000, 2_000, 4_000, 8_000],
  quickbooks: [200, 300, 500],
};

export interface WebhookAttempt {
  /** The HTTP status answered, or null when nothing answered (refused, reset, timed out). */
  status: number | null;
  at: Date;
}

export interface WebhookDelivery {
  target: WebhookTarget;
  /** Stripe's event id, or the CloudEvents / classic delivery's first id. */
  id: string;
  url: string;
  attempts: WebhookAttempt[];
  delivered: boolean;
}

export interface WebhookSenderOptions {
  stripeSigningSecret: string;
  intuitVerifierToken: string;
  retryDelaysMs?: Partial<Record<WebhookTarget, readonly number[]>>;
  /** How long one attempt waits for an answer; Stripe gives up on an endpoint after a few seconds too. */
  timeoutMs?: number;
}

export interface WebhookSender {
  readonly stripeSigningSecret: string;
  readonly intuitVerifierToken: string;
  /** Where each provider delivers; unset targets are not sent (and recorded as not delivered). */
  configure(endpoints: Partial<Record<WebhookTarget, string | null>>): void;
  /** Delivers a Stripe event (signed `stripe-signature`); resolves once delivered or out of retries. */
  sendStripe(event: Stripe.Event): Promise<WebhookDelivery>;
  /** Delivers a QuickBooks body (classic object or CloudEvents array, signed `intuit-signature`). */
  sendQuickbooks(body: unknown, id: string): Promise<WebhookDelivery>;
  /** Every delivery so far, oldest first. */
  readonly deliveries: readonly WebhookDelivery[];
  /** Resolves when no delivery is in flight or waiting to retry. */
  idle(): Promise<void>;
  /** Cancels waiting retries. */
  close(): void;
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const endpoints: Partial<Record<WebhookTarget, string>> = {};
  const deliveries: WebhookDelivery[] = [];
  const inFlight = new Set<Promise<WebhookDelivery>>();
  const waiting = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  const delays = { ...defaultRetryDelaysMs, ...options.retryDelaysMs };
  const timeoutMs = options.timeoutMs ?? 10_000;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(timer);
        resolve();
      }, ms);
      waiting.set(timer, resolve);
    });

  async function attempt(url: string, body: string, headers: Record<string, string>): Promise<number | null> {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return null;
    }
  }

  function deliver(target: WebhookTarget, id: string, body: string, sign: () => Record<string, string>) {
    const delivery: WebhookDelivery = { target, id, url: endpoints[target] ?? "", attempts: [], delivered: false };
    deliveries.push(delivery);
    const run = (async () => {
      if (!delivery.url) return delivery;
      for (let retry = 0; !closed; retry++) {
        // Signed afresh per attempt, as Stripe does: the timestamp in the signature is the attempt's.
        const status = await attempt(delivery.url, body, sign());
        delivery.attempts.push({ status, at: new Date() });
        if (status !== null && status >= 200 && status < 300) {
          delivery.delivered = true;
          return delivery;
        }
        const delay = delays[target][retry];
        if (delay === undefined) return delivery;
        await wait(delay);
      }
      return delivery;
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  }

  return {
    stripeSigningSecret: options.stripeSigningSecret,
    intuitVerifierToken: options.intuitVerifierToken,
    configure(next) {
      for (const [target, url] of Object.entries(next) as Array<[WebhookTarget, string | null | undefined]>) {
        if (url) endpoints[target] = url;
        else delete endpoints[target];
      }
    },
    sendStripe(event) {
      const body = JSON.stringify(event, null, 2);
      return deliver("stripe", event.id, body, () => ({
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({
          payload: body,
          secret: options.stripeSigningSecret,
        }),
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      }));
    },
    sendQuickbooks(value, id) {
      const body = JSON.stringify(value);
      const signature = createHmac("sha256", options.intuitVerifierToken).update(body, "utf8").digest("base64");
      return deliver("quickbooks", id, body, () => ({ "intuit-signature": signature }));
    },
    get deliveries() {
      return deliveries;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close() {
      closed = true;
      for (const [timer, resolve] of waiting) {
        clearTimeout(timer);
        resolve();
      }
      waiting.clear();
    },
  };
}

/** A fresh provider-looking id: `evt_...`, `ch_...`. */
export function providerId(prefix: string, length = 24): string {
  return `${prefix}_${randomBytes(length).toString("base64url").replace(/[-_]/g, "x").slice(0, length)}`;
}

/** A Stripe event of `type` carrying `object` as it stood at `created` (Unix seconds), as a webhook delivers it. */
export function stripeEvent(type: string, object: unknown, created: number): Stripe.Event {
  return {
    id: providerId("evt"),
    object: "event",
    api_version: stripeApiVersion,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: providerId("req", 14), idempotency_key: null },
    type,
    data: { object },
  } as Stripe.Event;
}

/**
 * The events a scenario's charge went through, oldest first, each carrying its object as it stood then: the charge
 * succeeding (before any refund or dispute) or failing, with its payment intent, then each refund and dispute. The
 * scenario is not changed: tests deliver these again, twice or in another order, and the truth stays the same.
 */
export function chargeHistory(scenario: Scenario, chargeId: string): Stripe.Event[] {
  const charge = scenario.stripe.charges.find((c) => c.id === chargeId);
  if (!charge) throw new Error(`sandbox: no Stripe charge ${chargeId}`);
  const intent = scenario.stripe.paymentIntents.find((pi) => pi.id === charge.payment_intent);
  const events: Stripe.Event[] = [];
  if (charge.status === "failed") {
    events.push(stripeEvent("charge.failed", { ...charge, disputed: false }, charge.created));
    if (intent) events.push(stripeEvent("payment_intent.payment_failed", intent, charge.created));
  } else {
    const before = { ...charge, amount_refunded: 0, refunded: false, disputed: false };
    events.push(stripeEvent("charge.succeeded", before, charge.created));
    if (intent) events.push(stripeEvent("payment_intent.succeeded", intent, charge.created));
  }
  let refunded = 0;
  const refunds = scenario.stripe.refunds.filter((re) => re.charge === chargeId).sort((a, b) => a.created - b.created);
  for (const refund of refunds) {
    refunded += refund.amount;
    const snapshot = { ...charge, amount_refunded: refunded, refunded: refunded >= charge.amount, disputed: false };
    events.push(stripeEvent("charge.refunded", snapshot, refund.created));
    events.push(stripeEvent("refund.created", refund, refund.created));
  }
  for (const dispute of scenario.stripe.disputes.filter((dp) => dp.charge === chargeId)) {
    events.push(stripeEvent("charge.dispute.created", dispute, dispute.created));
  }
  return events.sort((a, b) => a.created - b.created);
}

export interface QuickbooksEntityChange {
  name: "Customer" | "Invoice" | "Payment";
  id: string;
  operation: "Create" | "Update" | "Delete";
  at: Date;
}

/**
 * An Intuit notification of changes in one company, in the classic shape or as CloudEvents, with the id the sender
 * records its delivery under. Like the real ones it names entities only: the receiver fetches their content.
 */
export function quickbooksNotification(
  realmId: string,
  changes: readonly QuickbooksEntityChange[],
  format: "classic" | "cloudevents",
): { body: unknown; id: string } {
  const ids = changes.map(() => crypto.randomUUID());
  const body =
    format === "classic"
      ? {
          eventNotifications: [
            {
              realmId,
              dataChangeEvent: {
                entities: changes.map((c) => ({
                  name: c.name,
                  id: c.id,
                  operation: c.operation,
                  lastUpdated: c.at.toISOString(),
                })),
              },
            },
          ],
        }
      : changes.map((c, i) => ({
          specversion: "1.0",
          id: ids[i],
          source: `intuit.sandbox.${realmId}`,
          type: `qbo.${c.name.toLowerCase()}.${{ Create: "created", Update: "updated", Delete: "deleted" }[c.operation]}.v1`,
          datacontenttype: "application/json",
          time: c.at.toISOString(),
          intuitentityid: c.id,
          intuitaccountid: realmId,
          data: {},
        }));
  return { body, id: ids[0] ?? crypto.randomUUID() };
}
