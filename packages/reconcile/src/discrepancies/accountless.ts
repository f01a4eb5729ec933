// Findings that come from outside one account's records: unmapped Stripe customers and Amplitude groups, and a
// sync run that stopped part-way (every account it got records for gets a partial_sync until an admin resolves it).

import { formatMoney, normalizeCurrency } from "../money";
import { compareText } from "../records";
import { type Discrepancy, discrepancy } from "./model";
import { sourceId } from "./sourceIds";

export interface UnmappedStripeCustomer {
  id: string;
  name: string;
  /** Its succeeded charges (net of refunds). */
  charges: ReadonlyArray<{ id: string; netMinor: bigint; currency: string }>;
}

export interface UnmappedUsageGroup {
  groupId: string;
  /** The latest month it has usage in (YYYY-MM). */
  latestPeriod: string;
  eventCount: number;
}

export function unmappedStripeCustomer(customer: UnmappedStripeCustomer): Discrepancy {
  const currencies = [...new Set(customer.charges.map((c) => normalizeCurrency(c.currency)))].sort(compareText);
  const currency = currencies[0] ?? null;
  const amount =
    currency === null
      ? null
      : customer.charges.filter((c) => normalizeCurrency(c.currency) === currency).reduce((s, c) => s + c.netMinor, 0n);
  const paid = amount === null ? "no charges" : `${formatMoney(amount, currency ?? "USD")} in charges`;
  return discrepancy({
    code: "unmapped_record",
    amountMinor: amount,
    currency,
    period: null,
    sourceIds: [customer.id, ...customer.charges.map((c) => c.id)],
    explanation: `Stripe customer ${customer.name} (${customer.id}) is linked to no account and matches none by name or email domain; ${paid}.`,
  });
}

export function unmappedUsageGroup(group: UnmappedUsageGroup, usageSource = "Amplitude"): Discrepancy {
  return discrepancy({
    code: "unmapped_record",
    amountMinor: null,
    currency: null,
    period: group.latestPeriod,
    sourceIds: [sourceId.amplitudeGroup(group.groupId)],
    explanation: `${usageSource} group ${group.groupId} reports usage (${group.eventCount} events, latest in ${group.latestPeriod}) but no account is linked to it.`,
  });
}

/** A sync run that stopped part-way and that no admin has resolved yet. */
export interface IncompleteSync {
  source: "stripe" | "quickbooks" | "amplitude";
  status: "partial";
  startedAt: Date;
  error: string | null;
  /** Source customer ids (in the source's own notation) the run got records for: the accounts it left half-updated. */
  touched: ReadonlySet<string>;
  /** What it did not get, in words. */
  missed: readonly string[];
}

const sourceNames = { stripe: "Stripe", quickbooks: "QuickBooks", amplitude: "Amplitude" } as const;

/**
 * The account's partial_sync for one source: `runs` are the unresolved partial runs of that source that touched the
 * account (the latest one is named). `accountSourceId` is the account's id there, in the manifest's notation.
 */
export function partialSyncFinding(runs: readonly IncompleteSync[], accountSourceId: string): Discrepancy | null {
  const latest = [...runs].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
  if (!latest) return null;
  const error = latest.error ? ` (${latest.error})` : "";
  const missed = latest.missed.length > 0 ? `; it did not get ${latest.missed.join(", ")}` : "";
  const more = runs.length > 1 ? ` (and ${runs.length - 1} earlier partial run${runs.length > 2 ? "s" : ""})` : "";
  return discrepancy({
    code: "partial_sync",
    amountMinor: null,
    currency: null,
    period: null,
    sourceIds: [accountSourceId],
    explanation: `The ${sourceNames[latest.source]} sync started ${latest.startedAt.toISOString()}${more} stopped part-way${error} after updating some of this account's records${missed}: its numbers may be incomplete and it is left out of forecasts until an admin resolves the partial sync.`,
  });
}
