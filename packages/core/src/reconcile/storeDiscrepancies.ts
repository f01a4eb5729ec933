// Keeps the discrepancies table in step with reconciliation: new findings inserted, present ones touched, vanished
// ones resolved, so each account has a timeline of what was found and when it went away.
import { queryRows, type TenantScope } from "@reckon/db";
import type { Discrepancy } from "@reckon/reconcile";
import { sql } from "drizzle-orm";

export interface Finding {
  accountId: string | null;
  discrepancy: Discrepancy;
}

/** Which open rows this call speaks for: some accounts, or the account-less findings (unmapped records). */
export type FindingScope = { accountIds: readonly string[] } | { accountless: true };

const toJson = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));

/** Returns how many findings were new, touched and resolved. */
export async function storeDiscrepancies(
  tx: TenantScope,
  scope: FindingScope,
  findings: readonly Finding[],
  now: Date,
): Promise<{ opened: number; touched: number; resolved: number }> {
  const t = tx.tenantId;
  const where =
    "accountIds" in scope
      ? sql`account_id in (select json_array_elements_text(${JSON.stringify(scope.accountIds)}::json)::uuid)`
      : sql`account_id is null`;
  const open = await queryRows<{ id: string; fingerprint: string }>(
    tx.db,
    sql`select id, fingerprint from discrepancies where tenant_id = ${t}::uuid and resolved_at is null and ${where}`,
  );
  const openByFingerprint = new Map(open.map((o) => [o.fingerprint, o.id]));
  const unique = new Map<string, Finding>();
  for (const f of findings) if (!unique.has(f.discrepancy.fingerprint)) unique.set(f.discrepancy.fingerprint, f);
  const rows = [...unique.values()].map(({ accountId, discrepancy: d }) => ({
    id: openByFingerprint.get(d.fingerprint) ?? null,
    account_id: accountId,
    kind: d.code,
    severity: d.severity,
    period: d.period,
    amount_minor: d.amountMinor,
    currency: d.currency,
    source_ids: d.sourceIds,
    explanation: d.explanation,
    fingerprint: d.fingerprint,
  }));
  const at = now.toISOString();
  const fresh = rows.filter((r) => r.id === null);
  const present = rows.filter((r) => r.id !== null);
  const vanished = open.filter((o) => !unique.has(o.fingerprint)).map((o) => o.id);
  const recordType = sql.raw(`account_id uuid, kind text, severity text, period text, amount_minor bigint,
    currency char(3), source_ids jsonb, explanation text, fingerprint text`);
  if (fresh.length > 0) {
    await queryRows(
      tx.db,
      sql`insert into discrepancies (tenant_id, account_id, kind, severity, period, amount_minor, currency, source_ids,
                                     explanation, fingerprint, first_seen_at, last_seen_at)
          select ${t}::uuid, r.account_id, r.kind, r.severity, r.period, r.amount_minor, r.currency, r.source_ids,
                 r.explanation, r.fingerprint, ${at}::timestamptz, ${at}::timestamptz
          from json_to_recordset(${toJson(fresh)}::json) as r(${recordType})
          on conflict do nothing`,
    );
  }
  if (present.length > 0) {
    await queryRows(
      tx.db,
      sql`update discrepancies d set last_seen_at = ${at}::timestamptz, severity = r.severity,
            amount_minor = r.amount_minor, currency = r.currency, explanation = r.explanation
          from json_to_recordset(${toJson(present)}::json) as r(id uuid, ${recordType})
          where d.tenant_id = ${t}::uuid and d.id = r.id`,
    );
  }
  if (vanished.length > 0) {
    await queryRows(
      tx.db,
      sql`update discrepancies set resolved_at = ${at}::timestamptz
          where tenant_id = ${t}::uuid and id in (select json_array_elements_text(${JSON.stringify(vanished)}::json)::uuid)`,
    );
  }
  return { opened: fresh.length, touched: present.length, resolved: vanished.length };
}
