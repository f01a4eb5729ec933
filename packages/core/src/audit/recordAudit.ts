// Writes one audit row for what an actor did: the only way anything enters the append-only audit log.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";

export const auditActions = [
  "session.signed_in",
  "session.sign_in_failed",
  "session.signed_out",
  "token.created",
  "token.revoked",
  "token.used",
  "export.created",
  "export.refused",
  "settings.updated",
  /** The tenant's Slack workspace, finance channel or digest schedule. */
  "slack_settings.updated",
  "fx_rates.updated",
  "item_mapping.updated",
  "account_link.confirmed",
  "connection.updated",
  /** A HubSpot portal or Salesforce org connected (card credential, write-back credentials). */
  "crm_connection.updated",
  "user.created",
  "user.updated",
  "identity.mapped",
  "identity.unmapped",
  "sync.requested",
  "sync.resolved",
  "payment_retry.requested",
  "payment_retry.approved",
  "payment_retry.rejected",
  /** An approval whose Stripe call got no answer (or whose process died) was run again with the same key. */
  "payment_retry.resumed",
  "payment_retry.succeeded",
  "payment_retry.failed",
  /** Approved after the payment had been made by other means: nothing was charged. */
  "payment_retry.cancelled",
  "flag.created",
  "flag.resolved",
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  action: AuditAction;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

/** Records what `ctx.actor` did. Pass a transaction's context to make the record part of the change it describes. */
export async function recordAudit(ctx: TenantContext, entry: AuditEntry): Promise<void> {
  const actor = ctx.actor;
  await queryRows(
    ctx.tenant.db,
    sql`insert into audit_log (tenant_id, actor_kind, actor_user_id, via, action, target_type, target_id, request_id, details, at)
        values (${ctx.tenant.tenantId}::uuid, ${actor.kind}, ${actor.kind === "user" ? actor.userId : null}::uuid,
                ${actor.via}, ${entry.action}, ${entry.target?.type ?? null}, ${entry.target?.id ?? null},
                ${ctx.requestId ?? null}, ${JSON.stringify(entry.details ?? {})}::jsonb, ${ctx.clock().toISOString()}::timestamptz)`,
  );
}
