// Verb (job): write each linked account's summary fields back to its CRM record, only where a value changed since the
// last write Reckon knows the CRM took. apps/crm-extension/CARD_API.md lists the fields.
import { currencyExponent } from "@reckon/connectors";
import { type CrmProvider, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { projectAccountRevenue } from "../forecast/getPortfolioForecast";
import { crmAccountColumn } from "./linkCrmRecord";

export type CrmFieldValue = string | number | boolean | null;
export type CrmFields = Record<string, CrmFieldValue>;

/** What the write-back needs of a CRM connector (packages/connectors implements it for HubSpot and Salesforce). */
export interface CrmWriter {
  /** Per-record refusals are answered; a failure of the whole request throws (the job retries it with backoff). */
  updateRecords(
    updates: Array<{ recordId: string; fields: CrmFields }>,
  ): Promise<Array<{ recordId: string; ok: boolean; error?: { code: string; message: string } }>>;
}

/** The summary fields by meaning, and their names in each CRM (the HubSpot property / the Salesforce field). */
export const crmFieldNames = {
  quickbooksCustomerId: { hubspot: "quickbooks_customer_id", salesforce: "QuickBooks_Customer_Id__c" },
  billingStatus: { hubspot: "reckon_billing_status", salesforce: "Reckon_Billing_Status__c" },
  overdueAmount: { hubspot: "reckon_overdue_amount", salesforce: "Reckon_Overdue_Amount__c" },
  overdueCurrency: { hubspot: "reckon_overdue_currency", salesforce: "Reckon_Overdue_Currency__c" },
  openFlags: { hubspot: "reckon_open_flags", salesforce: "Reckon_Open_Flags__c" },
  lastReconciled: { hubspot: "reckon_last_reconciled", salesforce: "Reckon_Last_Reconciled__c" },
  forecastQuarterEnd: { hubspot: "reckon_forecast_quarter_end", salesforce: "Reckon_Forecast_Quarter_End__c" },
  forecastCurrency: { hubspot: "reckon_forecast_currency", salesforce: "Reckon_Forecast_Currency__c" },
  url: { hubspot: "reckon_url", salesforce: "Reckon_Url__c" },
} as const satisfies Record<string, Record<CrmProvider, string>>;
type FieldKey = keyof typeof crmFieldNames;

/** Minor units as a number of major units (1234.5 for 123450 USD cents): what CRM number fields hold. */
export function majorUnits(minor: bigint, currency: string): number {
  const exponent = currencyExponent(currency);
  const scale = 10n ** BigInt(exponent);
  const sign = minor < 0n ? "-" : "";
  const abs = minor < 0n ? -minor : minor;
  const fraction = exponent > 0 ? `.${(abs % scale).toString().padStart(exponent, "0")}` : "";
  return Number(`${sign}${abs / scale}${fraction}`);
}

export interface AccountCrmFields {
  accountId: string;
  recordId: string;
  fields: CrmFields;
}

/**
 * The fields as they should read now, for the tenant's accounts linked to this CRM (or the ones named). The forecast
 * is left empty for an account with an open partial sync: its numbers are incomplete until an admin resolves it.
 */
export async function computeCrmFields(
  ctx: TenantContext,
  provider: CrmProvider,
  options: { accountIds?: string[]; webBaseUrl: string },
): Promise<AccountCrmFields[]> {
  const t = ctx.tenant.tenantId;
  const column = crmAccountColumn(provider);
  const today = ctx.clock().toISOString().slice(0, 10);
  const only = options.accountIds
    ? sql`and a.id in (select (jsonb_array_elements_text(${JSON.stringify(options.accountIds)}::jsonb))::uuid)`
    : sql``;
  const rows = await queryRows<{
    id: string;
    name: string;
    record_id: string;
    quickbooks_customer_id: string | null;
    stripe_customer_id: string | null;
    amplitude_group_id: string | null;
    status: string | null;
    reconciled_at: Date | string | null;
    open_flags: number;
    overdue_currency: string | null;
    overdue_minor: string | null;
  }>(
    ctx.tenant.db,
    sql`select a.id, a.name, a.${column} as record_id, a.quickbooks_customer_id, a.stripe_customer_id,
               a.amplitude_group_id, s.status, s.reconciled_at,
               (select count(*)::int from flags f
                 where f.tenant_id = a.tenant_id and f.account_id = a.id and f.status = 'open') as open_flags,
               o.currency as overdue_currency, o.overdue_minor
        from accounts a
        left join account_summaries s on s.tenant_id = a.tenant_id and s.account_id = a.id
        left join lateral (
          select i.currency, sum(i.balance_minor)::text as overdue_minor from invoices i
          where i.tenant_id = a.tenant_id and i.customer_source_id = a.quickbooks_customer_id and not i.deleted
            and i.balance_minor > 0 and i.due_on < ${today}::date
          group by i.currency order by sum(i.balance_minor) desc limit 1) o on true
        where a.tenant_id = ${t}::uuid and a.${column} is not null ${only}
        order by a.id`,
  );
  if (rows.length === 0) return [];
  const { base, projections } = await projectAccountRevenue(
    ctx,
    rows.map((r) => ({
      id: r.id,
      name: r.name,
      quickbooksCustomerId: r.quickbooks_customer_id,
      stripeCustomerId: r.stripe_customer_id,
      amplitudeGroupId: r.amplitude_group_id,
    })),
  );
  const forecast = new Map(projections.filter((p) => !p.partialSync).map((p) => [p.accountId, p.projection]));
  const webBase = options.webBaseUrl.replace(/\/$/, "");
  return rows.map((r) => {
    const projected = forecast.get(r.id);
    const values: Record<FieldKey, CrmFieldValue> = {
      quickbooksCustomerId: r.quickbooks_customer_id,
      billingStatus: r.status,
      overdueAmount:
        r.overdue_minor && r.overdue_currency ? majorUnits(BigInt(r.overdue_minor), r.overdue_currency) : 0,
      overdueCurrency: r.overdue_currency?.trim() ?? null,
      openFlags: r.open_flags,
      lastReconciled: r.reconciled_at ? new Date(r.reconciled_at).toISOString() : null,
      forecastQuarterEnd: projected ? majorUnits(projected.projectedTotal, base) : null,
      forecastCurrency: projected ? base : null,
      url: `${webBase}/accounts/${r.id}`,
    };
    const fields = Object.fromEntries(
      (Object.keys(crmFieldNames) as FieldKey[]).map((key) => [crmFieldNames[key][provider], values[key]]),
    );
    return { accountId: r.id, recordId: r.record_id, fields };
  });
}

export interface WriteBackResult {
  provider: CrmProvider;
  /** Linked accounts looked at. */
  checked: number;
  /** Of those, records whose fields differed from the last write: sent. */
  sent: number;
  written: number;
  /** Records the CRM refused (kept with their error; tried again next time). */
  refused: Array<{ recordId: string; code: string; message: string }>;
  requests: number;
}

/** Records a batch carries; the connector splits further to each CRM's own batch limit. */
const chunkSize = 100;

export async function writeBackToCrm({
  ctx,
  provider,
  writer,
  accountIds,
  webBaseUrl,
}: {
  ctx: TenantContext;
  provider: CrmProvider;
  writer: CrmWriter;
  accountIds?: string[];
  webBaseUrl: string;
}): Promise<WriteBackResult> {
  const t = ctx.tenant.tenantId;
  const wanted = await computeCrmFields(ctx, provider, { webBaseUrl, ...(accountIds ? { accountIds } : {}) });
  const written = await queryRows<{ account_id: string; record_id: string; fields: CrmFields; error: string | null }>(
    ctx.tenant.db,
    sql`select account_id, record_id, fields, error from crm_writebacks
        where tenant_id = ${t}::uuid and provider = ${provider}`,
  );
  const last = new Map(written.map((w) => [w.account_id, w]));
  const changed = wanted.filter((w) => {
    const before = last.get(w.accountId);
    return !before || before.error !== null || before.record_id !== w.recordId || !sameFields(before.fields, w.fields);
  });
  const result: WriteBackResult = {
    provider,
    checked: wanted.length,
    sent: changed.length,
    written: 0,
    refused: [],
    requests: 0,
  };
  for (let start = 0; start < changed.length; start += chunkSize) {
    const chunk = changed.slice(start, start + chunkSize);
    // A failure of the whole request throws here: what earlier chunks wrote is already recorded, so the retry sends
    // only what is still different.
    const answers = await writer.updateRecords(chunk.map((c) => ({ recordId: c.recordId, fields: c.fields })));
    result.requests++;
    const byRecord = new Map(answers.map((a) => [a.recordId, a]));
    for (const c of chunk) {
      const answer = byRecord.get(c.recordId);
      if (answer?.ok) {
        result.written++;
        await queryRows(
          ctx.tenant.db,
          sql`insert into crm_writebacks (tenant_id, provider, account_id, record_id, fields, written_at, error)
              values (${t}::uuid, ${provider}, ${c.accountId}::uuid, ${c.recordId}, ${JSON.stringify(c.fields)}::jsonb,
                      now(), null)
              on conflict (tenant_id, provider, account_id) do update
                set record_id = excluded.record_id, fields = excluded.fields, written_at = excluded.written_at,
                    error = null`,
        );
      } else {
        const error = answer?.error ?? { code: "NO_ANSWER", message: "the CRM did not answer for this record" };
        result.refused.push({ recordId: c.recordId, ...error });
        // What the CRM holds is unknown now: the stored fields stay as they were, the error makes the next run send.
        await queryRows(
          ctx.tenant.db,
          sql`insert into crm_writebacks (tenant_id, provider, account_id, record_id, fields, error)
              values (${t}::uuid, ${provider}, ${c.accountId}::uuid, ${c.recordId}, '{}'::jsonb,
                      ${`${error.code}: ${error.message}`.slice(0, 500)})
              on conflict (tenant_id, provider, account_id) do update set error = excluded.error`,
        );
      }
    }
  }
  return result;
}

function sameFields(a: CrmFields, b: CrmFields): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a[key] ?? null) !== (b[key] ?? null)) return false;
  return true;
}
