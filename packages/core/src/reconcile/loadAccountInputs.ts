// Loads what reconciliation reads for a chunk of accounts in three queries (usage by month, invoices, payments).
import { queryRows, type RateCardMetrics, type TenantScope } from "@reckon/db";
import {
  type AccountInput,
  type InvoiceInput,
  type PaymentInput,
  parseQuantity,
  QUANTITY_DECIMALS,
  rateCardsFromStored,
  toDecimalString,
} from "@reckon/reconcile";
import { sql } from "drizzle-orm";

export interface AccountRow {
  id: string;
  name: string;
  owner_id: string | null;
  owner_name: string | null;
  quickbooks_customer_id: string | null;
  stripe_customer_id: string | null;
  amplitude_group_id: string | null;
}

type StoredReference = { invoiceSourceId: string | null; invoiceNumber: string | null; amountMinor: string | null };

const jsonArray = (values: Array<string | null>) => JSON.stringify(values.filter((v): v is string => v !== null));

/**
 * Inputs per account id. Usage arrives summed by month (as one row on the 1st): reconciliation compares months; what
 * was uploaded after its month ended comes as rows of its own, by upload day, so late usage can be told apart. A month
 * in which one of the account's rate cards takes effect is summed in two parts, before and from that day (the second
 * dated that day), so rating prices each part on its own plan. Rate cards run until the account's next card.
 */
