// Usage facts beyond the totals: quantity uploaded after a period was invoiced, and duplicate events dropped.

import type { UsageRowInput } from "../account";
import { periodOfDay } from "../calendar";
import { parseQuantity, QUANTITY_DECIMALS } from "../quantity";

export interface UsageExtras {
  late: Map<string, bigint>;
  lastLate: string | null;
  duplicates: Map<string, bigint>;
  duplicateEvents: number;
  insertIds: string[];
}

/** Late uploads (after the period's first invoice was issued) and dropped duplicates, per period and metric. */
export function usageExtras(
  usage: readonly UsageRowInput[],
  issuedOn: ReadonlyMap<string, string>,
): Map<string, UsageExtras> {
  const extras = new Map<string, UsageExtras>();
  const empty = (): UsageExtras => ({
    late: new Map(),
    lastLate: null,
    duplicates: new Map(),
    duplicateEvents: 0,
    insertIds: [],
  });
  for (const row of usage) {
    const period = periodOfDay(row.day);
    const issued = issuedOn.get(period);
    if (row.uploadedOn && issued !== undefined && row.uploadedOn > issued) {
      const e = extras.get(period) ?? empty();
      extras.set(period, e);
      e.late.set(row.metric, (e.late.get(row.metric) ?? 0n) + parseQuantity(row.quantity));
      if (e.lastLate === null || row.uploadedOn > e.lastLate) e.lastLate = row.uploadedOn;
    }
    if ((row.duplicateEvents ?? 0) > 0) {
      const e = extras.get(period) ?? empty();
      extras.set(period, e);
      e.duplicateEvents += row.duplicateEvents ?? 0;
      const q = parseQuantity(row.duplicateQuantity ?? "0");
      e.duplicates.set(row.metric, (e.duplicates.get(row.metric) ?? 0n) + q);
      e.insertIds.push(...(row.duplicateInsertIds ?? []));
    }
  }
  for (const e of extras.values()) e.insertIds = [...new Set(e.insertIds)].sort();
  return extras;
}

/**
 * Decimals each metric's quantities carry, read from the account's own usage: the most significant decimals any row
 * shows (trailing zeros dropped), so whole-unit metrics (seats, API calls) get 0 and prorated included units are
 * rounded to whole units, as they are billed. Taken per account, so one account's result never depends on another's.
 */
export function metricDecimalsOf(usage: readonly UsageRowInput[]): Record<string, number> {
  const decimals: Record<string, number> = {};
  for (const row of usage) {
    const fraction = row.quantity.split(".")[1]?.replace(/0+$/, "") ?? "";
    decimals[row.metric] = Math.min(QUANTITY_DECIMALS, Math.max(decimals[row.metric] ?? 0, fraction.length));
  }
  return decimals;
}
