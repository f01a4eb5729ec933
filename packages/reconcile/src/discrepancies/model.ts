// The Discrepancy value: one finding with its code, severity, money at stake, source ids, fingerprint and sentence.

import { compareText } from "../records";

export const discrepancyCodes = [
  "over_billed",
  "under_billed",
  "missing_invoice",
  "invoice_without_usage",
  "price_differs",
  "plan_change",
  "late_usage",
  "duplicate_usage_events",
  "duplicate_charge",
  "failed_payment",
  "partial_payment",
  "overpayment",
  "refund",
  "dispute",
  "currency_mismatch",
  "unmapped_record",
  "partial_sync",
] as const;
export type DiscrepancyCode = (typeof discrepancyCodes)[number];

export const severities = ["info", "warning", "critical"] as const;
export type Severity = (typeof severities)[number];

/** The stated severity of each kind (README.md): money already lost or blocked is critical. */
export const severityOf: Readonly<Record<DiscrepancyCode, Severity>> = {
  over_billed: "warning",
  under_billed: "warning",
  missing_invoice: "critical",
  invoice_without_usage: "warning",
  price_differs: "warning",
  plan_change: "info",
  late_usage: "warning",
  duplicate_usage_events: "info",
  duplicate_charge: "critical",
  failed_payment: "critical",
  partial_payment: "warning",
  overpayment: "warning",
  refund: "warning",
  dispute: "critical",
  currency_mismatch: "critical",
  unmapped_record: "warning",
  partial_sync: "critical",
};

export interface Discrepancy {
  code: DiscrepancyCode;
  severity: Severity;
  /** Money at stake in minor units of `currency`, never negative; null where the kind has none. */
  amountMinor: bigint | null;
  currency: string | null;
  period: string | null; // YYYY-MM
  /** Sorted, in the manifest's notation (sourceIds.ts). */
  sourceIds: string[];
  /** code | period | sorted source ids: stable across runs for the same finding. */
  fingerprint: string;
  explanation: string;
}

export function fingerprintOf(code: DiscrepancyCode, period: string | null, sourceIds: readonly string[]): string {
  return `${code}|${period ?? "-"}|${[...sourceIds].sort(compareText).join(",")}`;
}

/** Builds a Discrepancy: sorts and dedupes its source ids, fills in severity and fingerprint. */
export function discrepancy(fields: {
  code: DiscrepancyCode;
  amountMinor: bigint | null;
  currency: string | null;
  period: string | null;
  sourceIds: readonly string[];
  explanation: string;
}): Discrepancy {
  const sourceIds = [...new Set(fields.sourceIds)].sort(compareText);
  return {
    code: fields.code,
    severity: severityOf[fields.code],
    amountMinor: fields.amountMinor,
    currency: fields.amountMinor === null ? null : fields.currency,
    period: fields.period,
    sourceIds,
    fingerprint: fingerprintOf(fields.code, fields.period, sourceIds),
    explanation: fields.explanation,
  };
}

/** Findings in a stable order (period, code, fingerprint), so results do not depend on input order. */
export function compareDiscrepancies(a: Discrepancy, b: Discrepancy): number {
  return (
    compareText(a.period ?? "", b.period ?? "") ||
    compareText(a.code, b.code) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}
