// Amplitude usage: a few metering events per account, metric and day, the monthly totals they add up to, and the
// usage-side anomalies (duplicate events, a month with no usage, an org no account owns).
import { addDays, addSeconds, amplitudeTime, daysInMonth, parseAmplitudeTime } from "../calendar.js";
import type { Random } from "../random.js";
import type { AmplitudeExportEvent } from "../scenario.js";
import {
  type GenerationContext,
  type MeteredUsage,
  meteredFor,
  type Period,
  type PlannedAccount,
  uuid,
} from "./model.js";
import { amountMinor, decimalString, type MetricPrice, metricDefinitions, toDecimal } from "./rateCards.js";

export const amplitudeProjectId = 187520;

export interface UsageResult {
  events: AmplitudeExportEvent[];
  /** What the client really used (deduplicated): what a correct invoice bills. */
  metered: MeteredUsage;
  /** What the billing system believed was used, which is what invoices are built from. */
  billingBasis: MeteredUsage;
  /** For a plan-change period: per customer and metric, the quantity used before the new plan took effect. */
  beforeChange: Map<string, Map<string, number>>;
  /** Late uploads per customer: the metric and scaled quantity that arrived after the period was invoiced. */
  late: Map<string, { metric: string; scaled: number; events: AmplitudeExportEvent[] }>;
}

type EventFactory = (
  account: { amplitudeGroupId: string; name: string },
  price: MetricPrice,
  at: Date,
  quantityScaled: number,
) => AmplitudeExportEvent;

function eventFactory(random: Random): EventFactory {
  let eventId = 0;
  return (account, price, at, quantityScaled) => {
    const eventTime = amplitudeTime(at);
    const uploadTime = amplitudeTime(addSeconds(at, random.int(1, 90)));
    eventId++;
    return {
      $insert_id: uuid(random),
      event_type: price.metric.eventType,
      event_time: eventTime,
      server_upload_time: uploadTime,
      server_received_time: uploadTime,
      client_event_time: eventTime,
      user_id: null,
      device_id: "billing-meter",
      event_id: eventId,
      amplitude_id: 900_000_000 + eventId,
      app: amplitudeProjectId,
      event_properties: { quantity: toDecimal(quantityScaled, price.metric.scale), metric: price.metric.key },
      groups: { org_id: account.amplitudeGroupId },
      group_properties: {},
    };
  };
}

/** Monthly quantity for one metric: the plan's allowance times the client's level, growing a little each month. */
function monthlyTarget(random: Random, account: PlannedAccount, price: MetricPrice, periodIndex: number): number {
  const level = account.usageLevel.get(price.metric.key) ?? 1;
  const trend = 1 + 0.02 * (periodIndex - account.firstPeriod);
  return Math.max(1, Math.round(price.includedScaled * level * trend * (0.9 + random.next() * 0.2)));
}

function periodEvents(
  random: Random,
  make: EventFactory,
  account: PlannedAccount,
  price: MetricPrice,
  period: Period,
  target: number,
): AmplitudeExportEvent[] {
  const events: AmplitudeExportEvent[] = [];
  if (period.usageDays === 0) return events;
  const secondOfDay = () => random.int(0, 86_400 - 300);
  if (price.metric.cadence === "monthly") {
    events.push(make(account, price, addSeconds(period.start, secondOfDay()), target));
    return events;
  }
  // The month's target is spread over the whole month, so a month-to-date total is a fraction of it.
  const perDay = target / daysInMonth(period.start);
  for (let day = 0; day < period.usageDays; day++) {
    const dayTotal = Math.max(1, Math.round(perDay * (0.7 + random.next() * 0.6)));
    const parts = price.metric.key === "api_calls" ? random.int(1, 2) : 1;
    let left = dayTotal;
    for (let part = 0; part < parts; part++) {
      const quantity = part === parts - 1 ? left : Math.max(1, Math.floor(dayTotal / parts));
      left -= quantity;
      if (quantity <= 0) continue;
      events.push(make(account, price, addSeconds(addDays(period.start, day), secondOfDay()), quantity));
    }
  }
  return events;
}

export function generateUsage(context: GenerationContext): UsageResult {
  const random = context.random.fork("usage");
  const make = eventFactory(random.fork("events"));
  const result: UsageResult = {
    events: [],
    metered: new Map(),
    billingBasis: new Map(),
    beforeChange: new Map(),
    late: new Map(),
  };
  for (const account of context.accounts) {
    context.periods.forEach((period, periodIndex) => {
      if (periodIndex < account.firstPeriod) return;
      const injected = account.injected?.period === periodIndex ? account.injected.kind : null;
      const metered = meteredFor(result.metered, account.quickbooksCustomerId, period.key);
      const basis = meteredFor(result.billingBasis, account.quickbooksCustomerId, period.key);
      const periodEventsAll: AmplitudeExportEvent[] = [];
      for (const price of account.rateCard.prices) {
        const events = periodEvents(
          random,
          make,
          account,
          price,
          period,
          monthlyTarget(random, account, price, periodIndex),
        );
        const total = events.reduce((sum, event) => sum + scaledQuantity(event, price), 0);
        basis.set(price.metric.key, total);
        if (injected === "invoice_without_usage") continue;
        metered.set(price.metric.key, total);
        periodEventsAll.push(...events);
        if (injected === "plan_change" && account.planChange) {
          const before = events.filter((e) => Number(e.event_time.slice(8, 10)) < account.planChange!.day);
          const byMetric = result.beforeChange.get(account.quickbooksCustomerId) ?? new Map<string, number>();
          byMetric.set(
            price.metric.key,
            before.reduce((sum, e) => sum + scaledQuantity(e, price), 0),
          );
          result.beforeChange.set(account.quickbooksCustomerId, byMetric);
        }
      }
      if (injected === "late_usage") addLateUsage(random, make, context, account, periodIndex, metered, result);
      result.events.push(...periodEventsAll);
      if (injected === "invoice_without_usage") {
        context.manifest.push({
          kind: "invoice_without_usage",
          accountRef: account.quickbooksCustomerId,
          period: period.key,
          amountMinor: null, // set by the invoice step, which knows the billed amount
          sourceIds: [`amplitude:group:${account.amplitudeGroupId}`],
          note: `${account.name} sent no usage events in ${period.key}, yet was invoiced for it.`,
        });
      }
      if (injected === "duplicate_usage_events")
        duplicateSomeEvents(random, context, account, period, periodEventsAll, result);
    });
  }
  addUnmappedGroup(random, make, context, result);
  return result;
}

