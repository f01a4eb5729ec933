// Slack messages about a payment retry request or a flag are posted and updated by one job, whichever surface the
// change came through (Slack, the web view, the API): the bot's click handlers and the HTTP routes only announce it.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import type { DigestPoster } from "../digests/sendDigests";
import type { JobRunner } from "../jobs";

export type SlackSubject = "payment_retry" | "flag";

/** What the jobs need from Slack, implemented by the bot over the Slack Web API (it owns the Block Kit). */
export interface SlackNotifier extends DigestPoster {
  /** Posts or updates the Slack messages about one subject. */
  notify(ctx: TenantContext, subject: SlackSubject, id: string): Promise<void>;
}

/**
 * Where the notifier is plugged in once it exists (the embedded default starts Slack after the services); jobs read
 * it when they run. Empty: Slack is not configured, and the job says so and does nothing.
 */
export interface SlackNotifierSlot {
  current: SlackNotifier | null;
}

/** Queues the Slack update for a subject; one job per subject at a time, so a message is never posted twice. */
export async function announceToSlack(
  jobs: Pick<JobRunner, "enqueue">,
  tenantId: string,
  subject: SlackSubject,
  id: string,
): Promise<void> {
  await jobs.enqueue("slack.notify", { tenantId, subject, id }, { dedupeKey: `slack.notify:${subject}:${id}` });
}

/** The Slack user ids a Reckon user is mapped to in a workspace ("<team>:<user>" identities), first mapped first. */
export async function slackUsersOf(ctx: TenantContext, userId: string, teamId: string): Promise<string[]> {
  const rows = await queryRows<{ external_id: string }>(
    ctx.tenant.db,
    sql`select external_id from user_identities
        where tenant_id = ${ctx.tenant.tenantId}::uuid and user_id = ${userId}::uuid and provider = 'slack'
          and external_id like ${`${teamId}:%`}
        order by created_at`,
  );
  return rows.map((r) => r.external_id.slice(teamId.length + 1));
}
