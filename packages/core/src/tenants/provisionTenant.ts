// Verb: create a tenant (or bring an existing one up to date) from its settings: owners, metrics, account links.
import { type Database, inTransaction, queryRows, type TenantScope, tenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { isoDate } from "../validation";

export const tenantSetupSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]{2,40}$/, "lower-case letters, digits and dashes"),
  name: z.string().min(1).max(200),
  baseCurrency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD"),
  thresholdBps: z.number().int().min(0).max(10_000),
  amplitudeGroupType: z.string().min(1),
  metrics: z.array(
    z.object({
      key: z.string().min(1),
      unit: z.string().min(1),
      eventType: z.string().min(1),
      quickbooksItemIds: z.array(z.string()),
    }),
  ),
  owners: z.array(z.object({ email: z.string().email(), name: z.string().min(1) })),
  /** Dated FX rates into the base currency. */
  fxRates: z
    .array(
      z.object({
        from: z.string().regex(/^[A-Z]{3}$/),
        to: z.string().regex(/^[A-Z]{3}$/),
        rate: z.string().regex(/^\d+(\.\d+)?$/, "a positive decimal"),
        effectiveOn: isoDate,
      }),
    )
    .default([]),
  accounts: z.array(
    z.object({
      name: z.string().min(1),
      ownerEmail: z.string().nullable(),
      quickbooksCustomerId: z.string().nullable(),
      stripeCustomerId: z.string().nullable(),
      amplitudeGroupId: z.string().nullable(),
    }),
  ),
});
export type TenantSetup = z.input<typeof tenantSetupSchema>;

/** Idempotent: running it again with the same setup changes nothing. Returns the tenant's scope. */
export async function provisionTenant({ db, input }: { db: Database; input: TenantSetup }): Promise<TenantScope> {
  const setup = tenantSetupSchema.parse(input);
  const [tenant] = await queryRows<{ id: string }>(
    db,
    sql`insert into tenants (slug, name, base_currency, threshold_bps, amplitude_group_type)
        values (${setup.slug}, ${setup.name}, ${setup.baseCurrency}, ${setup.thresholdBps}, ${setup.amplitudeGroupType})
        on conflict (slug) do update set name = excluded.name
        returning id`,
  );
  const scope = tenantScope(db, tenant!.id);
  await inTransaction(scope, async (tx) => {
    const t = tx.tenantId;
    for (const owner of setup.owners) {
      await queryRows(
        tx.db,
        sql`insert into users (tenant_id, email, name, role) values (${t}::uuid, ${owner.email}, ${owner.name}, 'account_manager')
            on conflict (tenant_id, email) do nothing`,
      );
    }
    for (const metric of setup.metrics) {
      await queryRows(
        tx.db,
        sql`insert into metrics (tenant_id, key, unit, event_type) values (${t}::uuid, ${metric.key}, ${metric.unit}, ${metric.eventType})
            on conflict (tenant_id, key) do update set unit = excluded.unit, event_type = excluded.event_type`,
      );
      for (const itemId of metric.quickbooksItemIds) {
        await queryRows(
          tx.db,
          sql`insert into item_metrics (tenant_id, quickbooks_item_id, metric) values (${t}::uuid, ${itemId}, ${metric.key})
              on conflict (tenant_id, quickbooks_item_id) do update set metric = excluded.metric`,
        );
      }
    }
    for (const rate of setup.fxRates) {
      await queryRows(
        tx.db,
        sql`insert into fx_rates (tenant_id, from_currency, to_currency, effective_on, rate)
            values (${t}::uuid, ${rate.from}, ${rate.to}, ${rate.effectiveOn}::date, ${rate.rate}::numeric)
            on conflict (tenant_id, from_currency, to_currency, effective_on) do update set rate = excluded.rate, updated_at = now()`,
      );
    }
    if (setup.accounts.length > 0) {
      // Links an admin confirmed: created up front so the sync's own linking only fills gaps.
      const rows = JSON.stringify(setup.accounts);
      await queryRows(
        tx.db,
        sql`insert into accounts (tenant_id, name, owner_id, quickbooks_customer_id, stripe_customer_id, amplitude_group_id, link_methods)
            select ${t}::uuid, r.name, u.id, r."quickbooksCustomerId", r."stripeCustomerId", r."amplitudeGroupId",
                   jsonb_strip_nulls(jsonb_build_object(
                     'quickbooks', case when r."quickbooksCustomerId" is not null then 'confirmed' end,
                     'stripe', case when r."stripeCustomerId" is not null then 'confirmed' end,
                     'amplitude', case when r."amplitudeGroupId" is not null then 'confirmed' end))
            from json_to_recordset(${rows}::json) as r(name text, "ownerEmail" text, "quickbooksCustomerId" text,
                                                        "stripeCustomerId" text, "amplitudeGroupId" text)
            left join users u on u.tenant_id = ${t}::uuid and lower(u.email) = lower(r."ownerEmail")
            where not exists (select 1 from accounts a where a.tenant_id = ${t}::uuid
                              and a.quickbooks_customer_id is not distinct from r."quickbooksCustomerId"
                              and a.name = r.name)
            on conflict do nothing`,
      );
    }
  });
  return scope;
}

/** The scope of an existing tenant by slug, or null. */
export async function findTenant(db: Database, slug: string): Promise<TenantScope | null> {
  const [row] = await queryRows<{ id: string }>(db, sql`select id from tenants where slug = ${slug}`);
  return row ? tenantScope(db, row.id) : null;
}
