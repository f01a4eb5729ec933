// Accounts (one B2B client) with their links to each source, and every source customer, mapped or not.
import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { currency, instant, tenantId, timestamps } from "../columns";
import { users } from "./tenants";

export const linkMethods = ["explicit", "suggested", "confirmed"] as const;
export type LinkMethod = (typeof linkMethods)[number];
export type AccountLinks = Partial<
  Record<"stripe" | "quickbooks" | "amplitude" | "hubspot" | "salesforce", LinkMethod>
>;

export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId(),
    name: text("name").notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    quickbooksCustomerId: text("quickbooks_customer_id"),
    stripeCustomerId: text("stripe_customer_id"),
    amplitudeGroupId: text("amplitude_group_id"),
    salesforceAccountId: text("salesforce_account_id"),
    hubspotCompanyId: text("hubspot_company_id"),
    /** How each link was made: explicit id, a name/domain suggestion, or confirmed by an admin. */
    linkMethods: jsonb("link_methods").$type<AccountLinks>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    // A source record links to at most one account; these also serve the joins from source rows to accounts.
    uniqueIndex("accounts_quickbooks_key").on(t.tenantId, t.quickbooksCustomerId),
    uniqueIndex("accounts_stripe_key").on(t.tenantId, t.stripeCustomerId),
    uniqueIndex("accounts_amplitude_key").on(t.tenantId, t.amplitudeGroupId),
    // A CRM record shows one account's card; the cards find the account by it.
    uniqueIndex("accounts_salesforce_key").on(t.tenantId, t.salesforceAccountId),
    uniqueIndex("accounts_hubspot_key").on(t.tenantId, t.hubspotCompanyId),
    // An account manager's portfolio.
    index("accounts_owner_idx").on(t.tenantId, t.ownerId),
  ],
);

/** Customers as Stripe and QuickBooks hold them. account_id null = unmapped, kept and listed, never dropped. */
export const sourceCustomers = pgTable(
  "source_customers",
  {
    tenantId: tenantId(),
    source: text("source", { enum: ["stripe", "quickbooks"] }).notNull(),
    sourceId: text("source_id").notNull(),
    name: text("name").notNull(),
    email: text("email"),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    currency: currency(),
    deleted: boolean("deleted").notNull().default(false),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "set null" }),
    sourceUpdatedAt: instant("source_updated_at").notNull(),
    syncedAt: instant("synced_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "source_customers_pkey", columns: [t.tenantId, t.source, t.sourceId] }),
    // Lists unmapped records and an account's source customers.
    index("source_customers_account_idx").on(t.tenantId, t.accountId),
  ],
);
