// Stripe PaymentSource: a resumable full listing of customers and charges, then incremental sync from events.
import Stripe from "stripe";
import { invalidPayload } from "../errors";
import { openGate, type RequestGate } from "../gate";
import type { SourceCustomer, SourcePayment } from "../records";
import { type PaymentSource, type PullOptions, SourceError, type SyncBatch } from "../source";
import { toSourceError } from "./errors";
import { mapCharge, mapCustomer } from "./map";

export interface StripeSourceConfig {
  apiKey: string;
  /** Overrides for the local sandbox; production leaves them unset (api.stripe.com:443 over https). */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  /** Admits each API request (Stripe's per-second read limit); the job layer retries, the gate only waits. */
  gate?: RequestGate;
  /** Per request; a request past it is a transient failure the job layer retries. Default defaultStripeTimeoutMs. */
  timeoutMs?: number;
}

/** Stripe answers list pages in well under a second; 30 s is the SDK's own choice for a request that hangs. */
export const defaultStripeTimeoutMs = 30_000;

/**
 * Where a sync stands. `eventsSince` is the newest event's `created` when the full listing began, so the event phase
 * replays everything that changed while we listed. `seen` holds the ids already applied at exactly `eventsSince`.
 */
type StripeCursor =
  | { phase: "customers" | "charges"; after: string | null; eventsSince: number }
  | { phase: "events"; eventsSince: number; seen: string[] };

const pageSize = 100;
/** Stripe keeps events for 30 days; a cursor older than this (with a margin) needs a fresh full sync. */
const eventRetentionSeconds = 29 * 24 * 3600;
/** With no new events, the cursor still moves to this far before now, so a quiet account never outlives retention. */
const quietAdvanceSeconds = 3600;

/** Specific names: the `types` filter takes at most 20 and no wildcards. */
export const stripeEventTypes = [
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "charge.succeeded",
  "charge.failed",
  "charge.pending",
  "charge.captured",
  "charge.expired",
  "charge.updated",
  "charge.refunded",
  "charge.refund.updated",
  "charge.dispute.created",
  "charge.dispute.updated",
  "charge.dispute.closed",
  "charge.dispute.funds_withdrawn",
  "charge.dispute.funds_reinstated",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "payment_intent.processing",
] as const;

const emptyBatch = (cursor: StripeCursor, label: string): SyncBatch => ({
  customers: [],
  invoices: [],
  payments: [],
  usage: [],
  cursor: JSON.stringify(cursor),
  label,
});

function parseCursor(text: string): StripeCursor {
  try {
    const value = JSON.parse(text) as StripeCursor;
    if (typeof value.eventsSince === "number") return value;
  } catch {
    // fall through
  }
  throw invalidPayload("stripe", `unreadable Stripe cursor: ${text.slice(0, 80)}`);
}

function ensureList<T>(list: Stripe.ApiList<T>, what: string): Stripe.ApiList<T> {
  if (!list || !Array.isArray(list.data)) throw invalidPayload("stripe", `${what}: answer has no data array`);
  return list;
}

/** The official SDK pointed at `config`'s host (the sandbox in tests); it never retries: the job layer does. */
export function stripeClient(config: StripeSourceConfig): Stripe {
  return new Stripe(config.apiKey, {
    host: config.host,
    port: config.port,
    protocol: config.protocol,
    maxNetworkRetries: 0,
    timeout: config.timeoutMs ?? defaultStripeTimeoutMs,
  });
}

