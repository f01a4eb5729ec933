// Loads the invoices and the payments applied to them, as the finance metrics read them.
import { queryRows, type TenantScope } from "@reckon/db";
import type { AppliedPayment, MetricInvoice } from "@reckon/reconcile";
import { sql } from "drizzle-orm";
import type { ScopedAccount } from "./scope";

function lastDayOfMonth(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

/**
 * Invoices with their service period (the months their lines' service dates fall in; without any, the month before
 * the issue date: invoices bill in arrears) and the payments allocated to them, dated by the charge.
 */
export async function loadLedger(
  tenant: TenantScope,
  accounts: readonly ScopedAccount[],
): Promise<{ invoices: MetricInvoice[]; applications: AppliedPayment[] }> {
  const customers = JSON.stringify(accounts.flatMap((a) => (a.quickbooksCustomerId ? [a.quickbooksCustomerId] : [])));
  const invoiceRows = await queryRows<{
    source_id: string;
    number: string | null;
    customer_source_id: string;
    currency: string;
    total_minor: string;
    issued_on: string;
    due_on: string | null;
    first_service: string | null;
    last_service: string | null;
  }>(
    tenant.db,
    sql`select i.source_id, i.number, i.customer_source_id, i.currency, i.total_minor::text as total_minor,
               i.issued_on::text as issued_on, i.due_on::text as due_on,
               (select to_char(min(l.service_date), 'YYYY-MM') from invoice_lines l
                 where l.tenant_id = i.tenant_id and l.invoice_source_id = i.source_id) as first_service,
               (select to_char(max(l.service_date), 'YYYY-MM') from invoice_lines l
                 where l.tenant_id = i.tenant_id and l.invoice_source_id = i.source_id) as last_service
        from invoices i
        where i.tenant_id = ${tenant.tenantId}::uuid and not i.deleted
          and i.customer_source_id in (select json_array_elements_text(${customers}::json))`,
  );
  const invoices = invoiceRows.map((i): MetricInvoice => {
    const previousMonth = new Date(`${i.issued_on.slice(0, 7)}-01T00:00:00Z`);
    previousMonth.setUTCMonth(previousMonth.getUTCMonth() - 1);
    const fallback = previousMonth.toISOString().slice(0, 7);
    const first = i.first_service ?? fallback;
    const last = i.last_service ?? fallback;
    return {
      id: i.source_id,
      number: i.number,
      customerId: i.customer_source_id,
      currency: i.currency.trim(),
      totalMinor: BigInt(i.total_minor),
      issuedOn: i.issued_on,
      dueOn: i.due_on,
      servicePeriod: { from: `${first}-01`, to: lastDayOfMonth(last) },
    };
  });
  const ids = JSON.stringify(invoices.map((i) => i.id));
  const applicationRows = await queryRows<{
    invoice_source_id: string;
    paid_on: string;
    amount_minor: string;
    currency: string;
  }>(
    tenant.db,
    sql`select pa.invoice_source_id, to_char(p.source_created_at at time zone 'UTC', 'YYYY-MM-DD') as paid_on,
               pa.amount_minor::text as amount_minor, p.currency
        from payment_allocations pa
        join payments p on p.tenant_id = pa.tenant_id and p.source = pa.payment_source and p.source_id = pa.payment_source_id
        where pa.tenant_id = ${tenant.tenantId}::uuid
          and pa.invoice_source_id in (select json_array_elements_text(${ids}::json))`,
  );
  const applications = applicationRows.map(
    (a): AppliedPayment => ({
      invoiceId: a.invoice_source_id,
      paidOn: a.paid_on,
      amountMinor: BigInt(a.amount_minor),
      currency: a.currency.trim(),
    }),
  );
  return { invoices, applications };
}
