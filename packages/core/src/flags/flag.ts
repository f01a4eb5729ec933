// A flag as every surface shows it, the reasons a person may give, and the one query that reads flags.
import type { ActionSurface, FlagStatus } from "@reckon/db";
import { type DiscrepancyCode, discrepancyCodes } from "@reckon/reconcile";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type MoneyJson, money } from "../money";

/** The surfaces and statuses as the schema states them, for callers that must not import the database package. */
export { type ActionSurface, actionSurfaces, type FlagStatus, flagStatuses } from "@reckon/db";

/** The discrepancy kinds (plan_change is an explanation, never a finding to flag) and "other". */
export type FlagReason = Exclude<DiscrepancyCode, "plan_change"> | "other";
const flaggableKinds = discrepancyCodes.filter(
  (code): code is Exclude<DiscrepancyCode, "plan_change"> => code !== "plan_change",
);
export const flagReasons: [FlagReason, ...FlagReason[]] = [flaggableKinds[0]!, ...flaggableKinds.slice(1), "other"];

/** Money on the wire: minor units as a decimal string, and an ISO 4217 code. */
export const moneyInput = z
  .object({
    minor: z.string().regex(/^\d{1,18}$/, 'whole minor units as a decimal string, e.g. "520000"'),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD"),
  })
  .strict();

export interface Person {
  id: string;
  name: string;
}

export interface Flag {
  id: string;
  account: { id: string; name: string };
  reason: FlagReason;
  note: string | null;
  amount: MoneyJson | null;
  status: FlagStatus;
  raisedBy: Person | null;
  raisedVia: ActionSurface;
  createdAt: string;
  resolvedBy: Person | null;
  resolvedAt: string | null;
  resolution: string | null;
  /** The finance-channel thread the bot posted it in, once it has. */
  slackThread: { channelId: string; ts: string } | null;
}

export interface FlagRow {
  id: string;
  account_id: string;
  account_name: string;
  reason: FlagReason;
  note: string | null;
  amount_minor: string | null;
  currency: string | null;
  status: FlagStatus;
  raised_by: string | null;
  raised_by_name: string | null;
  raised_via: ActionSurface;
  created_at: Date | string;
  resolved_by: string | null;
  resolved_by_name: string | null;
  resolved_at: Date | string | null;
  resolution: string | null;
  slack_channel_id: string | null;
  slack_thread_ts: string | null;
  /** The keyset position: created_at to the microsecond, as text. */
  sort_value: string;
}

/** Flags of the tenant joined to their account and people; `where` narrows it (tenant and visibility included). */
export function flagQuery(where: SQL, tail: SQL = sql``): SQL {
  return sql`select f.id, f.account_id, a.name as account_name, f.reason, f.note, f.amount_minor::text as amount_minor,
                    f.currency, f.status, f.raised_by, rb.name as raised_by_name, f.raised_via, f.created_at,
                    f.resolved_by, rs.name as resolved_by_name, f.resolved_at, f.resolution, f.slack_channel_id,
                    f.slack_thread_ts,
                    to_char(f.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_value
             from flags f
             join accounts a on a.tenant_id = f.tenant_id and a.id = f.account_id
             left join users rb on rb.tenant_id = f.tenant_id and rb.id = f.raised_by
             left join users rs on rs.tenant_id = f.tenant_id and rs.id = f.resolved_by
             where ${where} ${tail}`;
}

const person = (id: string | null, name: string | null): Person | null => (id ? { id, name: name ?? "" } : null);
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toFlag(r: FlagRow): Flag {
  return {
    id: r.id,
    account: { id: r.account_id, name: r.account_name },
    reason: r.reason,
    note: r.note,
    amount: r.amount_minor !== null && r.currency ? money(r.amount_minor, r.currency) : null,
    status: r.status,
    raisedBy: person(r.raised_by, r.raised_by_name),
    raisedVia: r.raised_via,
    createdAt: new Date(r.created_at).toISOString(),
    resolvedBy: person(r.resolved_by, r.resolved_by_name),
    resolvedAt: iso(r.resolved_at),
    resolution: r.resolution,
    slackThread:
      r.slack_channel_id && r.slack_thread_ts ? { channelId: r.slack_channel_id, ts: r.slack_thread_ts } : null,
  };
}