/** Customers and payments from Stripe, through the official SDK. Retries are the job layer's: the SDK makes none. */
export function createStripeSource(config: StripeSourceConfig): PaymentSource {
  const stripe = stripeClient(config);
  let lastStatus: number | null = null;
  stripe.on("response", (event: Stripe.ResponseEvent) => {
    lastStatus = event.status;
  });

  const gate = config.gate ?? openGate;

  async function call<T>(request: () => Promise<T>): Promise<T> {
    return gate.run(async () => {
      lastStatus = null;
      try {
        return await request();
      } catch (error) {
        throw toSourceError(error, lastStatus);
      }
    });
  }

  async function* listPhase(cursor: StripeCursor & { phase: "customers" | "charges" }, now: Date) {
    let after = cursor.after;
    for (let page = 1; ; page++) {
      const params = { limit: pageSize, ...(after ? { starting_after: after } : {}) };
      const customers: SourceCustomer[] = [];
      const payments: SourcePayment[] = [];
      let list: Stripe.ApiList<{ id: string }>;
      if (cursor.phase === "customers") {
        const answer = ensureList(await call(() => stripe.customers.list(params)), "customers");
        customers.push(...answer.data.map((customer) => mapCustomer(customer, now)));
        list = answer;
      } else {
        const answer = ensureList(await call(() => stripe.charges.list(params)), "charges");
        payments.push(...answer.data.map((charge) => mapCharge(charge, now)));
        list = answer;
      }
      after = list.data.at(-1)?.id ?? after;
      const done = !list.has_more || list.data.length === 0;
      const next: StripeCursor = done
        ? cursor.phase === "customers"
          ? { phase: "charges", after: null, eventsSince: cursor.eventsSince }
          : { phase: "events", eventsSince: cursor.eventsSince, seen: [] }
        : { phase: cursor.phase, after, eventsSince: cursor.eventsSince };
      yield { ...emptyBatch(next, `${cursor.phase} page ${page}`), customers, payments };
      if (done) return next;
    }
  }

  /** Events at or after `since`, oldest first, minus those already applied. */
  async function eventsSince(since: number, seen: ReadonlySet<string>): Promise<Stripe.Event[]> {
    const newestFirst: Stripe.Event[] = [];
    let after: string | undefined;
    for (;;) {
      const params: Stripe.EventListParams = {
        limit: pageSize,
        created: { gte: since },
        types: [...stripeEventTypes],
        ...(after ? { starting_after: after } : {}),
      };
      const page = ensureList(await call(() => stripe.events.list(params)), "events");
      newestFirst.push(...page.data);
      after = page.data.at(-1)?.id;
      if (!page.has_more || after === undefined) break;
    }
    return newestFirst.reverse().filter((event) => !seen.has(event.id));
  }

  /** The records one event stands for; dispute, refund and intent events refetch the charge they concern. */
  async function recordsOf(event: Stripe.Event, now: Date, charges: Map<string, Stripe.Charge>) {
    const at = new Date(event.created * 1000);
    const object = event.data.object as unknown as { object?: string } & Record<string, unknown>;
    const fetchCharge = async (id: string | null): Promise<SourcePayment[]> => {
      if (!id) return [];
      let charge = charges.get(id);
      if (!charge) {
        charge = await call(() => stripe.charges.retrieve(id));
        charges.set(id, charge);
      }
      return [mapCharge(charge, now)];
    };
    const idOf = (value: unknown): string | null =>
      typeof value === "string" ? value : ((value as { id?: string } | null)?.id ?? null);
    switch (object.object) {
      case "customer":
        return {
          customers: [mapCustomer(object as unknown as Stripe.Customer, at, event.type === "customer.deleted")],
        };
      case "charge":
        return { payments: [mapCharge(object as unknown as Stripe.Charge, at)] };
      case "dispute":
      case "refund":
        return { payments: await fetchCharge(idOf(object.charge)) };
      case "payment_intent":
        return { payments: await fetchCharge(idOf(object.latest_charge)) };
      default:
        return {};
    }
  }

  async function* eventPhase(cursor: StripeCursor & { phase: "events" }, now: Date) {
    const events = await eventsSince(cursor.eventsSince, new Set(cursor.seen));
    if (events.length === 0) {
      const quietSince = Math.floor(now.getTime() / 1000) - quietAdvanceSeconds;
      if (quietSince > cursor.eventsSince + quietAdvanceSeconds) {
        yield emptyBatch({ phase: "events", eventsSince: quietSince, seen: [] }, "events: none new");
      }
      return;
    }
    let since = cursor.eventsSince;
    let seen = [...cursor.seen];
    for (let start = 0, page = 1; start < events.length; start += pageSize, page++) {
      const slice = events.slice(start, start + pageSize);
      const customers = new Map<string, SourceCustomer>();
      const payments = new Map<string, SourcePayment>();
      const charges = new Map<string, Stripe.Charge>();
      for (const event of slice) {
        const records = await recordsOf(event, now, charges);
        // The latest state of each record wins; re-inserting keeps the batch in event order.
        for (const customer of records.customers ?? []) {
          customers.delete(customer.sourceId);
          customers.set(customer.sourceId, customer);
        }
        for (const payment of records.payments ?? []) {
          payments.delete(payment.sourceId);
          payments.set(payment.sourceId, payment);
        }
        if (event.created !== since) {
          since = event.created;
          seen = [];
        }
        seen.push(event.id);
      }
      const next: StripeCursor = { phase: "events", eventsSince: since, seen };
      yield {
        ...emptyBatch(next, `events page ${page}`),
        customers: [...customers.values()],
        payments: [...payments.values()],
      };
    }
  }

  async function* pull(cursorText: string | null, options: PullOptions): AsyncGenerator<SyncBatch> {
    let cursor = cursorText === null ? null : parseCursor(cursorText);
    const nowSeconds = Math.floor(options.now.getTime() / 1000);
    if (cursor?.phase === "events" && cursor.eventsSince < nowSeconds - eventRetentionSeconds) cursor = null;
    if (cursor === null) {
      // Mark where events stand before listing, so nothing that changes during the listing is missed.
      const newest = ensureList(await call(() => stripe.events.list({ limit: 1 })), "events");
      const eventsSince = newest.data[0]?.created ?? nowSeconds - quietAdvanceSeconds;
      cursor = { phase: "customers", after: null, eventsSince };
    }
    if (cursor.phase === "customers") cursor = yield* listPhase(cursor, options.now);
    if (cursor.phase === "charges") cursor = yield* listPhase(cursor, options.now);
    if (cursor.phase === "events") yield* eventPhase(cursor, options.now);
  }

  async function retrievePayment(chargeId: string, options: PullOptions): Promise<SourcePayment | null> {
    try {
      return mapCharge(await call(() => stripe.charges.retrieve(chargeId)), options.now);
    } catch (error) {
      if (error instanceof SourceError && error.status === 404) return null;
      throw error;
    }
  }

  return { source: "stripe", pull, retrievePayment };
}
