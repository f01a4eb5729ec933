// Verb: the audit log, newest first, filtered by action, actor, target and time, paged by cursor.
import { queryRows } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import type { TenantContext } from "../context";
import { isoDate } from "../validation";
import { auditActions } from "./recordAudit";

export const listAuditInput = z
  .object({
    action: z.enum(auditActions).optional(),
    actor: z.string().uuid("a user id").optional(),
    targetType: z.string().max(50).optional(),
    targetId: z.string().max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(/^\d{1,19}$/, "a cursor from a previous page")
      .optional(),
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "from must not be after to", path: ["from"] });
export type ListAuditInput = z.input<typeof listAuditInput>;

export interface AuditRecord {
  id: string;
  at: string;
  actor: { kind: "user" | "system"; userId: string | null; name: string | null; via: string };
  action: string;
  target: { type: string; id: string } | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export async function listAudit({ ctx, input }: { ctx: TenantContext; input: ListAuditInput }) {
  authorize(ctx.actor, "audit.read");
  const filters = listAuditInput.parse(input);
  const conditions: SQL[] = [sql`l.tenant_id = ${ctx.tenant.tenantId}::uuid`];
  if (filters.action) conditions.push(sql`l.action = ${filters.action}`);
  if (filters.actor) conditions.push(sql`l.actor_user_id = ${filters.actor}::uuid`);
  if (filters.targetType) conditions.push(sql`l.target_type = ${filters.targetType}`);
  if (filters.targetId) conditions.push(sql`l.target_id = ${filters.targetId}`);
  if (filters.from) conditions.push(sql`l.at >= ${filters.from}::date`);
  if (filters.to) conditions.push(sql`l.at < ${filters.to}::date + 1`);
  if (filters.cursor) conditions.push(sql`l.id < ${filters.cursor}::bigint`);
  const rows = await queryRows<{
    id: string;
    at: Date | string;
    actor_kind: "user" | "system";
    actor_user_id: string | null;
    actor_name: string | null;
    via: string;
    action: string;
    target_type: string | null;
    target_id: string | null;
    request_id: string | null;
    details: Record<string, unknown>;
  }>(
    ctx.tenant.db,
    sql`select l.id::text as id, l.at, l.actor_kind, l.actor_user_id, u.name as actor_name, l.via, l.action,
               l.target_type, l.target_id, l.request_id, l.details
        from audit_log l left join users u on u.tenant_id = l.tenant_id and u.id = l.actor_user_id
        where ${sql.join(conditions, sql` and `)}
        order by l.id desc limit ${filters.limit + 1}`,
  );
  const page = rows.slice(0, filters.limit);
  const records: AuditRecord[] = page.map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: { kind: r.actor_kind, userId: r.actor_user_id, name: r.actor_name, via: r.via },
    action: r.action,
    target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
    requestId: r.request_id,
    details: r.details,
  }));
  return { records, nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null };
}
