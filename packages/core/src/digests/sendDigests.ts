// The quarter-end digests: for every tenant whose slot is due, the finance channel gets the portfolio and each
// account manager mapped to Slack gets their own accounts. A slot is claimed per recipient before it is sent, so two
// workers, a retried job or a second tick the same day never post it twice.
import { queryRows, tenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { type UserRow, userContext } from "../access/authenticate";
import { type ServiceContext, systemContext, type TenantContext } from "../context";
import { listPortfolio, type PortfolioRow } from "../portfolio/listPortfolio";
import { type DigestSlot, dueDigestSlot } from "./slots";

/** What posting a digest needs from Slack (chat.postMessage); the connector implements it over @slack/web-api. */
export interface SlackPoster {
  postMessage(message: { channel: string; text: string; blocks: unknown[] }): Promise<{ channel: string; ts: string }>;
}

export interface DigestContent {
  slot: DigestSlot;
  audience: "finance" | "account_manager";
  atRisk: PortfolioRow[];
  unreconciled: PortfolioRow[];
  overdue: PortfolioRow[];
  counts: { atRisk: number; unreconciled: number; overdue: number };
}

export interface DigestRunResult {
  tenants: number;
  sent: number;
  /** Recipients whose slot had been claimed already (sent by another worker or an earlier tick). */
  alreadySent: number;
  failed: number;
}

async function countAndTop(ctx: TenantContext, input: Parameters<typeof listPortfolio>[0]["input"]) {
  const page = await listPortfolio({ ctx, input: { ...input, limit: 200 } });
  return { top: page.rows.slice(0, 5), count: page.rows.length, more: page.nextCursor !== null };
}

/** The digest's numbers for one reader: the whole portfolio (finance) or an account manager's own accounts. */
export async function buildDigest(ctx: TenantContext, slot: DigestSlot): Promise<DigestContent> {
  const [atRisk, unreconciled, overdue] = await Promise.all([
    countAndTop(ctx, { status: "at_risk", sort: "-outstanding" }),
    countAndTop(ctx, { status: "attention", sort: "-discrepancies" }),
    countAndTop(ctx, { overdue: "true", sort: "-outstanding" }),
  ]);
  return {
    slot,
    audience: ctx.actor.kind === "user" && ctx.actor.role === "account_manager" ? "account_manager" : "finance",
    atRisk: atRisk.top,
    unreconciled: unreconciled.top,
    overdue: overdue.top,
    counts: { atRisk: atRisk.count, unreconciled: unreconciled.count, overdue: overdue.count },
  };
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

export async function sendDueDigests(
  base: ServiceContext,
  deps: {
    slack: SlackPoster;
    render: (content: DigestContent) => { text: string; blocks: unknown[] };
  },
): Promise<DigestRunResult> {
  const now = base.clock();
  const workspaces = await queryRows<{
    tenant_id: string;
    team_id: string;
    finance_channel_id: string | null;
    digest_days_before: number[];
    digest_hour: number;
    time_zone: string;
  }>(
    base.db,
    sql`select w.tenant_id, w.team_id, w.finance_channel_id, w.digest_days_before, w.digest_hour, t.time_zone
        from slack_workspaces w join tenants t on t.id = w.tenant_id order by w.tenant_id`,
  );
  const result: DigestRunResult = { tenants: 0, sent: 0, alreadySent: 0, failed: 0 };
  for (const w of workspaces) {
    const slot = dueDigestSlot(now, { daysBefore: w.digest_days_before, hour: w.digest_hour, timeZone: w.time_zone });
    if (!slot) continue;
    result.tenants++;
    const tenant = tenantScope(base.db, w.tenant_id);
    const recipients: Array<{ key: string; channel: string; ctx: TenantContext }> = [];
    if (w.finance_channel_id) {
      recipients.push({
        key: `channel:${w.finance_channel_id}`,
        channel: w.finance_channel_id,
        ctx: systemContext(base, tenant),
      });
    }
    const managers = await queryRows<UserRow & { external_id: string }>(
      base.db,
      sql`select u.tenant_id, u.id as user_id, u.role, u.name, u.email, i.external_id
          from users u join user_identities i on i.user_id = u.id and i.tenant_id = u.tenant_id and i.provider = 'slack'
          where u.tenant_id = ${w.tenant_id}::uuid and u.role = 'account_manager' and u.disabled_at is null
            and i.external_id like ${`${w.team_id}:%`}
          order by u.id`,
    );
    for (const m of managers) {
      const slackUser = m.external_id.slice(w.team_id.length + 1);
      recipients.push({
        key: `user:${m.user_id}`,
        channel: slackUser,
        ctx: userContext(base, m, "slack", `slack:${m.external_id}`, `digest:${slot.key}`),
      });
    }
    for (const r of recipients) {
      if (!(await claim(base, w.tenant_id, slot.key, r.key))) {
        result.alreadySent++;
        continue;
      }
      let sending = false;
      try {
        const message = deps.render(await buildDigest(r.ctx, slot));
        sending = true;
        const posted = await deps.slack.postMessage({ channel: r.channel, ...message });
        await queryRows(
          base.db,
          sql`update digest_sends set sent_at = ${base.clock().toISOString()}::timestamptz, channel_id = ${posted.channel},
                message_ts = ${posted.ts}, error = null
              where tenant_id = ${w.tenant_id}::uuid and slot = ${slot.key} and recipient = ${r.key}`,
        );
        result.sent++;
      } catch (error) {
        // Slack refused, or it was never sent (building it failed): the claim goes, so a later tick the same day tries again. An answer
        // that never came back may still have posted; Slack cannot tell us, and at most once wins over at least once.
        result.failed++;
        const unsent = !sending || isSlackRefusal(error);
        base.log.warn({ err: error, tenantId: w.tenant_id, slot: slot.key, recipient: r.key }, "digest not sent");
        await queryRows(
          base.db,
          unsent
            ? sql`delete from digest_sends where tenant_id = ${w.tenant_id}::uuid and slot = ${slot.key} and recipient = ${r.key}`
            : sql`update digest_sends set error = ${String(error instanceof Error ? error.message : error).slice(0, 500)}
                  where tenant_id = ${w.tenant_id}::uuid and slot = ${slot.key} and recipient = ${r.key}`,
        );
      }
    }
  }
  return result;
}

/** An answer from Slack saying no (ok: false, or an HTTP error), as opposed to no answer at all. */
function isSlackRefusal(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (
    code === "slack_webapi_platform_error" ||
    code === "slack_webapi_http_error" ||
    code === "slack_webapi_rate_limited_error"
  );
}