export async function loadAccountInputs(
  tenant: TenantScope,
  accounts: readonly AccountRow[],
  today: string,
): Promise<{ inputs: Map<string, AccountInput>; monthToDate: Map<string, Map<string, string>> }> {
  const t = tenant.tenantId;
  const groups = jsonArray(accounts.map((a) => a.amplitude_group_id));
  const customers = jsonArray(accounts.map((a) => a.quickbooks_customer_id));
  const payers = jsonArray(accounts.map((a) => a.stripe_customer_id));

  const cards = await queryRows<{
    quickbooks_customer_id: string;
    plan: string;
    currency: string;
    effective_from: string;
    base_fee_minor: string;
    minimum_commit_minor: string;
    metrics: RateCardMetrics;
  }>(
    tenant.db,
    sql`select quickbooks_customer_id, plan, currency, effective_from::text as effective_from,
               base_fee_minor::text as base_fee_minor, minimum_commit_minor::text as minimum_commit_minor, metrics
        from rate_cards
        where tenant_id = ${t}::uuid and quickbooks_customer_id in (select json_array_elements_text(${customers}::json))`,
  );
  // Days a card takes effect other than on the 1st, per Amplitude group: usage of their month is split there.
  const groupOf = new Map(accounts.map((a) => [a.quickbooks_customer_id, a.amplitude_group_id]));
  const changes = JSON.stringify(
    cards.flatMap((c) => {
      const group = groupOf.get(c.quickbooks_customer_id);
      return group && !c.effective_from.endsWith("-01") ? [{ g: group, d: c.effective_from }] : [];
    }),
  );
  const usage = await queryRows<{
    group_id: string;
    metric: string;
    from_day: string;
    late_on: string | null;
    quantity: string;
    mtd: string | null;
    duplicate_events: number;
    duplicate_quantity: string;
    duplicate_ids: string[][] | null;
  }>(
    tenant.db,
    sql`with changes as (select c.g, date_trunc('month', c.d)::date as m, array_agg(c.d) as days
                         from json_to_recordset(${changes}::json) as c(g text, d date) group by 1, 2)
        select group_id, metric, to_char(part_from, 'YYYY-MM-DD') as from_day, late_on::text as late_on,
               sum(quantity)::text as quantity,
               (sum(quantity) filter (where day >= date_trunc('month', ${today}::date) and day <= ${today}::date))::text as mtd,
               sum(duplicate_events)::int as duplicate_events, sum(duplicate_quantity)::text as duplicate_quantity,
               jsonb_agg(duplicate_insert_ids) filter (where duplicate_events > 0) as duplicate_ids
        from (select u.*, case when u.uploaded_on >= (date_trunc('month', u.day) + interval '1 month')::date
                               then u.uploaded_on end as late_on,
                     case when c.days is null then date_trunc('month', u.day)::date
                          else coalesce((select max(x) from unnest(c.days) as x where x <= u.day),
                                        date_trunc('month', u.day)::date) end as part_from
              from usage_daily u
              left join changes c on c.g = u.group_id and c.m = date_trunc('month', u.day)::date
              where u.tenant_id = ${t}::uuid and u.group_id in (select json_array_elements_text(${groups}::json))) d
        group by group_id, metric, part_from, late_on`,
  );
  const invoices = await queryRows<{
    source_id: string;
    number: string | null;
    customer_source_id: string;
    currency: string;
    total_minor: string;
    balance_minor: string;
    issued_on: string;
    due_on: string | null;
    lines: Array<{
      metric: string | null;
      quantity: string | null;
      unit_price: string | null;
      amount_minor: string;
      service_date: string | null;
    }>;
  }>(
    tenant.db,
    sql`select i.source_id, i.number, i.customer_source_id, i.currency, i.total_minor::text as total_minor,
               i.balance_minor::text as balance_minor, i.issued_on::text as issued_on, i.due_on::text as due_on,
               coalesce((select json_agg(json_build_object('metric', im.metric, 'quantity', l.quantity::text,
                          'unit_price', trim_scale(l.unit_price)::text, 'amount_minor', l.amount_minor::text, 'service_date', l.service_date::text) order by l.line_id)
                  from invoice_lines l
                  left join item_metrics im on im.tenant_id = l.tenant_id and im.quickbooks_item_id = l.item_id
                  where l.tenant_id = i.tenant_id and l.invoice_source_id = i.source_id), '[]') as lines
        from invoices i
        where i.tenant_id = ${t}::uuid and not i.deleted
          and i.customer_source_id in (select json_array_elements_text(${customers}::json))`,
  );
  const payments = await queryRows<{
    source_id: string;
    customer_source_id: string;
    status: PaymentInput["status"];
    amount_minor: string;
    refunded_minor: string;
    currency: string;
    failure_code: string | null;
    failure_message: string | null;
    disputed: boolean;
    references: StoredReference[];
    source_created_at: Date | string;
  }>(
    tenant.db,
    sql`select source_id, customer_source_id, status, amount_minor::text as amount_minor,
               refunded_minor::text as refunded_minor, currency, failure_code, failure_message, disputed, "references",
               source_created_at
        from payments
        where tenant_id = ${t}::uuid and source = 'stripe'
          and customer_source_id in (select json_array_elements_text(${payers}::json))`,
  );

  const usageByGroup = groupBy(usage, (u) => u.group_id);
  const invoicesByCustomer = groupBy(invoices, (i) => i.customer_source_id);
  const paymentsByCustomer = groupBy(payments, (p) => p.customer_source_id);
  const cardsByCustomer = groupBy(cards, (c) => c.quickbooks_customer_id);
  const inputs = new Map<string, AccountInput>();
  const monthToDate = new Map<string, Map<string, string>>();
  for (const account of accounts) {
    const accountUsage = account.amplitude_group_id ? (usageByGroup.get(account.amplitude_group_id) ?? []) : [];
    // Every metric the account has used, month-to-date (0 when nothing yet this month); a month split by a plan
    // change has two rows to add up.
    const mtd = new Map<string, string>();
    for (const u of accountUsage) {
      const sofar = mtd.get(u.metric);
      if (u.mtd === null) mtd.set(u.metric, sofar ?? "0");
      else if (sofar === undefined || sofar === "0") mtd.set(u.metric, u.mtd);
      else mtd.set(u.metric, toDecimalString(parseQuantity(sofar) + parseQuantity(u.mtd), QUANTITY_DECIMALS));
    }
    monthToDate.set(account.id, mtd);
    inputs.set(account.id, {
      usage: accountUsage.map((u) => ({
        metric: u.metric,
        day: u.from_day,
        quantity: u.quantity,
        uploadedOn: u.late_on,
        duplicateEvents: u.duplicate_events,
        duplicateQuantity: u.duplicate_quantity,
        duplicateInsertIds: (u.duplicate_ids ?? []).flat(),
      })),
      links: {
        quickbooksCustomerId: account.quickbooks_customer_id,
        stripeCustomerId: account.stripe_customer_id,
        amplitudeGroupId: account.amplitude_group_id,
      },
      rateCards: rateCardsFromStored(
        (account.quickbooks_customer_id ? (cardsByCustomer.get(account.quickbooks_customer_id) ?? []) : []).map(
          (c) => ({
            plan: c.plan,
            currency: c.currency.trim(),
            effectiveFrom: c.effective_from,
            baseFeeMinor: BigInt(c.base_fee_minor),
            minimumCommitMinor: BigInt(c.minimum_commit_minor),
            metrics: c.metrics.map((m) => ({
              metric: m.key,
              includedUnits: m.includedUnits,
              pricing: m.pricing
                ? {
                    model: m.pricing.model,
                    tiers: m.pricing.tiers.map((t) => ({
                      upTo: t.upTo,
                      unitPrice: t.unitPrice,
                      ...(t.flatFeeMinor ? { flatFeeMinor: BigInt(t.flatFeeMinor) } : {}),
                    })),
                  }
                : { model: "flat" as const, unitPrice: m.unitPrice ?? "0" },
            })),
          }),
        ),
        account.id,
      ),
      invoices: (account.quickbooks_customer_id
        ? (invoicesByCustomer.get(account.quickbooks_customer_id) ?? [])
        : []
      ).map(
        (i): InvoiceInput => ({
          id: i.source_id,
          number: i.number,
          currency: i.currency.trim(),
          totalMinor: BigInt(i.total_minor),
          balanceMinor: BigInt(i.balance_minor),
          issuedOn: i.issued_on,
          dueOn: i.due_on,
          lines: i.lines.map((l) => ({
            metric: l.metric,
            quantity: l.quantity,
            unitPrice: l.unit_price,
            amountMinor: BigInt(l.amount_minor),
            serviceDate: l.service_date,
          })),
        }),
      ),
      payments: (account.stripe_customer_id ? (paymentsByCustomer.get(account.stripe_customer_id) ?? []) : []).map(
        (p): PaymentInput => ({
          id: p.source_id,
          status: p.status,
          amountMinor: BigInt(p.amount_minor),
          refundedMinor: BigInt(p.refunded_minor),
          currency: p.currency.trim(),
          failureCode: p.failure_code,
          failureMessage: p.failure_message,
          disputed: p.disputed,
          references: p.references.map((r) => ({
            invoiceId: r.invoiceSourceId,
            invoiceNumber: r.invoiceNumber,
            amountMinor: r.amountMinor === null ? null : BigInt(r.amountMinor),
          })),
          createdAt: new Date(p.source_created_at),
        }),
      ),
    });
  }
  return { inputs, monthToDate };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
