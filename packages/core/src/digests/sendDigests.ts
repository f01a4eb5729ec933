// The quarter-end digests: for every tenant whose slot is due, the finance channel gets the portfolio and each
// account manager mapped to Slack gets their own accounts. A slot is claimed per recipient before it is sent, so two
// workers, a retried job or a second tick the same day never post it twice.
import { isSlackCallFailure, type PostedMessage, toSlackError } from "@reckon/connectors";
import { queryRows, tenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { type UserRow, userContext } from "../access/authenticate";
import { type ServiceContext, systemContext, type TenantContext } from "../context";
import { buildDigest, type DigestContent, visibleAccountCount } from "./buildDigest";
import { type DigestSlot, dueDigestSlot } from "./slots";

export type { DigestContent, DigestForecast, DigestList } from "./buildDigest";

/**
 * How a digest reaches Slack: the bot renders it (it owns the Block Kit; core never imports it) and posts it with
 * chat.postMessage to `channel`, a channel id or a user id (a direct message). Throws what the Web API threw, or a
 * SlackCallError (connectors): either tells an answer Slack refused from one that never came.
 */
export interface DigestPoster {
  postDigest(channel: string, content: DigestContent): Promise<PostedMessage>;
}

export interface DigestRunResult {
  /** Tenants whose slot was due. */
  tenants: number;
  sent: number;
  /** Recipients whose slot had been claimed already (sent by another worker or an earlier tick). */
  alreadySent: number;
  /** Not sent; the claim was released (Slack refused, or building it failed), so a later tick tries again. */
  failed: number;
  /** Posted without an answer from Slack: kept as sent, since it may have landed (at most once wins). */
  unanswered: number;
  /** Left for the next tick because Slack rate-limited this tenant's posts. */
  deferred: number;
}

interface Recipient {
  /** The digest_sends key: "channel:C..." or "user:<reckon user id>". */
  key: string;
  /** Where to post: the finance channel, or the account manager's Slack user id (a direct message). */
  channel: string;
  ctx: TenantContext;
}

interface Workspace {
  tenant_id: string;
  team_id: string;
  finance_channel_id: string | null;
  digest_days_before: number[];
  digest_hour: number;
  time_zone: string;
}

/** Claims (tenant, slot, recipient); true for the one caller that may send it. */
async function claim(base: ServiceContext, tenantId: string, slot: string, recipient: string): Promise<boolean> {
  const rows = await queryRows<{ slot: string }>(
    base.db,
    sql`insert into digest_sends (tenant_id, slot, recipient) values (${tenantId}::uuid, ${slot}, ${recipient})
        on conflict do nothing returning slot`,
  );
  return rows.length === 1;
}

const sendRow = (tenantId: string, slot: string, recipient: string) =>
  sql`tenant_id = ${tenantId}::uuid and slot = ${slot} and recipient = ${recipient}`;

/** The finance channel, then each account manager mapped to a Slack user of this workspace who owns accounts. */
async function recipientsOf(base: ServiceContext, w: Workspace, slot: DigestSlot): Promise<Recipient[]> {
  const tenant = tenantScope(base.db, w.tenant_id);
  const recipients: Recipient[] = [];
  if (w.finance_channel_id) {
    const ctx = systemContext(base, tenant);
    recipients.push({ key: `channel:${w.finance_channel_id}`, channel: w.finance_channel_id, ctx });
  }
  // Identities are "<team>:<user>"; a person mapped twice in one workspace gets one digest, at their first mapping.
  const managers = await queryRows<UserRow & { external_id: string }>(
    tenant.db,
    sql`select distinct on (u.id) u.tenant_id, u.id as user_id, u.role, u.name, u.email, i.external_id
        from users u join user_identities i on i.tenant_id = u.tenant_id and i.user_id = u.id and i.provider = 'slack'
        where u.tenant_id = ${tenant.tenantId}::uuid and u.role = 'account_manager' and u.disabled_at is null
          and i.external_id like ${`${w.team_id}:%`}
        order by u.id, i.created_at`,
  );
  for (const m of managers) {
    const ctx = userContext(base, m, "slack", `slack:${m.external_id}`, `digest:${slot.key}`);
    if ((await visibleAccountCount(ctx)) === 0) continue;
    recipients.push({ key: `user:${m.user_id}`, channel: m.external_id.slice(w.team_id.length + 1), ctx });
  }
  return recipients;
}

type Outcome = "sent" | "already_sent" | "failed" | "unanswered" | "rate_limited";

async function sendOne(
  base: ServiceContext,
  poster: DigestPoster,
  tenantId: string,
  slot: DigestSlot,
  r: Recipient,
): Promise<Outcome> {
  if (!(await claim(base, tenantId, slot.key, r.key))) return "already_sent";
  const row = sendRow(tenantId, slot.key, r.key);
  const log = base.log.child({ tenantId, slot: slot.key, recipient: r.key });
  let content: DigestContent;
  try {
    content = await buildDigest(r.ctx, slot);
  } catch (error) {
    log.error({ err: error }, "digest could not be built: claim released");
    await queryRows(base.db, sql`delete from digest_sends where ${row}`);
    return "failed";
  }
  try {
    const posted = await poster.postDigest(r.channel, content);
    await queryRows(
      base.db,
      sql`update digest_sends set sent_at = ${base.clock().toISOString()}::timestamptz, channel_id = ${posted.channel},
            message_ts = ${posted.ts}, error = null
          where ${row}`,
    );
    return "sent";
  } catch (error) {
    // Slack answered no, or the bot failed before asking (rendering): nothing was posted, so the claim goes and a
    // later tick the same day tries again. No answer at all may still have posted; Slack cannot tell us, and at most
    // once wins over at least once.
    if (!isSlackCallFailure(error)) {
      log.error({ err: error }, "digest could not be rendered: claim released");
      await queryRows(base.db, sql`delete from digest_sends where ${row}`);
      return "failed";
    }
    const failure = toSlackError("chat.postMessage", error);
    if (failure.answered) {
      log.warn({ err: failure }, "Slack refused the digest: claim released, the next tick tries again");
      await queryRows(base.db, sql`delete from digest_sends where ${row}`);
      return failure.kind === "rate_limited" ? "rate_limited" : "failed";
    }
    log.error({ err: failure }, "no answer from Slack: the digest counts as sent and is not posted again");
    await queryRows(base.db, sql`update digest_sends set error = ${failure.message.slice(0, 500)} where ${row}`);
    return "unanswered";
  }
}

/** One tick: every tenant's due slot, to every recipient not yet sent it. */
export async function sendDueDigests(base: ServiceContext, poster: DigestPoster): Promise<DigestRunResult> {
  const now = base.clock();
  const workspaces = await queryRows<Workspace>(
    base.db,
    sql`select w.tenant_id, w.team_id, w.finance_channel_id, w.digest_days_before, w.digest_hour, t.time_zone
        from slack_workspaces w join tenants t on t.id = w.tenant_id order by w.tenant_id`,
  );
  const result: DigestRunResult = { tenants: 0, sent: 0, alreadySent: 0, failed: 0, unanswered: 0, deferred: 0 };
  const broken: unknown[] = [];
  for (const w of workspaces) {
    try {
      await sendTenantDigests(base, poster, w, now, result);
    } catch (error) {
      // One tenant's trouble (a database error, a time zone Intl does not know) holds back no other tenant.
      base.log.error({ err: error, tenantId: w.tenant_id }, "digests of this tenant not sent");
      broken.push(error);
    }
  }
  // The job fails and is retried: the claims keep every digest already sent from going out again.
  if (broken.length > 0) throw broken[0];
  return result;
}

async function sendTenantDigests(
  base: ServiceContext,
  poster: DigestPoster,
  w: Workspace,
  now: Date,
  result: DigestRunResult,
): Promise<void> {
  const slot = dueDigestSlot(now, { daysBefore: w.digest_days_before, hour: w.digest_hour, timeZone: w.time_zone });
  if (!slot) return;
  result.tenants++;
  const recipients = await recipientsOf(base, w, slot);
  for (const [index, r] of recipients.entries()) {
    const outcome = await sendOne(base, poster, w.tenant_id, slot, r);
    if (outcome === "sent") result.sent++;
    else if (outcome === "already_sent") result.alreadySent++;
    else if (outcome === "unanswered") result.unanswered++;
    else result.failed++;
    // Slack asked us to slow down: the rest of this workspace waits for the next tick, unclaimed.
    if (outcome === "rate_limited") {
      result.deferred += recipients.length - index - 1;
      return;
    }
  }
}
