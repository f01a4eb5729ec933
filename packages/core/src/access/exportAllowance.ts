// The brief's rule: a session exports at most 100 records. Counted per web session, per API token per UTC day,
// and per Slack/CRM user per UTC day; claimed atomically, so parallel exports cannot overshoot.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";

export const exportRecordLimit = 100;

export type ExportClaim =
  | { ok: true; used: number; remaining: number }
  | { ok: false; requested: number; used: number; remaining: number };

/** Who the allowance belongs to; null for the system (digests and jobs are not user exports). */
function allowanceSubject(ctx: TenantContext): string | null {
  const actor = ctx.actor;
  if (actor.kind === "system") return null;
  if (actor.via === "session") return `session:${actor.credentialId}`;
  return `${actor.via}:${actor.credentialId}:${ctx.clock().toISOString().slice(0, 10)}`;
}

export async function exportAllowance(ctx: TenantContext): Promise<{ limit: number; used: number; remaining: number }> {
  const subject = allowanceSubject(ctx);
  if (!subject) return { limit: exportRecordLimit, used: 0, remaining: exportRecordLimit };
  const [row] = await queryRows<{ records: number }>(
    ctx.tenant.db,
    sql`select records from export_allowances where tenant_id = ${ctx.tenant.tenantId}::uuid and subject = ${subject}`,
  );
  const used = row?.records ?? 0;
  return { limit: exportRecordLimit, used, remaining: Math.max(0, exportRecordLimit - used) };
}

/** Takes `records` from the caller's allowance, or nothing when they would pass the limit. */
export async function claimExportAllowance(ctx: TenantContext, records: number): Promise<ExportClaim> {
  const subject = allowanceSubject(ctx);
  if (!subject) return { ok: true, used: 0, remaining: exportRecordLimit };
  const now = ctx.clock().toISOString();
  const claimed =
    records > exportRecordLimit
      ? []
      : await queryRows<{ records: number }>(
          ctx.tenant.db,
          sql`insert into export_allowances (tenant_id, subject, records, updated_at)
              values (${ctx.tenant.tenantId}::uuid, ${subject}, ${records}, ${now}::timestamptz)
              on conflict (tenant_id, subject) do update
                set records = export_allowances.records + excluded.records, updated_at = excluded.updated_at
                where export_allowances.records + excluded.records <= ${exportRecordLimit}
              returning records`,
        );
  if (claimed[0]) return { ok: true, used: claimed[0].records, remaining: exportRecordLimit - claimed[0].records };
  const { used, remaining } = await exportAllowance(ctx);
  return { ok: false, requested: records, used, remaining };
}
