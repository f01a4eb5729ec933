// CRM: which HubSpot portal or Salesforce org a tenant connected (the cards' credential and the write-back's), and
// what Reckon last wrote on each linked record, so a write goes out only when a value changed.
import { index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant, tenantId, timestamps } from "../columns";
import { accounts } from "./accounts";

export const crmProviders = ["hubspot", "salesforce"] as const;
export type CrmProvider = (typeof crmProviders)[number];

export const crmConnections = pgTable(
  "crm_connections",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: crmProviders }).notNull(),
    /** HubSpot: the portal (hub) id; Salesforce: the 18-character org id. A portal or org belongs to one tenant. */
    externalId: text("external_id").notNull(),
    /** Non-secret settings: API and login base URLs, API version. */
    settings: jsonb("settings").$type<Record<string, string>>().notNull().default({}),
    /** Write-back credentials, sealed like source credentials (HubSpot access token; Salesforce client id/secret). */
    sealedSecrets: text("sealed_secrets"),
    /**
     * Salesforce: SHA-256 (hex) of the token its Named Credential sends, the card's credential; shown once, stored only
     * hashed. HubSpot cards are signed with the app's client secret instead (null).
     */
    cardTokenHash: text("card_token_hash"),
    status: text("status", { enum: ["connected", "needs_reconnect"] })
      .notNull()
      .default("connected"),
    /**
     * The write-back run that holds this CRM now, and until when: two workers never write the same change twice. A
     * worker that died leaves a claim that lapses at `writebackClaimedUntil`.
     */
    writebackClaim: text("writeback_claim"),
    writebackClaimedUntil: instant("writeback_claimed_until"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "crm_connections_pkey", columns: [t.tenantId, t.provider] }),
    uniqueIndex("crm_connections_external_key").on(t.provider, t.externalId),
    uniqueIndex("crm_connections_card_token_key").on(t.cardTokenHash),
  ],
);

/** The summary fields as Reckon last wrote them on a linked CRM record (one row per account and CRM). */
export const crmWritebacks = pgTable(
  "crm_writebacks",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: crmProviders }).notNull(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    recordId: text("record_id").notNull(),
    /** Field name to value, as sent. A write goes out when the values computed now differ from these. */
    fields: jsonb("fields").$type<Record<string, string | number | boolean | null>>().notNull(),
    writtenAt: instant("written_at").notNull().defaultNow(),
    /** The CRM's refusal of the last attempt for this record (kept until a write succeeds); null when it took it. */
    error: text("error"),
  },
  (t) => [
    primaryKey({ name: "crm_writebacks_pkey", columns: [t.tenantId, t.provider, t.accountId] }),
    index("crm_writebacks_record_idx").on(t.tenantId, t.provider, t.recordId),
  ],
);
