// The generator's working state: the plan of every account and period, shared by the files that build each source.

import type { Random } from "../random.js";
import type { DiscrepancyKind, ManifestEntry } from "../scenario.js";
import type { Person } from "./names.js";
import type { RateCard } from "./rateCards.js";

export interface GenerateOptions {
  seed: number;
  accounts: number;
  /** Full months of history before the month of `asOf`; that month is added as month-to-date. */
  months: number;
  asOf: string; // YYYY-MM-DD
  /** Share of accounts that get one injected discrepancy (default 0.15; every kind appears at least once). */
  discrepancyRate?: number;
}

export interface Period {
  key: string; // YYYY-MM
  start: Date;
  /** Days of usage generated: the whole month, or the days before asOf in the current month. */
  usageDays: number;
  /** False for the current month: it has usage but no invoice yet. */
  invoiced: boolean;
}

/** Payment-side and billing-side anomalies the generator injects; each planned account gets at most one. */
export type InjectedKind = Exclude<DiscrepancyKind, "partial_sync" | "unmapped_record">;

/** A plan change inside a period: `next` takes effect on day `day` (1-based) of period `period`. */
export interface PlanChange {
  period: number;
  day: number;
  next: RateCard;
}

export interface PlannedAccount {
  index: number;
  name: string;
  domain: string;
  owner: Person;
  quickbooksCustomerId: string;
  stripeCustomerId: string;
  amplitudeGroupId: string;
  currency: string;
  createdAt: Date;
  /** Index into periods of the first month with usage (later for newer clients). */
  firstPeriod: number;
  rateCard: RateCard;
  /** Usage level per metric key, as a multiple of the plan's included units. */
  usageLevel: Map<string, number>;
  /** Days after invoicing the client usually pays. */
  payDelay: [number, number];
  /** Splits a payment over two invoices once (normal behaviour, not a discrepancy). */
  splitsPayment: boolean;
  injected: { kind: InjectedKind; period: number } | null;
  planChange: PlanChange | null;
}

/** The card a whole period is billed on (the new plan after a plan change). */
export function cardFor(account: PlannedAccount, periodIndex: number): RateCard {
  return account.planChange && periodIndex > account.planChange.period ? account.planChange.next : account.rateCard;
}

export interface GenerationContext {
  random: Random;
  options: Required<GenerateOptions>;
  asOf: Date;
  periods: Period[];
  accounts: PlannedAccount[];
  manifest: ManifestEntry[];
}

/** Monthly metered quantity per account (QBO customer id) -> period key -> metric key, as scaled integers. */
export type MeteredUsage = Map<string, Map<string, Map<string, number>>>;

export function meteredFor(usage: MeteredUsage, customerId: string, period: string): Map<string, number> {
  let byPeriod = usage.get(customerId);
  if (!byPeriod) {
    byPeriod = new Map();
    usage.set(customerId, byPeriod);
  }
  let byMetric = byPeriod.get(period);
  if (!byMetric) {
    byMetric = new Map();
    byPeriod.set(period, byMetric);
  }
  return byMetric;
}

export function stripeId(random: Random, prefix: string): string {
  return `${prefix}_${random.token(24)}`;
}

const hexDigits = "0123456789abcdef";

function hex(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += hexDigits[(random.next() * 16) | 0];
  return out;
}

/** A version-4-shaped UUID from the seeded source (this runs once per usage event, so it stays cheap). */
export function uuid(random: Random): string {
  const variant = hexDigits[8 + ((random.next() * 4) | 0)];
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${variant}${hex(random, 3)}-${hex(random, 12)}`;
}
