// Tenants (one customer company of Reckon) and their users.
import { sql } from "drizzle-orm";
import { char, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// No imports from ../columns here: columns.ts references this table, so this module stays a leaf.
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    baseCurrency: char("base_currency", { length: 3 }).notNull().default("USD"),
    /** Usage-to-invoice tolerance in basis points: 500 = 5%. */
    thresholdBps: integer("threshold_bps").notNull().default(500),
    /** Amplitude group type that names a client, e.g. org_id. */
    amplitudeGroupType: text("amplitude_group_type").notNull().default("org_id"),
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    // Tenants are looked up by slug at sign-in and start-up.
    uniqueIndex("tenants_slug_key").on(t.slug),
  ],
);

export const userRoles = ["admin", "finance", "account_manager", "viewer"] as const;
export type UserRole = (typeof userRoles)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: userRoles }).notNull().default("account_manager"),
    /** scrypt hash (memory-hard), "scrypt$N$r$p$salt$hash"; null = cannot sign in to the web view. */
    passwordHash: text("password_hash"),
    /** A disabled user keeps their history (audit, ownership) but can no longer sign in or use tokens. */
    disabledAt: instant("disabled_at"),
    /** When the user dismissed the web view's first-login tour; null: show it. */
    tourDismissedAt: instant("tour_dismissed_at"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    // One user per email inside a tenant; account owners are matched by email.
    uniqueIndex("users_tenant_email_key").on(t.tenantId, t.email),
  ],
);
