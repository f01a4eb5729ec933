// Who may act for a tenant: web sessions, API tokens, Slack/CRM identities mapped to users, and export allowances.
import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant, tenantId } from "../columns";
import { users } from "./tenants";

/** A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
    revokedAt: instant("revoked_at"),
  },
  (t) => [
    // Every request looks its session up by the cookie's hash.
    uniqueIndex("sessions_secret_key").on(t.secretHash),
  ],
);

/** A machine credential acting as one user. Shown once at creation; only its SHA-256 is stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the token, so people can tell their tokens apart in a list. */
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
  },
  (t) => [
    // Every token request looks its token up by hash.
    uniqueIndex("api_tokens_secret_key").on(t.secretHash),
    // A tenant's token list (admin) and a user's own.
    index("api_tokens_tenant_user_idx").on(t.tenantId, t.userId),
  ],
);

export const identityProviders = ["slack", "hubspot", "salesforce"] as const;
export type IdentityProvider = (typeof identityProviders)[number];

/** A Slack or CRM user an admin mapped to a Reckon user: requests from there act as that user. */
export const userIdentities = pgTable(
  "user_identities",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: identityProviders }).notNull(),
    /** Slack: "<team id>:<user id>"; HubSpot: "<portal id>:<user id>"; Salesforce: "<org id>:<user id>". */
    externalId: text("external_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "user_identities_pkey", columns: [t.tenantId, t.provider, t.externalId] }),
    // An outside user acts for exactly one Reckon user in one tenant; Slack and CRM requests look it up by this.
    uniqueIndex("user_identities_external_key").on(t.provider, t.externalId),
    // A user's identities (the users list shows them).
    index("user_identities_user_idx").on(t.tenantId, t.userId),
  ],
);

/** Records exported so far by one session (or a token's day): the brief caps a session at 100. */
export const exportAllowances = pgTable(
  "export_allowances",
  {
    tenantId: tenantId(),
    /** "session:<id>", "token:<id>:<UTC day>", "slack:<user id>:<UTC day>". */
    subject: text("subject").notNull(),
    records: integer("records").notNull().default(0),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "export_allowances_pkey", columns: [t.tenantId, t.subject] })],
);
