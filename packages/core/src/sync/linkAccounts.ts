// Verb: link source records to accounts. Explicit ids first, then unique name / email-domain suggestions;
// anything else stays unmapped (kept, listed, never dropped).
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";

/** Runs after every customer sync. Set-based and idempotent: a second run changes nothing. */
export async function linkAccounts({ ctx }: { ctx: TenantContext }): Promise<void> {
  const t = ctx.tenant.tenantId;
  const db = ctx.tenant.db;
  // QuickBooks is the invoice of record: every active QuickBooks customer is an account.
  // A first sync fills these tables from nothing; without fresh statistics the planner picks nested loops for the
  // joins below and linking 12,000 accounts takes ~50 s instead of well under one (measured in the bench).
  const [fresh] = await queryRows<{ unlinked: number }>(
    db,
    sql`select count(*)::int as unlinked from source_customers where tenant_id = ${t}::uuid and account_id is null`,
  );
  if ((fresh?.unlinked ?? 0) >= 500) await queryRows(db, sql`analyze source_customers`);
  const created = await queryRows<{ id: string }>(
    db,
    sql`insert into accounts (tenant_id, name, quickbooks_customer_id, link_methods)
        select sc.tenant_id, sc.name, sc.source_id, '{"quickbooks":"explicit"}'::jsonb
        from source_customers sc
        where sc.tenant_id = ${t}::uuid and sc.source = 'quickbooks' and not sc.deleted
          and not exists (select 1 from accounts a where a.tenant_id = sc.tenant_id and a.quickbooks_customer_id = sc.source_id)
        on conflict do nothing
        returning id`,
  );
  if (created.length >= 500) await queryRows(db, sql`analyze accounts`);
  // Stripe customers that name their QuickBooks customer in metadata.
  await queryRows(
    db,
    sql`update accounts a set stripe_customer_id = sc.source_id,
          link_methods = a.link_methods || '{"stripe":"explicit"}'::jsonb, updated_at = now()
        from source_customers sc
        where sc.tenant_id = ${t}::uuid and a.tenant_id = sc.tenant_id and sc.source = 'stripe' and not sc.deleted
          and a.stripe_customer_id is null
          and a.quickbooks_customer_id = sc.metadata->>'quickbooks_customer_id'
          and not exists (select 1 from accounts o where o.tenant_id = sc.tenant_id and o.stripe_customer_id = sc.source_id)`,
  );
  // Suggestions: an unlinked Stripe customer whose normalized name or email domain matches exactly one account.
  await queryRows(
    db,
    sql`with unlinked as (
          select sc.source_id, lower(regexp_replace(sc.name, '[^a-zA-Z0-9]+', '', 'g')) as norm,
                 lower(split_part(sc.email, '@', 2)) as domain
          from source_customers sc
          where sc.tenant_id = ${t}::uuid and sc.source = 'stripe' and not sc.deleted
            and not exists (select 1 from accounts o where o.tenant_id = sc.tenant_id and o.stripe_customer_id = sc.source_id)),
        candidates as (
          select u.source_id, a.id as account_id
          from unlinked u
          join source_customers q on q.tenant_id = ${t}::uuid and q.source = 'quickbooks'
          join accounts a on a.tenant_id = q.tenant_id and a.quickbooks_customer_id = q.source_id and a.stripe_customer_id is null
          where u.norm <> '' and u.norm = lower(regexp_replace(q.name, '[^a-zA-Z0-9]+', '', 'g'))
             or (u.domain <> '' and u.domain = lower(split_part(q.email, '@', 2)))),
        unique_matches as (
          select source_id, min(account_id::text)::uuid as account_id from candidates
          group by source_id having count(distinct account_id) = 1)
        update accounts a set stripe_customer_id = m.source_id,
          link_methods = a.link_methods || '{"stripe":"suggested"}'::jsonb, updated_at = now()
        from unique_matches m
        where a.tenant_id = ${t}::uuid and a.id = m.account_id and a.stripe_customer_id is null
          and (select count(*) from unique_matches m2 where m2.account_id = m.account_id) = 1`,
  );
  // Amplitude groups named in Stripe customer metadata.
  await queryRows(
    db,
    sql`update accounts a set amplitude_group_id = sc.metadata->>'amplitude_org_id',
          link_methods = a.link_methods || '{"amplitude":"explicit"}'::jsonb, updated_at = now()
        from source_customers sc
        where sc.tenant_id = ${t}::uuid and a.tenant_id = sc.tenant_id and sc.source = 'stripe'
          and a.stripe_customer_id = sc.source_id and a.amplitude_group_id is null
          and coalesce(sc.metadata->>'amplitude_org_id', '') <> ''
          and not exists (select 1 from accounts o where o.tenant_id = a.tenant_id and o.amplitude_group_id = sc.metadata->>'amplitude_org_id')`,
  );
  // Owners named in Stripe metadata, when the account has none yet.
  await queryRows(
    db,
    sql`update accounts a set owner_id = u.id, updated_at = now()
        from source_customers sc, users u
        where sc.tenant_id = ${t}::uuid and a.tenant_id = sc.tenant_id and u.tenant_id = sc.tenant_id
          and sc.source = 'stripe' and a.stripe_customer_id = sc.source_id and a.owner_id is null
          and lower(u.email) = lower(sc.metadata->>'account_owner')`,
  );
  // Source customers point at their account (unmapped ones keep null).
  await queryRows(
    db,
    sql`update source_customers sc set account_id = a.id
        from accounts a
        where sc.tenant_id = ${t}::uuid and a.tenant_id = sc.tenant_id
          and ((sc.source = 'quickbooks' and a.quickbooks_customer_id = sc.source_id)
            or (sc.source = 'stripe' and a.stripe_customer_id = sc.source_id))
          and sc.account_id is distinct from a.id`,
  );
}
