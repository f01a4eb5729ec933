// Verb: what a CRM record card shows (apps/crm-extension/CARD_API.md is the contract): the linked account's billing
// picture and the actions the viewer may take, or, for a record no account links yet, the accounts it resembles.
import { type CrmProvider, queryRows, type UserRole } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { can } from "../access/actor";
import { type AccountDetail, getAccountDetail } from "../accounts/getAccountDetail";
import type { TenantContext } from "../context";
import { flagReasons } from "../flags/flag";
import { type MoneyJson, money } from "../money";
import { salesforceId18 } from "./connectCrm";
import { crmAccountColumn, linkCrmRecordById } from "./linkCrmRecord";

/** The record the card is on, and what the CRM says about it (hints: signed with the request, never trusted further). */
export const crmCardInput = z
  .object({
    recordId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,40}$/, "a HubSpot company id or a Salesforce Account id"),
    name: z.string().trim().max(255).optional(),
    domain: z.string().trim().max(255).optional(),
    quickbooksCustomerId: z.string().trim().max(64).optional(),
  })
  .strict();
export type CrmCardInput = z.input<typeof crmCardInput>;

export interface CrmViewer {
  name: string;
  role: UserRole;
}

export interface UnlinkedCrmCard {
  state: "unlinked";
  recordId: string;
  viewer: CrmViewer;
  canLink: boolean;
  suggestions: Array<{ accountId: string; name: string; matchedOn: "name" | "domain" }>;
  message: string;
}

export type RetryState = "none" | "available" | "requested" | "approved" | "succeeded" | "failed" | "rejected";

export interface LinkedCrmCard {
  state: "linked";
  recordId: string;
  viewer: CrmViewer;
  account: { id: string; name: string; owner: { name: string; email: string } | null; webUrl: string };
  status: AccountDetail["status"];
  banners: {
    partialSync: { message: string; missed: string[] } | null;
    stale: { message: string; sources: string[]; lastGoodAt: string | null } | null;
  };
  usage: AccountDetail["usage"];
  forecast: Array<{
    metric: string;
    unit: string | null;
    quarter: string;
    toDate: string;
    projectedTotal: string;
    band: { low: string; high: string };
    committed: string | null;
    mapePercent: number | null;
    alerts: string[];
  }>;
  invoices: Array<{
    id: string;
    number: string | null;
    issuedOn: string;
    dueOn: string | null;
    total: MoneyJson;
    balance: MoneyJson;
    overdue: boolean;
  }>;
  overdue: MoneyJson | null;
  payments: Array<{
    id: string;
    status: string;
    amount: MoneyJson;
    createdAt: string;
    failureCode: string | null;
    failureMessage: string | null;
    retry: { state: RetryState; requestId: string | null };
  }>;
  flags: Array<{
    id: string;
    reason: string;
    note: string | null;
    amount: MoneyJson | null;
    raisedBy: string | null;
    raisedAt: string;
  }>;
  openFlagCount: number;
  lastSync: Array<{ source: string; status: string | null; finishedAt: string | null; needsReconnect: boolean }>;
  actions: { retry: boolean; flag: boolean };
  flagReasons: Array<{ value: string; label: string }>;
}

export type CrmCard = LinkedCrmCard | UnlinkedCrmCard;

export type GetCrmCardResult = { ok: true; card: CrmCard } | { ok: false; reason: "not_visible" };

const recordWord = { hubspot: "company", salesforce: "account" } as const;

export const flagReasonLabel = (reason: string) =>
  reason === "other" ? "Something else" : reason.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());

/** A record id as the CRM spells it in the link column: Salesforce ids in their 18-character form. */
export function crmRecordKey(provider: CrmProvider, recordId: string): string {
  return provider === "salesforce" ? salesforceId18(recordId) : recordId;
}

