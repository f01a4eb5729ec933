// Verb (admin): links waiting for a human: suggested links to confirm, and unlinked source records with the one
// account they resemble (same normalized name or email domain), when exactly one does.
import { queryRows } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import type { TenantContext } from "../context";

export const linkSources = ["stripe", "quickbooks", "amplitude"] as const;
export type LinkSource = (typeof linkSources)[number];

export const listLinkSuggestionsInput = z
  .object({ limit: z.coerce.number().int().min(1).max(1000).default(200) })
  .strict();
export type ListLinkSuggestionsInput = z.input<typeof listLinkSuggestionsInput>;

export interface AccountRef {
  id: string;
  name: string;
}

export interface SuggestedLink {
  account: AccountRef;
  source: LinkSource;
  sourceId: string;
  /** The source's name for the record (Stripe / QuickBooks customers); null for Amplitude groups. */
  sourceName: string | null;
}

export interface UnlinkedRecord {
  source: LinkSource;
  sourceId: string;
  name: string | null;
  email: string | null;
  /** The one account without a link for this source whose name or email domain matches; null if none or several. */
  suggestedAccount: AccountRef | null;
}

export interface LinkSuggestions {
  suggested: SuggestedLink[];
  unlinked: UnlinkedRecord[];
  /** Totals before `limit`. */
  counts: { suggested: number; unlinked: number };
}

const linkColumn = sql`case l.key when 'stripe' then a.stripe_customer_id
                                  when 'quickbooks' then a.quickbooks_customer_id
                                  else a.amplitude_group_id end`;
/** Same normalization as linkAccounts: letters and digits only, lower case; and the email's domain. */
const norm = (column: SQL) => sql`lower(regexp_replace(${column}, '[^a-zA-Z0-9]+', '', 'g'))`;
const domain = (column: SQL) => sql`lower(split_part(coalesce(${column}, ''), '@', 2))`;

export async function listLinkSuggestions({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListLinkSuggestionsInput;
}): Promise<LinkSuggestions> {
  authorize(ctx.actor, "settings.manage");
  const { limit } = listLinkSuggestionsInput.parse(input);
  const t = ctx.tenant.tenantId;
  const suggested = await queryRows<{
    account_id: string;
    account_name: string;
    source: LinkSource;
    source_id: string;
    source_name: string | null;
    total: number;
  }>(
    ctx.tenant.db,
    sql`select a.id as account_id, a.name as account_name, l.key as source, ${linkColumn} as source_id,
               sc.name as source_name, (count(*) over ())::int as total
        from accounts a
        cross join lateral jsonb_each_text(a.link_methods) l
        left join source_customers sc on sc.tenant_id = a.tenant_id and sc.source = l.key and sc.source_id = ${linkColumn}
        where a.tenant_id = ${t}::uuid and l.value = 'suggested' and ${linkColumn} is not null
        order by lower(a.name), a.id, l.key
        limit ${limit}`,
  );
  const unlinked = await queryRows<{
    source: LinkSource;
    source_id: string;
    name: string | null;
    email: string | null;
    account_id: string | null;
    account_name: string | null;
    total: number;
  }>(
    ctx.tenant.db,
    sql`with unlinked as (
          select sc.source, sc.source_id, sc.name, sc.email, ${norm(sql`sc.name`)} as norm, ${domain(sql`sc.email`)} as domain
          from source_customers sc
          where sc.tenant_id = ${t}::uuid and sc.account_id is null and not sc.deleted),
        -- What an account is known by: its own name, and the names and email domains of the customers linked to it.
        known as (
          select a.id as account_id, ${norm(sql`a.name`)} as norm, '' as domain
          from accounts a where a.tenant_id = ${t}::uuid
          union
          select c.account_id, ${norm(sql`c.name`)}, ${domain(sql`c.email`)}
          from source_customers c where c.tenant_id = ${t}::uuid and c.account_id is not null),
        candidates as (
          select u.source, u.source_id, k.account_id from unlinked u join known k on u.norm <> '' and k.norm = u.norm
          union
          select u.source, u.source_id, k.account_id from unlinked u join known k on u.domain <> '' and k.domain = u.domain),
        -- Only accounts with that source's link still open, as linkAccounts suggests.
        open_candidates as (
          select c.* from candidates c join accounts a on a.tenant_id = ${t}::uuid and a.id = c.account_id
          where (c.source = 'stripe' and a.stripe_customer_id is null)
             or (c.source = 'quickbooks' and a.quickbooks_customer_id is null)),
        unique_matches as (
          select source, source_id, min(account_id::text)::uuid as account_id from open_candidates
          group by source, source_id having count(distinct account_id) = 1),
        records as (
          select u.source, u.source_id, u.name, u.email, m.account_id
          from unlinked u left join unique_matches m on m.source = u.source and m.source_id = u.source_id
          union all
          -- Amplitude groups with usage and no account: nothing to match them by but their id.
          select 'amplitude', d.group_id, null, null, null::uuid
          from usage_daily d
          where d.tenant_id = ${t}::uuid
            and not exists (select 1 from accounts o where o.tenant_id = d.tenant_id and o.amplitude_group_id = d.group_id)
          group by d.group_id)
        select r.source, r.source_id, r.name, r.email, r.account_id, a.name as account_name,
               (count(*) over ())::int as total
        from records r left join accounts a on a.tenant_id = ${t}::uuid and a.id = r.account_id
        order by r.source, lower(coalesce(r.name, r.source_id)), r.source_id
        limit ${limit}`,
  );
  return {
    suggested: suggested.map((r) => ({
      account: { id: r.account_id, name: r.account_name },
      source: r.source,
      sourceId: r.source_id,
      sourceName: r.source_name,
    })),
    unlinked: unlinked.map((r) => ({
      source: r.source,
      sourceId: r.source_id,
      name: r.name,
      email: r.email,
      suggestedAccount: r.account_id && r.account_name ? { id: r.account_id, name: r.account_name } : null,
    })),
    counts: { suggested: suggested[0]?.total ?? 0, unlinked: unlinked[0]?.total ?? 0 },
  };
}
