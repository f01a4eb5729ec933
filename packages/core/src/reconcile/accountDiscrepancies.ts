// An account's discrepancies as account detail shows them: the open ones, and a timeline of found / resolved events.
import { queryRows, type TenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { type MoneyJson, money } from "../money";

export interface AccountDiscrepancy {
  kind: string;
  severity: string;
  period: string | null;
  amount: MoneyJson | null;
  sourceIds: string[];
  explanation: string;
  firstSeenAt: string;
}

export interface TimelineEvent {
  at: string;
  event: "found" | "resolved";
  kind: string;
  period: string | null;
  explanation: string;
}

export async function loadAccountDiscrepancies(
  tenant: TenantScope,
  accountId: string,
): Promise<{ discrepancies: AccountDiscrepancy[]; timeline: TimelineEvent[] }> {
  const rows = await queryRows<{
    kind: string;
    severity: string;
    period: string | null;
    amount_minor: string | null;
    currency: string | null;
    source_ids: string[];
    explanation: string;
    first_seen_at: Date | string;
    resolved_at: Date | string | null;
  }>(
    tenant.db,
    sql`select kind, severity, period, amount_minor::text as amount_minor, currency, source_ids, explanation,
               first_seen_at, resolved_at
        from discrepancies where tenant_id = ${tenant.tenantId}::uuid and account_id = ${accountId}::uuid
        order by first_seen_at desc, kind, fingerprint limit 200`,
  );
  const iso = (at: Date | string) => new Date(at).toISOString();
  const timeline = rows
    .flatMap((d): TimelineEvent[] => {
      const event = { kind: d.kind, period: d.period, explanation: d.explanation };
      const found: TimelineEvent = { at: iso(d.first_seen_at), event: "found", ...event };
      return d.resolved_at === null ? [found] : [found, { at: iso(d.resolved_at), event: "resolved", ...event }];
    })
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const discrepancies = rows
    .filter((d) => d.resolved_at === null)
    .map((d) => ({
      kind: d.kind,
      severity: d.severity,
      period: d.period,
      amount: d.amount_minor === null || d.currency === null ? null : money(d.amount_minor, d.currency.trim()),
      sourceIds: d.source_ids,
      explanation: d.explanation,
      firstSeenAt: iso(d.first_seen_at),
    }));
  return { discrepancies, timeline };
}
