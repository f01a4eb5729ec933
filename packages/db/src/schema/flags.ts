// Flags: a person's "this looks wrong" on an account, raised to finance from any surface, open until resolved.
import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { currency, instant, minor, tenantId } from "../columns";
import { accounts } from "./accounts";

export const flagStatuses = ["open", "resolved"] as const;
export type FlagStatus = (typeof flagStatuses)[number];
/** Where a flag or a payment retry request was raised: the API, the Slack bot, the web view or a CRM card. */
export const actionSurfaces = ["api", "slack", "web", "crm"] as const;
export type ActionSurface = (typeof actionSurfaces)[number];

export const flags = pgTable(
  "flags",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** A discrepancy kind (packages/reconcile/src/discrepancies/README.md) or "other"; checked by the verb. */
    reason: text("reason").notNull(),
    note: text("note"),
    /** Money the flag is about, when the person named it: both or neither. */
    amountMinor: minor("amount_minor"),
    currency: currency(),
    /** The user who raised it; a plain id so the flag outlives the user (as the audit log does). */
    raisedBy: uuid("raised_by"),
    raisedVia: text("raised_via", { enum: actionSurfaces }).notNull(),
    status: text("status", { enum: flagStatuses }).notNull().default("open"),
    resolvedBy: uuid("resolved_by"),
    resolvedAt: instant("resolved_at"),
    resolution: text("resolution"),
    /** The finance-channel thread the bot posted the flag in, once it has (null until then). */
    slackChannelId: text("slack_channel_id"),
    slackThreadTs: text("slack_thread_ts"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    // An account's flags newest first (GET /v1/accounts/{id}/flags), and its open ones on the account page.
    index("flags_account_idx").on(t.tenantId, t.accountId, t.createdAt, t.id),
    // A tenant's flags by status newest first: finance's queue (GET /v1/flags?status=open).
    index("flags_status_idx").on(t.tenantId, t.status, t.createdAt, t.id),
    // Open flags per account, counted on every portfolio row: a small partial index, read by account id.
    index("flags_open_account_idx").on(t.tenantId, t.accountId).where(sql`status = 'open'`),
    check("flags_status_check", sql`${t.status} in ('open', 'resolved')`),
    check("flags_resolved_check", sql`(${t.status} = 'resolved') = (${t.resolvedAt} is not null)`),
    check("flags_amount_check", sql`(${t.amountMinor} is null) = (${t.currency} is null)`),
  ],
);
