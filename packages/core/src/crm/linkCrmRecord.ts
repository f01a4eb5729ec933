// Linking an account to its CRM record: by the record's explicit id (the QuickBooks customer id custom field) when the
// card or the link sweep sees one, or by an admin confirming a suggestion from the card.
import { type CrmProvider, queryRows } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { salesforceId18 } from "./connectCrm";

/** The accounts column holding each CRM's record id. */
export function crmAccountColumn(provider: CrmProvider): SQL {
  return provider === "hubspot" ? sql.raw("hubspot_company_id") : sql.raw("salesforce_account_id");
}

const recordKey = (provider: CrmProvider, recordId: string) =>
  provider === "salesforce" ? salesforceId18(recordId) : recordId;

/**
 * Links the record to the account whose QuickBooks customer id it names, when neither is linked yet (method
 * "explicit"). Answers the account's id, or null when no such account exists or either side is linked elsewhere.
 */
export async function linkCrmRecordById(
  ctx: TenantContext,
  provider: CrmProvider,
  recordId: string,
  quickbooksCustomerId: string,
): Promise<string | null> {
  const column = crmAccountColumn(provider);
  const t = ctx.tenant.tenantId;
  const key = recordKey(provider, recordId);
  const rows = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`update accounts a set ${column} = ${key},
          link_methods = a.link_methods || jsonb_build_object(${provider}::text, 'explicit'), updated_at = now()
        where a.tenant_id = ${t}::uuid and a.quickbooks_customer_id = ${quickbooksCustomerId} and a.${column} is null
          and not exists (select 1 from accounts o where o.tenant_id = a.tenant_id and o.${column} = ${key})
        returning a.id`,
  );
  return rows[0]?.id ?? null;
}

export const linkCrmRecordBody = z.object({ accountId: z.string().uuid("an account id (uuid)") }).strict();

export type LinkCrmRecordResult =
  | { ok: true; account: { id: string; name: string }; replaced: string | null }
  | { ok: false; reason: "account_not_found" | "linked_elsewhere"; account?: { id: string; name: string } };

/** Admin: this CRM record is this account's (method "confirmed"; replaces the account's previous record, if any). */
export async function linkCrmRecord({
  ctx,
  provider,
  recordId,
  input,
}: {
  ctx: TenantContext;
  provider: CrmProvider;
  recordId: string;
  input: z.input<typeof linkCrmRecordBody>;
}): Promise<LinkCrmRecordResult> {
  authorize(ctx.actor, "settings.manage");
  const { accountId } = linkCrmRecordBody.parse(input);
  const column = crmAccountColumn(provider);
  const t = ctx.tenant.tenantId;
  const key = recordKey(provider, recordId);
  const [holder] = await queryRows<{ id: string; name: string }>(
    ctx.tenant.db,
    sql`select id, name from accounts where tenant_id = ${t}::uuid and ${column} = ${key}`,
  );
  if (holder && holder.id !== accountId) {
    return { ok: false, reason: "linked_elsewhere", account: { id: holder.id, name: holder.name } };
  }
  const [before] = await queryRows<{ id: string; name: string; previous: string | null }>(
    ctx.tenant.db,
    sql`select id, name, ${column} as previous from accounts where tenant_id = ${t}::uuid and id = ${accountId}::uuid`,
  );
  if (!before) return { ok: false, reason: "account_not_found" };
  await queryRows(
    ctx.tenant.db,
    sql`update accounts set ${column} = ${key},
          link_methods = link_methods || jsonb_build_object(${provider}::text, 'confirmed'), updated_at = now()
        where tenant_id = ${t}::uuid and id = ${accountId}::uuid`,
  );
  const replaced = before.previous !== null && before.previous !== key ? before.previous : null;
  // The record the account leaves no longer carries its numbers from here on: forget what was written there.
  if (replaced) {
    await queryRows(
      ctx.tenant.db,
      sql`delete from crm_writebacks where tenant_id = ${t}::uuid and provider = ${provider}
            and account_id = ${accountId}::uuid`,
    );
  }
  await recordAudit(ctx, {
    action: "account_link.confirmed",
    target: { type: "account", id: accountId },
    details: { source: provider, sourceId: key, replaced },
  });
  return { ok: true, account: { id: before.id, name: before.name }, replaced };
}

/** What the link sweep needs of a CRM connector: the records whose explicit-id field is set, a page at a time. */
export interface CrmRecordLister {
  listLinkedRecords(): AsyncIterable<Array<{ recordId: string; explicitId: string | null }>>;
}

/**
 * Links every record whose explicit-id field names an account's QuickBooks customer, where neither side is linked yet
 * (one set-based update per page). Records naming no account, or an account linked to another record, are left as
 * they are: the card shows them unlinked and an admin decides.
 */
export async function sweepCrmLinks(
  ctx: TenantContext,
  provider: CrmProvider,
  lister: CrmRecordLister,
): Promise<{ seen: number; linked: number }> {
  const column = crmAccountColumn(provider);
  const t = ctx.tenant.tenantId;
  let seen = 0;
  let linked = 0;
  for await (const page of lister.listLinkedRecords()) {
    seen += page.length;
    const pairs = page.flatMap((r) =>
      r.explicitId ? [{ record_id: recordKey(provider, r.recordId), qbo: r.explicitId.trim() }] : [],
    );
    if (pairs.length === 0) continue;
    const rows = await queryRows<{ id: string }>(
      ctx.tenant.db,
      sql`with pairs as (
            select distinct on (p.qbo) p.record_id, p.qbo
            from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as p(record_id text, qbo text)
            order by p.qbo, p.record_id)
          update accounts a set ${column} = p.record_id,
            link_methods = a.link_methods || jsonb_build_object(${provider}::text, 'explicit'), updated_at = now()
          from pairs p
          where a.tenant_id = ${t}::uuid and a.quickbooks_customer_id = p.qbo and a.${column} is null
            and not exists (select 1 from accounts o where o.tenant_id = a.tenant_id and o.${column} = p.record_id)
            and (select count(*) from pairs q where q.record_id = p.record_id) = 1
          returning a.id`,
    );
    linked += rows.length;
  }
  return { seen, linked };
}

/** The account a CRM record is linked to, or null (the caller's visibility is checked by the verb it calls next). */
export async function findCrmAccount(
  ctx: TenantContext,
  provider: CrmProvider,
  recordId: string,
): Promise<string | null> {
  const [row] = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`select id from accounts where tenant_id = ${ctx.tenant.tenantId}::uuid
          and ${crmAccountColumn(provider)} = ${recordKey(provider, recordId)}`,
  );
  return row?.id ?? null;
}
