// Slack: which workspace a tenant's bot answers in, where finance approves and reads digests, when digests go out,
// and the record that keeps a digest slot from being sent twice.
import { sql } from "drizzle-orm";
import { integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant, tenantId } from "../columns";

export const slackWorkspaces = pgTable(
  "slack_workspaces",
  {
    tenantId: tenantId().primaryKey(),
    /** Slack's team id (T...): a workspace belongs to one tenant. */
    teamId: text("team_id").notNull(),
    /** The finance channel (C...): approval requests, flags and the portfolio digest go here. */
    financeChannelId: text("finance_channel_id"),
    /** Days before quarter end a digest goes out, in the tenant's time zone (tenants.time_zone). */
    digestDaysBefore: integer("digest_days_before").array().notNull().default(sql`'{14,7,3,1}'::integer[]`),
    /** The tenant's local hour from which a due digest is sent. */
    digestHour: integer("digest_hour").notNull().default(9),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("slack_workspaces_team_key").on(t.teamId)],
);

/**
 * One row per digest slot and recipient, written before the message is sent: the insert that wins is the only send,
 * so two workers (or a retried job) never post one slot twice.
 */
export const digestSends = pgTable(
  "digest_sends",
  {
    tenantId: tenantId(),
    /** "2026-Q4:-7d" (see packages/core/src/digests/slots.ts). */
    slot: text("slot").notNull(),
    /** "channel:C..." for the finance channel, "user:<reckon user id>" for an account manager. */
    recipient: text("recipient").notNull(),
    claimedAt: instant("claimed_at").notNull().defaultNow(),
    sentAt: instant("sent_at"),
    /** The posted message (channel and ts), once sent. */
    channelId: text("channel_id"),
    messageTs: text("message_ts"),
    error: text("error"),
  },
  (t) => [primaryKey({ name: "digest_sends_pkey", columns: [t.tenantId, t.slot, t.recipient] })],
);
