// The sandbox's webhook sender: signs events as Stripe and Intuit do and POSTs them to a configured URL, retrying
// on a non-2xx answer or no answer with growing delays, like the real services (on a compressed clock).
import { createHmac, randomBytes } from "node:crypto";
import Stripe from "stripe";

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
