// What flags and payment retry requests share: both are a person's action on an account, read with the account and
// the people on it, narrowed to the accounts the actor may see, paged newest first, and tied to Slack messages.
import { queryRows } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../access/actor";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";
import { decodeCursor, encodeCursor } from "../portfolio/cursor";

export interface Person {
  id: string;
  name: string;
}

/** A message the Slack bot posted: its channel and timestamp. */
export interface SlackMessageRef {
  channelId: string;
  ts: string;
}

/** Slack's ids: a channel (C..., G... or D...) and a message timestamp ("1712345678.123456"). */
export const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,30}$/, "a Slack channel id such as C0123ABC");
export const slackTs = z.string().regex(/^\d{1,12}\.\d{1,8}$/, "a Slack message ts such as 1712345678.123456");

/** The user an action is recorded for; null when the system acts (a job). */
export const actingUserId = (actor: Actor): string | null => (actor.kind === "user" ? actor.userId : null);

export const personOf = (id: string | null, name: string | null): Person | null =>
  id ? { id, name: name ?? "" } : null;
export const instantOrNull = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();
export const slackRefOf = (channelId: string | null, ts: string | null): SlackMessageRef | null =>
  channelId && ts ? { channelId, ts } : null;

/**
 * The account with `columns` (of `accounts a`), when it is this tenant's and the actor may see it (account managers:
 * their own portfolio); null otherwise, so another tenant's id and a colleague's account answer the same.
 */
export async function visibleAccount<T extends object = { id: string }>(
  ctx: TenantContext,
  db: TenantContext["tenant"]["db"],
  accountId: string,
  columns: SQL = sql`a.id`,
): Promise<T | null> {
  const [account] = await queryRows<T>(
    db,
    sql`select ${columns} from accounts a
        where a.tenant_id = ${ctx.tenant.tenantId}::uuid and a.id = ${accountId}::uuid
          and ${visibleAccounts(ctx.actor, sql`a.owner_id`)}`,
  );
  return account ?? null;
}

/**
 * The record `alias` (`f`, `r`) is one of this tenant's, on an account the actor may see: for statements that do not
 * join the account (updates).
 */
export function onVisibleAccount(ctx: TenantContext, alias: "f" | "r"): SQL {
  const record = sql.raw(alias);
  return sql`${record}.tenant_id = ${ctx.tenant.tenantId}::uuid
             and exists (select 1 from accounts a where a.tenant_id = ${record}.tenant_id and a.id = ${record}.account_id
                         and ${visibleAccounts(ctx.actor, sql`a.owner_id`)})`;
}

/** An action table with its alias and the columns that name people (each read with the user's name, `<column>_name`). */
export interface ActionTable {
  table: "flags" | "payment_retry_requests";
  alias: "f" | "r";
  people: readonly string[];
}

/** What every row an action query reads has, besides the table's own `columns`. */
export interface ActionRecordRow {
  id: string;
  account_id: string;
  account_name: string;
  created_at: Date | string;
  /** The keyset position: created_at to the microsecond, as text. */
  sort_value: string;
}

/**
 * The one query that reads an action table: `columns` of its rows joined to their account (`a`, whose name is
 * `account_name`) and people, with the keyset position `sort_value`. The reader's `where` narrows it (tenant and
 * visibility included); `tail` orders and limits it.
 */
export function actionRecordReader(from: ActionTable, columns: SQL): (where: SQL, tail?: SQL) => SQL {
  const r = sql.raw(from.alias);
  const people = from.people.map((column, i) => {
    const u = sql.raw(`u${i}`);
    return {
      name: sql`, ${u}.name as ${sql.raw(`${column}_name`)}`,
      join: sql` left join users ${u} on ${u}.tenant_id = ${r}.tenant_id and ${u}.id = ${r}.${sql.raw(column)}`,
    };
  });
  const names = sql.join(people.map((p) => p.name));
  const joins = sql.join(people.map((p) => p.join));
  return (where, tail = sql``) =>
    sql`select ${r}.id, ${r}.account_id, ${r}.created_at, ${columns}, a.name as account_name${names},
               to_char(${r}.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_value
        from ${sql.raw(from.table)} ${r}
        join accounts a on a.tenant_id = ${r}.tenant_id and a.id = ${r}.account_id${joins}
        where ${where} ${tail}`;
}

/** The filters every newest-first list takes. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

const newestFirstSort = "-created";

/**
 * Keyset paging newest first by (created_at, id) of `alias`: the condition the cursor adds (null on the first page),
 * the order and limit to append, and the page of what came back.
 */
export function newestFirst(alias: "f" | "r", filters: { limit: number; cursor?: string | undefined }) {
  const r = sql.raw(alias);
  const after = filters.cursor ? decodeCursor(filters.cursor, newestFirstSort) : null;
  return {
    after: after ? sql`(${r}.created_at, ${r}.id) < (${String(after.value)}::timestamptz, ${after.id}::uuid)` : null,
    tail: sql`order by ${r}.created_at desc, ${r}.id desc limit ${filters.limit + 1}`,
    page<R extends { id: string; sort_value: string }>(rows: R[]): { rows: R[]; nextCursor: string | null } {
      const page = rows.slice(0, filters.limit);
      const last = page.at(-1);
      const more = rows.length > filters.limit && last;
      return { rows: page, nextCursor: more ? encodeCursor(newestFirstSort, last.sort_value, last.id) : null };
    },
  };
}
