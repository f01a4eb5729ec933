// Findings that come from outside one account's records: unmapped Stripe customers and Amplitude groups, and a
// source whose latest sync run stopped part-way (every account it covers gets a partial_sync).

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

export interface IncompleteSync {
  source: "stripe" | "quickbooks" | "amplitude";
  status: "partial" | "failed";
  startedAt: Date;
  error: string | null;
}

const sourceNames = { stripe: "Stripe", quickbooks: "QuickBooks", amplitude: "Amplitude" } as const;

/** The account's id in the source, in the manifest's notation; null when the account has no link there. */
export function partialSyncFinding(sync: IncompleteSync, accountSourceId: string | null): Discrepancy | null {
  if (accountSourceId === null) return null;
  const error = sync.error ? ` (${sync.error})` : "";
  return discrepancy({
    code: "partial_sync",
    amountMinor: null,
    currency: null,
    period: null,
    sourceIds: [accountSourceId],
    explanation: `The latest ${sourceNames[sync.source]} sync, started ${sync.startedAt.toISOString()}, ended ${sync.status}${error}: this account's numbers may be incomplete and it is left out of forecasts until a complete sync.`,
  });
}