export async function getCrmCard({
  ctx,
  provider,
  input,
  webBaseUrl,
}: {
  ctx: TenantContext;
  provider: CrmProvider;
  input: CrmCardInput;
  /** Where Reckon's web view is, for the card's "Open in Reckon" link. */
  webBaseUrl: string;
}): Promise<GetCrmCardResult> {
  const hints = crmCardInput.parse(input);
  const recordId = crmRecordKey(provider, hints.recordId);
  const t = ctx.tenant.tenantId;
  const column = crmAccountColumn(provider);
  let [account] = await queryRows<{ id: string }>(
    ctx.tenant.db,
    sql`select id from accounts where tenant_id = ${t}::uuid and ${column} = ${recordId}`,
  );
  // The record names its account's QuickBooks customer (the explicit-id field): linked by it on first view.
  if (!account && hints.quickbooksCustomerId) {
    const linked = await linkCrmRecordById(ctx, provider, recordId, hints.quickbooksCustomerId);
    if (linked) account = { id: linked };
  }
  const viewer: CrmViewer =
    ctx.actor.kind === "user" ? { name: ctx.actor.name, role: ctx.actor.role } : { name: "Reckon", role: "viewer" };
  if (!account) return { ok: true, card: await unlinkedCard(ctx, provider, recordId, viewer, hints) };
  const detail = await getAccountDetail({ ctx, input: { accountId: account.id } });
  if (!detail) return { ok: false, reason: "not_visible" };
  return { ok: true, card: await linkedCard(ctx, recordId, viewer, detail, webBaseUrl) };
}

async function unlinkedCard(
  ctx: TenantContext,
  provider: CrmProvider,
  recordId: string,
  viewer: CrmViewer,
  hints: z.infer<typeof crmCardInput>,
): Promise<UnlinkedCrmCard> {
  const canLink = can(ctx.actor, "settings.manage");
  const word = recordWord[provider];
  return {
    state: "unlinked",
    recordId,
    viewer,
    canLink,
    // Only admins link, and the names of other portfolios' accounts are not for everyone: suggestions go to admins.
    suggestions: canLink ? await suggestAccounts(ctx, provider, hints) : [],
    message: canLink
      ? `This ${word} is not linked to a Reckon account yet. Link it to one of the suggestions, or set its QuickBooks customer id field.`
      : `This ${word} is not linked to a Reckon account yet. Ask a Reckon admin to link it.`,
  };
}

/** Unlinked accounts with the same normalized name, or a customer email at the record's domain: name matches first. */
async function suggestAccounts(
  ctx: TenantContext,
  provider: CrmProvider,
  hints: { name?: string | undefined; domain?: string | undefined },
): Promise<UnlinkedCrmCard["suggestions"]> {
  const norm = (hints.name ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "");
  const domain = (hints.domain ?? "")
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .split("/")[0]!;
  if (!norm && !domain) return [];
  const column = crmAccountColumn(provider);
  const rows = await queryRows<{ id: string; name: string; matched_on: "name" | "domain" }>(
    ctx.tenant.db,
    sql`select a.id, a.name,
               case when ${norm} <> '' and lower(regexp_replace(a.name, '[^a-zA-Z0-9]+', '', 'g')) = ${norm}
                    then 'name' else 'domain' end as matched_on
        from accounts a
        where a.tenant_id = ${ctx.tenant.tenantId}::uuid and ${column} is null
          and ((${norm} <> '' and lower(regexp_replace(a.name, '[^a-zA-Z0-9]+', '', 'g')) = ${norm})
            or (${domain} <> '' and exists (
                 select 1 from source_customers sc
                 where sc.tenant_id = a.tenant_id and sc.account_id = a.id
                   and lower(split_part(sc.email, '@', 2)) = ${domain})))
        order by matched_on desc, a.name limit 5`,
  );
  return rows.map((r) => ({ accountId: r.id, name: r.name, matchedOn: r.matched_on }));
}

interface ForecastMetricJson {
  metric: string;
  unit: string | null;
  projection: { quarter: string; toDate: string; projectedTotal: string; band: { low: string; high: string } };
  backtest: { mapePercent: number | null };
  committed: string | null;
  alerts: Array<{ explanation: string }>;
}

