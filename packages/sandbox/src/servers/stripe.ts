// The Stripe fake: GET list and retrieve for the resources Reckon syncs, with Stripe's auth, pagination and errors,
// and the one write Reckon makes: confirming a failed payment intent again (a payment retry), idempotently.
import type { Context } from "hono";
import { Hono } from "hono";
import type Stripe from "stripe";
import { stripeApiVersion } from "../generate/events.js";
import type { Scenario } from "../scenario.js";
import { hold, malformedJson, truncated } from "./faultAnswers.js";
import type { FaultState } from "./faults.js";
import { logRequests } from "./listen.js";
import { registerPaymentIntentConfirm } from "./stripeConfirm.js";
import {
  createdFilter,
  type FormValue,
  invalidRequest,
  type Listable,
  page,
  parseStripeQuery,
  StripeRequestError,
} from "./stripeList.js";

type Filter = (item: never, value: FormValue) => boolean;
interface Resource {
  noun: string;
  items: (scenario: Scenario) => readonly Listable[];
  filters: Record<string, Filter>;
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === "string" ? value : value.id;
const matchesType = (pattern: FormValue, type: string): boolean =>
  typeof pattern === "string" &&
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(type);

const resources: Record<string, Resource> = {
  customers: {
    noun: "customer",
    items: (s) => s.stripe.customers,
    filters: { email: ((c: Stripe.Customer, v) => c.email === v) as Filter },
  },
  invoices: {
    noun: "invoice",
    items: (s) => s.stripe.invoices,
    filters: {
      customer: ((i: Stripe.Invoice, v) => idOf(i.customer) === v) as Filter,
      status: ((i: Stripe.Invoice, v) => i.status === v) as Filter,
    },
  },
  charges: {
    noun: "charge",
    items: (s) => s.stripe.charges,
    filters: {
      customer: ((c: Stripe.Charge, v) => idOf(c.customer) === v) as Filter,
      payment_intent: ((c: Stripe.Charge, v) => idOf(c.payment_intent) === v) as Filter,
    },
  },
  payment_intents: {
    noun: "payment_intent",
    items: (s) => s.stripe.paymentIntents,
    filters: { customer: ((p: Stripe.PaymentIntent, v) => idOf(p.customer) === v) as Filter },
  },
  refunds: {
    noun: "refund",
    items: (s) => s.stripe.refunds,
    filters: {
      charge: ((r: Stripe.Refund, v) => idOf(r.charge) === v) as Filter,
      payment_intent: ((r: Stripe.Refund, v) => idOf(r.payment_intent) === v) as Filter,
    },
  },
  disputes: {
    noun: "dispute",
    items: (s) => s.stripe.disputes,
    filters: {
      charge: ((d: Stripe.Dispute, v) => idOf(d.charge) === v) as Filter,
      payment_intent: ((d: Stripe.Dispute, v) => idOf(d.payment_intent) === v) as Filter,
    },
  },
  events: {
    noun: "event",
    items: (s) => s.stripe.events,
    filters: {
      type: ((e: Stripe.Event, v) => matchesType(v, e.type)) as Filter,
      types: ((e: Stripe.Event, v) => Array.isArray(v) && v.some((pattern) => matchesType(pattern, e.type))) as Filter,
    },
  },
};
const pagingParams = new Set(["limit", "starting_after", "ending_before", "created", "expand"]);

const rateLimited = {
  error: {
    code: "rate_limit",
    doc_url: "https://stripe.com/docs/error-codes/rate-limit",
    message:
      "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.",
    type: "invalid_request_error",
  },
};

/** A list whose `data` is not a list: well-formed JSON of the wrong shape. */
const wrongShape = { object: "list", data: { id: "not-a-list" }, has_more: false, url: "/v1/unknown" };

function authenticate(header: string | undefined, apiKey: string): StripeRequestError | null {
  let key: string | null = null;
  if (header?.startsWith("Bearer ")) key = header.slice(7).trim();
  else if (header?.startsWith("Basic "))
    key = Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0] ?? null;
  if (!key) {
    return invalidRequest(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      undefined,
      undefined,
      401,
    );
  }
  if (key !== apiKey) {
    return invalidRequest(
      `Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
      undefined,
      undefined,
      401,
    );
  }
  return null;
}

export function stripeApp(scenario: Scenario, apiKey: string, faults: FaultState): Hono {
  const app = new Hono();
  let requestCounter = 0;
  logRequests(app, "stripe", faults);
  app.use("*", async (c, next) => {
    requestCounter++;
    c.header("Request-Id", `req_${requestCounter.toString(36).padStart(14, "0")}`);
    c.header("Stripe-Version", c.req.header("Stripe-Version") ?? stripeApiVersion);
    const fault = faults.take("stripe");
    if (fault?.kind === "rate_limit") return c.json(rateLimited, 429);
    if (fault?.kind === "failure") {
      return c.json({ error: { type: "api_error", message: "An unknown error occurred" } }, fault.status as 500);
    }
    if (fault?.kind === "delay") await hold(fault.delayMs);
    if (fault?.kind === "malformed" && fault.body !== "truncated") return malformedJson(c, fault.body, wrongShape);
    const denied = authenticate(c.req.header("Authorization"), apiKey);
    if (denied) return c.json(denied.body, 401);
    await next();
    if (fault?.kind === "malformed") c.res = await truncated(c.res);
  });
  // Hono hands errors thrown by routes to onError: the invalid-request ones become Stripe's error answer.
  app.onError((error, c) => {
    if (error instanceof StripeRequestError) return c.json(error.body, error.status as 400);
    return c.json({ error: { type: "api_error", message: "An unknown error occurred" } }, 500);
  });
  app.get("/v1/:resource", (c) => {
    const resource = resources[c.req.param("resource")];
    if (!resource) return unrecognized(c);
    const query = parseStripeQuery(new URL(c.req.url).search);
    const filters: Array<(item: Listable) => boolean> = [];
    for (const [param, value] of Object.entries(query)) {
      const filter = resource.filters[param];
      if (filter) filters.push((item) => filter(item as never, value));
      else if (!pagingParams.has(param)) throw invalidRequest(`Received unknown parameter: ${param}`, param);
    }
    const created = createdFilter(query.created);
    const items = resource.items(scenario).filter((item) => created(item.created) && filters.every((f) => f(item)));
    return c.json(page(items, query, `/v1/${c.req.param("resource")}`, resource.noun));
  });
  app.get("/v1/:resource/:id", (c) => {
    const resource = resources[c.req.param("resource")];
    if (!resource) return unrecognized(c);
    const id = c.req.param("id");
    const found = resource.items(scenario).find((item) => item.id === id);
    if (!found) throw invalidRequest(`No such ${resource.noun}: '${id}'`, "id", "resource_missing", 404);
    return c.json(found);
  });
  registerPaymentIntentConfirm(app, scenario);
  app.all("*", (c) => unrecognized(c));
  return app;
}

function unrecognized(c: Context) {
  const path = new URL(c.req.url).pathname;
  return c.json(
    {
      error: {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${c.req.method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      },
    },
    404,
  );
}
