// A flag as every surface shows it, the reasons a person may give, and the one query that reads flags.
import type { ActionSurface, FlagStatus } from "@reckon/db";
import { type DiscrepancyCode, discrepancyCodes } from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import { z } from "zod";
import {
  type ActionRecordRow,
  actionRecordReader,
  instantOrNull,
  type Person,
  personOf,
  type SlackMessageRef,
  slackRefOf,
} from "../actions/actionRecord";
import { type MoneyJson, money } from "../money";

/** The surfaces and statuses as the schema states them, for callers that must not import the database package. */
export { type ActionSurface, actionSurfaces, type FlagStatus, flagStatuses } from "@reckon/db";

/** The discrepancy kinds (plan_change is an explanation, never a finding to flag) and "other". */
export type FlagReason = Exclude<DiscrepancyCode, "plan_change"> | "other";
const flaggableKinds = discrepancyCodes.filter(
  (code): code is Exclude<DiscrepancyCode, "plan_change"> => code !== "plan_change",
);
export const flagReasons: [FlagReason, ...FlagReason[]] = [flaggableKinds[0]!, ...flaggableKinds.slice(1), "other"];

/** ISO 4217 codes as this runtime knows them, so "XYZ" is refused and "usd" is read as USD. */
const isoCurrencies = new Set(Intl.supportedValuesOf("currency"));

/** Money on the wire: a positive amount in minor units as a decimal string, and an ISO 4217 code. */
export const moneyInput = z
  .object({
    minor: z.string().regex(/^(?!0+$)\d{1,18}$/, 'a positive whole number of minor units as a string, e.g. "520000"'),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine((code) => isoCurrencies.has(code), "an ISO 4217 currency code such as USD"),
  })
  .strict();

export type { Person };

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
  slackThread: SlackMessageRef | null;
}

export interface FlagRow extends ActionRecordRow {
  reason: FlagReason;
  note: string | null;
  amount_minor: string | null;
  currency: string | null;
  status: FlagStatus;
  raised_by: string | null;
  raised_by_name: string | null;
  raised_via: ActionSurface;
  resolved_by: string | null;
  resolved_by_name: string | null;
  resolved_at: Date | string | null;
  resolution: string | null;
  slack_channel_id: string | null;
  slack_thread_ts: string | null;
}

/** Flags joined to their account and people; `where` narrows it (tenant and visibility included). */
export const flagQuery = actionRecordReader(
  { table: "flags", alias: "f", people: ["raised_by", "resolved_by"] },
  sql`f.reason, f.note, f.amount_minor::text as amount_minor, f.currency, f.status, f.raised_by, f.raised_via,
      f.resolved_by, f.resolved_at, f.resolution, f.slack_channel_id, f.slack_thread_ts`,
);

export function toFlag(r: FlagRow): Flag {
  return {
    id: r.id,
    account: { id: r.account_id, name: r.account_name },
    reason: r.reason,
    note: r.note,
    amount: r.amount_minor !== null && r.currency ? money(r.amount_minor, r.currency) : null,
    status: r.status,
    raisedBy: personOf(r.raised_by, r.raised_by_name),
    raisedVia: r.raised_via,
    createdAt: new Date(r.created_at).toISOString(),
    resolvedBy: personOf(r.resolved_by, r.resolved_by_name),
    resolvedAt: instantOrNull(r.resolved_at),
    resolution: r.resolution,
    slackThread: slackRefOf(r.slack_channel_id, r.slack_thread_ts),
  };
}