async function linkedCard(
  ctx: TenantContext,
  recordId: string,
  viewer: CrmViewer,
  detail: AccountDetail,
  webBaseUrl: string,
): Promise<LinkedCrmCard> {
  const today = ctx.clock().toISOString().slice(0, 10);
  const invoices = detail.invoices.slice(0, 10).map((i) => ({
    id: i.id,
    number: i.number,
    issuedOn: i.issuedOn,
    dueOn: i.dueOn,
    total: i.total,
    balance: i.balance,
    overdue: i.dueOn !== null && i.dueOn < today && BigInt(i.balance.minor) > 0n,
  }));
  const payments = detail.payments.slice(0, 10);
  const retries = await retryStates(
    ctx,
    payments.map((p) => p.id),
  );
  const canRetry = can(ctx.actor, "payments.retry.request");
  const forecastMetrics = ((detail.forecast?.metrics as ForecastMetricJson[] | undefined) ?? []).map((m) => ({
    metric: m.metric,
    unit: m.unit,
    quarter: m.projection.quarter,
    toDate: m.projection.toDate,
    projectedTotal: m.projection.projectedTotal,
    band: m.projection.band,
    committed: m.committed,
    mapePercent: m.backtest.mapePercent,
    alerts: m.alerts.map((a) => a.explanation),
  }));
  const staleSources = detail.freshness.sources.filter((s) => s.stale);
  return {
    state: "linked",
    recordId,
    viewer,
    account: {
      id: detail.account.id,
      name: detail.account.name,
      owner: detail.account.owner ? { name: detail.account.owner.name, email: detail.account.owner.email } : null,
      webUrl: `${webBaseUrl.replace(/\/$/, "")}/accounts/${detail.account.id}`,
    },
    status: detail.status,
    banners: {
      partialSync: detail.partialSync
        ? {
            message:
              "Partial sync: some records did not arrive, so these numbers may be incomplete until an admin resolves it.",
            missed: detail.partialSyncs.flatMap((p) => p.missed).slice(0, 5),
          }
        : null,
      stale: detail.freshness.stale
        ? {
            message: `${staleSources.map((s) => s.source).join(", ")} could not be reached: showing the last good data.`,
            sources: staleSources.map((s) => s.source),
            lastGoodAt:
              staleSources
                .map((s) => s.lastGoodSyncAt)
                .filter((at): at is string => at !== null)
                .sort()[0] ?? null,
          }
        : null,
    },
    usage: detail.usage.map((u) => ({ ...u, months: u.months.slice(-12) })),
    forecast: forecastMetrics,
    invoices,
    overdue: overdueTotal(detail, today),
    payments: payments.map((p) => {
      const known = retries.get(p.id);
      const state: RetryState = known
        ? known.state
        : p.status === "failed" && !p.disputed
          ? canRetry
            ? "available"
            : "none"
          : "none";
      return {
        id: p.id,
        status: p.status,
        amount: p.amount,
        createdAt: p.createdAt,
        failureCode: p.failureCode,
        failureMessage: p.failureMessage,
        retry: { state, requestId: known?.requestId ?? null },
      };
    }),
    flags: detail.flags.map((f) => ({
      id: f.id,
      reason: f.reason,
      note: f.note,
      amount: f.amount,
      raisedBy: f.raisedBy?.name ?? null,
      raisedAt: f.createdAt,
    })),
    openFlagCount: detail.openFlagCount,
    lastSync: detail.sync.map((s) => ({
      source: s.source,
      status: s.lastRun?.status ?? null,
      finishedAt: s.lastRun?.finishedAt ?? null,
      needsReconnect: s.connection === "needs_reconnect",
    })),
    actions: { retry: canRetry, flag: can(ctx.actor, "flags.create") },
    flagReasons: flagReasons.map((value) => ({ value, label: flagReasonLabel(value) })),
  };
}

/** Balances past due, in the currency most of them are in (an account is billed in one currency in practice). */
function overdueTotal(detail: AccountDetail, today: string): MoneyJson | null {
  const byCurrency = new Map<string, bigint>();
  for (const invoice of detail.invoices) {
    const balance = BigInt(invoice.balance.minor);
    if (invoice.dueOn === null || invoice.dueOn >= today || balance <= 0n) continue;
    byCurrency.set(invoice.balance.currency, (byCurrency.get(invoice.balance.currency) ?? 0n) + balance);
  }
  const [largest] = [...byCurrency].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0));
  return largest ? money(largest[1], largest[0]) : null;
}

/** The newest retry request of each payment: what the card's Retry payment button may do for it. */
async function retryStates(
  ctx: TenantContext,
  paymentIds: string[],
): Promise<Map<string, { state: RetryState; requestId: string }>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await queryRows<{ payment_source_id: string; id: string; status: string }>(
    ctx.tenant.db,
    sql`select distinct on (payment_source_id) payment_source_id, id, status from payment_retry_requests
        where tenant_id = ${ctx.tenant.tenantId}::uuid
          and payment_source_id in (select jsonb_array_elements_text(${JSON.stringify(paymentIds)}::jsonb))
        order by payment_source_id, created_at desc`,
  );
  return new Map(
    rows.map((r) => [
      r.payment_source_id,
      // A cancelled request (paid by other means) leaves nothing to retry.
      { state: (r.status === "cancelled" ? "none" : r.status) as RetryState, requestId: r.id },
    ]),
  );
}
