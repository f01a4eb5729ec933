// generateScenario: a deterministic, realistic tenant for a seed, with its injected discrepancies in the manifest.

import { addDays, formatDay } from "../calendar.js";
import { createRandom } from "../random.js";
import type { Scenario, TenantFixture } from "../scenario.js";
import { injectedKinds, parseAsOf, planAccounts, planPeriods } from "./accounts.js";
import { stripeEvents } from "./events.js";
import { issueInvoices } from "./invoices.js";
import type { GenerateOptions, GenerationContext } from "./model.js";
import { collectPayments } from "./payments.js";
import { decimalString, metricDefinitions, type RateCard } from "./rateCards.js";
import { generateUsage } from "./usage.js";

export type { GenerateOptions } from "./model.js";

export function generateScenario(input: GenerateOptions): Scenario {
  if (!Number.isInteger(input.seed)) throw new Error("seed must be an integer");
  if (!Number.isInteger(input.accounts) || input.accounts < 0) throw new Error("accounts must be a whole number");
  if (!Number.isInteger(input.months) || input.months < 0 || input.months > 60) throw new Error("months must be 0-60");
  const options = { discrepancyRate: 0.15, ...input };
  const asOf = parseAsOf(options.asOf);
  const random = createRandom(options.seed);
  const periods = planPeriods(asOf, options.months);
  const partial = { random, options, asOf, periods };
  const context: GenerationContext = { ...partial, accounts: planAccounts(partial), manifest: [] };

  const usage = generateUsage(context);
  const invoicing = issueInvoices(context, usage);
  const payments = collectPayments(context, invoicing.invoices, invoicing.customers);
  const events = stripeEvents(random.fork("events"), asOf, payments);

  return {
    tenant: tenantFixture(context),
    stripe: {
      customers: payments.customers,
      invoices: [],
      charges: payments.charges,
      paymentIntents: payments.paymentIntents,
      refunds: payments.refunds,
      disputes: payments.disputes,
      events,
    },
    quickbooks: {
      realmId: `9341${String(Math.abs(options.seed) % 1_000_000_000_000).padStart(12, "0")}`,
      customers: invoicing.customers,
      items: invoicing.items,
      invoices: invoicing.invoices.map((issued) => issued.invoice),
      payments: payments.qboPayments,
    },
    amplitude: { events: usage.events },
    manifest: {
      seed: options.seed,
      accounts: options.accounts,
      months: options.months,
      asOf: options.asOf,
      entries: context.manifest,
    },
  };
}

function tenantFixture(context: GenerationContext): TenantFixture {
  const owners = new Map(context.accounts.map((account) => [account.owner.email, account.owner]));
  return {
    name: `Reckon demo tenant (seed ${context.options.seed})`,
    baseCurrency: "USD",
    thresholdBps: 500,
    amplitudeGroupType: "org_id",
    metrics: metricDefinitions.map((metric) => ({
      key: metric.key,
      unit: metric.unit,
      eventType: metric.eventType,
      quickbooksItemIds: [metric.itemId],
    })),
    owners: [...owners.values()].map((owner) => ({ email: owner.email, name: owner.name })),
    accounts: context.accounts.map((account) => ({
      name: account.name,
      ownerEmail: account.owner.email,
      quickbooksCustomerId: account.quickbooksCustomerId,
      stripeCustomerId: account.stripeCustomerId,
      amplitudeGroupId: account.amplitudeGroupId,
    })),
    rateCards: context.accounts.flatMap((account) => {
      const card = (rateCard: RateCard, effectiveFrom: string) => ({
        quickbooksCustomerId: account.quickbooksCustomerId,
        plan: rateCard.plan,
        currency: account.currency,
        effectiveFrom,
        baseFeeMinor: String(rateCard.baseFeeMinor),
        metrics: rateCard.prices.map((price) => ({
          key: price.metric.key,
          includedUnits: decimalString(price.includedScaled, price.metric.scale),
          unitPrice: String(price.priceMicro / 1_000_000),
        })),
      });
      const cards = [card(account.rateCard, account.createdAt.toISOString().slice(0, 10))];
      const change = account.planChange;
      if (change) {
        const start = context.periods[change.period]!.start;
        cards.push(card(change.next, formatDay(addDays(start, change.day - 1))));
      }
      return cards;
    }),
  };
}

export const injectedDiscrepancyKinds = injectedKinds;
