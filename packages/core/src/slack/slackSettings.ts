// Verbs (admin): which Slack workspace the tenant's bot answers in, its finance channel and the digest schedule.
import { isUniqueViolation, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { ServiceContext, TenantContext } from "../context";
import { defaultDigestDays } from "../digests/slots";

export const slackSettingsInput = z
  .object({
    teamId: z.string().regex(/^T[A-Z0-9]{2,20}$/, "a Slack team id (T...)"),
    financeChannelId: z
      .string()
      .regex(/^[CG][A-Z0-9]{2,20}$/, "a Slack channel id (C... or G...)")
      .nullable()
      .default(null),
    digestDaysBefore: z
      .array(z.number().int().min(0).max(92))
      .max(10)
      .default([...defaultDigestDays])
      .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
    digestHour: z.number().int().min(0).max(23).default(9),
  })
  .strict();
export type SlackSettingsInput = z.input<typeof slackSettingsInput>;

export interface SlackSettings {
  teamId: string;
  financeChannelId: string | null;
  digestDaysBefore: number[];
  digestHour: number;
}

type Row = { team_id: string; finance_channel_id: string | null; digest_days_before: number[]; digest_hour: number };
const toSettings = (r: Row): SlackSettings => ({
  teamId: r.team_id,
  financeChannelId: r.finance_channel_id,
  digestDaysBefore: r.digest_days_before,
  digestHour: r.digest_hour,
});

export async function getSlackSettings({ ctx }: { ctx: TenantContext }): Promise<SlackSettings | null> {
  authorize(ctx.actor, "settings.manage");
  return loadSlackSettings(ctx, ctx.tenant.tenantId);
}

/** The settings without a permission check: for the bot and jobs, which act for the tenant itself. */
export async function loadSlackSettings(base: ServiceContext, tenantId: string): Promise<SlackSettings | null> {
  const [row] = await queryRows<Row>(
    base.db,
    sql`select team_id, finance_channel_id, digest_days_before, digest_hour from slack_workspaces
        where tenant_id = ${tenantId}::uuid`,
  );
  return row ? toSettings(row) : null;
}

export type SlackSettingsChange = { ok: true; settings: SlackSettings } | { ok: false; reason: "team_taken" };

export async function saveSlackSettings({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: SlackSettingsInput;
}): Promise<SlackSettingsChange> {
  authorize(ctx.actor, "settings.manage");
  const s = slackSettingsInput.parse(input);
  const days = `{${s.digestDaysBefore.join(",")}}`;
  // A workspace belongs to one tenant: another tenant's team id is refused, never taken over.
  const rows = await queryRows<Row & { tenant_id: string }>(
    ctx.tenant.db,
    sql`insert into slack_workspaces (tenant_id, team_id, finance_channel_id, digest_days_before, digest_hour, updated_at)
        values (${ctx.tenant.tenantId}::uuid, ${s.teamId}, ${s.financeChannelId}, ${days}::integer[], ${s.digestHour},
                ${ctx.clock().toISOString()}::timestamptz)
        on conflict (tenant_id) do update set team_id = excluded.team_id, finance_channel_id = excluded.finance_channel_id,
          digest_days_before = excluded.digest_days_before, digest_hour = excluded.digest_hour, updated_at = excluded.updated_at
        returning tenant_id, team_id, finance_channel_id, digest_days_before, digest_hour`,
  ).catch((error: unknown) => {
    if (isUniqueViolation(error)) return null;
    throw error;
  });
  if (!rows?.[0]) return { ok: false, reason: "team_taken" };
  const settings = toSettings(rows[0]);
  await recordAudit(ctx, {
    action: "slack_settings.updated",
    target: { type: "tenant", id: ctx.tenant.tenantId },
    details: { ...settings },
  });
  return { ok: true, settings };
}

/** The tenant a Slack workspace belongs to, or null. */
export async function tenantOfSlackTeam(base: ServiceContext, teamId: string): Promise<string | null> {
  const [row] = await queryRows<{ tenant_id: string }>(
    base.db,
    sql`select tenant_id from slack_workspaces where team_id = ${teamId}`,
  );
  return row?.tenant_id ?? null;
}
