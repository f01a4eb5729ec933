// The accounts a portfolio-level read covers: the same owner / status / text filters as the portfolio grid.
import { queryRows, type TenantScope } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../access/actor";
import { visibleAccounts } from "../access/visibility";
import { isoDate } from "../validation";

const date = isoDate;

/** The filters as a plain object, for verbs that add their own fields. */
export const portfolioScopeFields = z.object({
  owner: z.string().uuid("an owner's user id").optional(),
  status: z.enum(["ok", "attention", "at_risk"]).optional(),
  q: z.string().trim().max(200).optional(),
  from: date.optional(),
  to: date.optional(),
});

export const datesInOrder = <T extends { from?: string | undefined; to?: string | undefined }>(v: T) =>
  !v.from || !v.to || v.from <= v.to;

export const portfolioScopeInput = portfolioScopeFields
  .strict()
  .refine(datesInOrder, { message: "from must not be after to", path: ["from"] });
export type PortfolioScopeInput = z.input<typeof portfolioScopeInput>;

export interface ScopedAccount {
  id: string;
  name: string;
  quickbooksCustomerId: string | null;
  stripeCustomerId: string | null;
  amplitudeGroupId: string | null;
}

/** Accounts matching the filters that the actor may see (all of the tenant's when none are given). */
export async function scopedAccounts(
  tenant: TenantScope,
  actor: Actor,
  filters: Pick<z.infer<typeof portfolioScopeInput>, "owner" | "status" | "q">,
): Promise<ScopedAccount[]> {
  const conditions: SQL[] = [sql`a.tenant_id = ${tenant.tenantId}::uuid`, visibleAccounts(actor, sql`a.owner_id`)];
  if (filters.owner) conditions.push(sql`a.owner_id = ${filters.owner}::uuid`);
  if (filters.status) conditions.push(sql`s.status = ${filters.status}`);
  if (filters.q) conditions.push(sql`a.name ilike ${`%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  const rows = await queryRows<{
    id: string;
    name: string;
    quickbooks_customer_id: string | null;
    stripe_customer_id: string | null;
    amplitude_group_id: string | null;
  }>(
    tenant.db,
    sql`select a.id, a.name, a.quickbooks_customer_id, a.stripe_customer_id, a.amplitude_group_id
        from accounts a left join account_summaries s on s.tenant_id = a.tenant_id and s.account_id = a.id
        where ${sql.join(conditions, sql` and `)} order by a.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    quickbooksCustomerId: r.quickbooks_customer_id,
    stripeCustomerId: r.stripe_customer_id,
    amplitudeGroupId: r.amplitude_group_id,
  }));
}

/** bigint -> decimal string, for JSON answers. */
export function jsonSafe<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
}