function scaledQuantity(event: AmplitudeExportEvent, price: MetricPrice): number {
  return Math.round(Number(event.event_properties.quantity) * 10 ** price.metric.scale);
}

/** A client SDK retried some uploads: the same $insert_id arrives twice, minutes apart, on the same day. */
function duplicateSomeEvents(
  random: Random,
  context: GenerationContext,
  account: PlannedAccount,
  period: Period,
  events: AmplitudeExportEvent[],
  result: UsageResult,
): void {
  if (events.length === 0) return;
  const count = Math.min(events.length, random.int(3, 6));
  const originals = random.shuffle(events).slice(0, count);
  const duplicated = new Map<MetricPrice, number>();
  const quantities: string[] = [];
  for (const original of originals) {
    const price = account.rateCard.prices.find((p) => p.metric.eventType === original.event_type)!;
    const retried = parseAmplitudeTime(original.server_upload_time);
    const copy = { ...original, server_upload_time: amplitudeTime(addSeconds(retried, random.int(60, 600))) };
    copy.server_received_time = copy.server_upload_time;
    result.events.push(copy);
    const scaled = scaledQuantity(original, price);
    duplicated.set(price, (duplicated.get(price) ?? 0) + scaled);
    quantities.push(`${decimalString(scaled, price.metric.scale)} ${price.metric.unit}`);
  }
  // README: the duplicated quantity per metric at the unit price, rounded once per metric.
  const stakeMinor = [...duplicated].reduce((sum, [price, scaled]) => sum + amountMinor(scaled, price), 0);
  context.manifest.push({
    kind: "duplicate_usage_events",
    accountRef: account.quickbooksCustomerId,
    period: period.key,
    amountMinor: String(stakeMinor),
    sourceIds: originals.map((event) => `amplitude:insert_id:${event.$insert_id}`),
    note: `${count} events of ${account.name} were uploaded twice with the same $insert_id (${quantities.join(", ")}); counting them would over-bill.`,
  });
}

/** Usage from an Amplitude org that no account is linked to, in the last full month. */
function addUnmappedGroup(random: Random, make: EventFactory, context: GenerationContext, result: UsageResult): void {
  const period = context.periods.findLast((p) => p.invoiced) ?? context.periods[0]!;
  const groupId = `org_${random.token(8).toLowerCase()}`;
  const price: MetricPrice = { metric: metricDefinitions[0]!, includedScaled: 0, priceMicro: 0 };
  const orphan = { amplitudeGroupId: groupId, name: "Unknown org" };
  for (let i = 0; i < 12; i++) {
    const at = addSeconds(
      addDays(period.start, random.int(0, Math.max(0, period.usageDays - 1))),
      random.int(0, 86_000),
    );
    result.events.push(make(orphan, price, at, random.int(500, 5_000)));
  }
  context.manifest.push({
    kind: "unmapped_record",
    accountRef: groupId,
    period: period.key,
    amountMinor: null,
    sourceIds: [`amplitude:group:${groupId}`],
    note: `Amplitude org ${groupId} reports usage but no account is linked to it.`,
  });
}

/** 1-3% more of the busiest daily metric, for days of the period, uploaded 3-20 days after its invoice was issued. */
function addLateUsage(
  random: Random,
  make: EventFactory,
  context: GenerationContext,
  account: PlannedAccount,
  periodIndex: number,
  metered: Map<string, number>,
  result: UsageResult,
): void {
  const period = context.periods[periodIndex]!;
  const daily = account.rateCard.prices.filter((p) => p.metric.cadence === "daily");
  const price = daily.sort((a, b) => (metered.get(b.metric.key) ?? 0) - (metered.get(a.metric.key) ?? 0))[0];
  if (!price) return;
  const total = metered.get(price.metric.key) ?? 0;
  const lateScaled = Math.max(1, Math.round(total * (0.01 + random.next() * 0.02)));
  const invoicedOn = addDays(period.start, daysInMonth(period.start));
  const events: AmplitudeExportEvent[] = [];
  const parts = random.int(1, 3);
  let left = lateScaled;
  for (let part = 0; part < parts && left > 0; part++) {
    const quantity = part === parts - 1 ? left : Math.max(1, Math.floor(lateScaled / parts));
    left -= quantity;
    const at = addSeconds(
      addDays(period.start, random.int(period.usageDays - 5, period.usageDays - 1)),
      random.int(0, 86_000),
    );
    const event = make(account, price, at, quantity);
    const uploaded = amplitudeTime(addSeconds(addDays(invoicedOn, random.int(3, 20)), random.int(3600, 80_000)));
    events.push({ ...event, server_upload_time: uploaded, server_received_time: uploaded });
  }
  result.events.push(...events);
  metered.set(price.metric.key, total + lateScaled);
  result.late.set(account.quickbooksCustomerId, { metric: price.metric.key, scaled: lateScaled, events });
}
