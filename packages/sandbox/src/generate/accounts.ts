// Plans the tenant: its billing periods, its account managers, and each client account with its links and habits.
import { addDays, daysInMonth, monthStart, parseDay, periodOf } from "../calendar.js";
import type { Random } from "../random.js";
import type { GenerationContext, InjectedKind, Period, PlannedAccount } from "./model.js";
import { accountManagers, companyNames } from "./names.js";
import { changedPlan, pickRateCard } from "./rateCards.js";

export const injectedKinds: readonly InjectedKind[] = [
  "over_billed",
  "under_billed",
  "missing_invoice",
  "invoice_without_usage",
  "duplicate_usage_events",
  "failed_payment",
  "partial_payment",
  "overpayment",
  "refund",
  "dispute",
  "duplicate_charge",
  "currency_mismatch",
  "price_differs",
  "plan_change",
  "late_usage",
];

/** `months` full months before the month of asOf, then that month as month-to-date (never invoiced). */
export function planPeriods(asOf: Date, months: number): Period[] {
  const current = monthStart(asOf);
  const periods: Period[] = [];
  for (let offset = -months; offset <= 0; offset++) {
    const start = monthStart(current, offset);
    periods.push({
      key: periodOf(start),
      start,
      usageDays: offset === 0 ? asOf.getUTCDate() - 1 : daysInMonth(start),
      invoiced: offset < 0,
    });
  }
  return periods;
}

export function planAccounts(context: Omit<GenerationContext, "accounts" | "manifest">): PlannedAccount[] {
  const random = context.random.fork("accounts");
  const nextName = companyNames(random.fork("names"));
  const ownerCount = Math.max(1, Math.min(12, Math.ceil(context.options.accounts / 50)));
  const owners = accountManagers(random.fork("owners"), ownerCount, "reckon-demo.example.com");
  const accounts: PlannedAccount[] = [];
  for (let index = 0; index < context.options.accounts; index++) {
    const company = nextName();
    const rateCard = pickRateCard(random);
    const joinsLater = context.periods.length > 3 && random.chance(0.15);
    const firstPeriod = joinsLater ? random.int(1, context.periods.length - 2) : 0;
    const slowPayer = random.chance(0.12);
    accounts.push({
      index,
      name: company.name,
      domain: company.domain,
      owner: owners[index % owners.length]!,
      quickbooksCustomerId: String(index + 1),
      stripeCustomerId: `cus_${random.token(14)}`,
      amplitudeGroupId: `org_${random.token(8).toLowerCase()}`,
      currency: "USD",
      createdAt: addDays(context.periods[firstPeriod]!.start, -random.int(3, firstPeriod === 0 ? 200 : 20)),
      firstPeriod,
      rateCard,
      usageLevel: new Map(rateCard.prices.map((price) => [price.metric.key, 0.5 + random.next() * 1.1])),
      payDelay: slowPayer ? [25, 70] : [1, 12],
      splitsPayment: random.chance(0.05),
      injected: null,
      planChange: null,
    });
  }
  assignDiscrepancies(random.fork("discrepancies"), accounts, context);
  return accounts;
}

/** Periods whose invoice was issued at least 40 days before asOf, so its payment story is complete. */
function settledPeriods(periods: Period[], asOf: Date): number[] {
  const settled: number[] = [];
  periods.forEach((period, index) => {
    if (period.invoiced && addDays(monthStart(period.start, 1), 40) <= asOf) settled.push(index);
  });
  if (settled.length > 0) return settled;
  return periods.flatMap((period, index) => (period.invoiced ? [index] : []));
}

function assignDiscrepancies(
  random: Random,
  accounts: PlannedAccount[],
  context: Omit<GenerationContext, "accounts" | "manifest">,
): void {
  const candidates = settledPeriods(context.periods, context.asOf);
  if (candidates.length === 0 || accounts.length === 0) return;
  const rate = context.options.discrepancyRate;
  const wanted = Math.min(accounts.length, Math.max(injectedKinds.length, Math.round(rate * accounts.length)));
  const chosen = random.shuffle(accounts).slice(0, wanted);
  chosen.forEach((account, i) => {
    const kind = injectedKinds[i % injectedKinds.length]!;
    account.firstPeriod = 0;
    account.createdAt = addDays(context.periods[0]!.start, -random.int(30, 200));
    account.payDelay = [1, 6];
    account.splitsPayment = false;
    if (kind === "over_billed" || kind === "under_billed") {
      for (const key of account.usageLevel.keys()) account.usageLevel.set(key, 1.4 + random.next() * 0.4);
    }
    account.injected = { kind, period: random.pick(candidates) };
    if (kind === "plan_change") {
      account.planChange = {
        period: account.injected.period,
        day: random.int(8, 22),
        next: changedPlan(account.rateCard),
      };
    }
    // Late usage is a small share of a daily metric (a seat count cannot arrive 2% late).
    while (kind === "late_usage" && !account.rateCard.prices.some((p) => p.metric.cadence === "daily")) {
      account.rateCard = pickRateCard(random);
    }
  });
}

export function parseAsOf(asOf: string): Date {
  return parseDay(asOf);
}
