// Verb: ask finance to retry a failed Stripe payment (account managers on their own portfolio, admins anywhere).
// At most one request is open per payment and per invoice: asking again answers the open one.
import { randomUUID } from "node:crypto";
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize, surfaceOf } from "../access/actor";
import { actingUserId, visibleAccount } from "../actions/actionRecord";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import {
  idempotencyKeyOf,
  type PaymentRetry,
  type PaymentRetryRow,
  paymentRetryQuery,
  toPaymentRetry,
} from "./paymentRetry";

/** The route's body: which payment (the account comes from the path). */
export const requestPaymentRetryBody = z
  .object({
    /** The failed Stripe charge (ch_...), as account detail lists it under payments. */
    paymentId: z.string().trim().min(1).max(255),
    /** The QuickBooks invoice it was for, when the payment does not name it itself. */
    invoiceId: z.string().trim().min(1).max(255).optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export const requestPaymentRetryInput = requestPaymentRetryBody
  .extend({ accountId: z.string().uuid("an account id (uuid)") })
  .strict();

/** Invoice references as payments store them (packages/db schema/payments.ts). */
type StoredReference = { invoiceSourceId: string | null; invoiceNumber: string | null };

export type RequestPaymentRetryResult =
  | { ok: true; retry: PaymentRetry; created: boolean }
  | {
      ok: false;
      reason:
        | "account_not_found"
        | "payment_not_found"
        | "invoice_not_found"
        /** The payment did not fail (or has been paid since): there is nothing to retry. */
        | "not_failed"
        /** A charge without a PaymentIntent: Stripe offers no retry of it. */
        | "not_retryable";
    };

export async function requestPaymentRetry({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof requestPaymentRetryInput>;
}): Promise<RequestPaymentRetryResult> {
  authorize(ctx.actor, "payments.retry.request");
  const { accountId, paymentId, invoiceId, note } = requestPaymentRetryInput.parse(input);
  const t = ctx.tenant.tenantId;
  return inTransaction(ctx.tenant, async (tx) => {
    const account = await visibleAccount<{ stripe_customer_id: string | null; quickbooks_customer_id: string | null }>(
      ctx,
      tx.db,
      accountId,
      sql`a.stripe_customer_id, a.quickbooks_customer_id`,
    );
    if (!account) return { ok: false, reason: "account_not_found" } as const;
    const [payment] = await queryRows<{
      payment_intent_id: string | null;
      amount_minor: string;
      currency: string;
      status: string;
      failure_code: string | null;
      failure_message: string | null;
      references: StoredReference[];
      paid_since: boolean;
    }>(
      tx.db,
      sql`select p.payment_intent_id, p.amount_minor::text as amount_minor, p.currency, p.status, p.failure_code,
                 p.failure_message, p."references",
                 exists (select 1 from payments q where q.tenant_id = p.tenant_id and q.source = 'stripe'
                         and q.payment_intent_id = p.payment_intent_id
                         and q.status in ('succeeded', 'refunded', 'disputed')) as paid_since
          from payments p
          where p.tenant_id = ${t}::uuid and p.source = 'stripe' and p.source_id = ${paymentId}
            and p.customer_source_id = ${account.stripe_customer_id ?? ""}`,
    );
    if (!payment) return { ok: false, reason: "payment_not_found" } as const;
    if (payment.status !== "failed" || payment.paid_since) return { ok: false, reason: "not_failed" } as const;
    if (!payment.payment_intent_id) return { ok: false, reason: "not_retryable" } as const;
    const invoice = await invoiceOf(tx.db, t, account.quickbooks_customer_id, invoiceId, payment.references);
    if (invoice === undefined) return { ok: false, reason: "invoice_not_found" } as const;

    const id = randomUUID();
    const [inserted] = await queryRows<{ id: string }>(
      tx.db,
      sql`insert into payment_retry_requests (id, tenant_id, account_id, invoice_source_id, payment_source_id,
            payment_intent_id, amount_minor, currency, failure_code, failure_message, requested_by, requested_via,
            note, idempotency_key)
          values (${id}::uuid, ${t}::uuid, ${accountId}::uuid, ${invoice}, ${paymentId}, ${payment.payment_intent_id},
                  ${payment.amount_minor}::bigint, ${payment.currency}, ${payment.failure_code},
                  ${payment.failure_message}, ${actingUserId(ctx.actor)}::uuid,
                  ${surfaceOf(ctx.actor)}, ${note || null}, ${idempotencyKeyOf(id)})
          on conflict do nothing
          returning id`,
    );
    // Lost to an open request for the same payment or invoice (a double click, another surface): answer that one.
    const [row] = await queryRows<PaymentRetryRow>(
      tx.db,
      inserted
        ? paymentRetryQuery(sql`r.tenant_id = ${t}::uuid and r.id = ${id}::uuid`)
        : paymentRetryQuery(
            sql`r.tenant_id = ${t}::uuid and r.status in ('requested', 'approved')
                and (r.payment_source_id = ${paymentId} or r.invoice_source_id = ${invoice})`,
            sql`order by r.created_at limit 1`,
          ),
    );
    if (!row) throw new Error("requestPaymentRetry: the open request it lost to is gone");
    const retry = toPaymentRetry(row);
    if (inserted) {
      await recordAudit(
        { ...ctx, tenant: tx },
        {
          action: "payment_retry.requested",
          target: { type: "payment_retry", id },
          details: { accountId, paymentId, invoiceId: invoice, amount: retry.amount, via: retry.requestedVia },
        },
      );
    }
    return { ok: true, retry, created: Boolean(inserted) } as const;
  });
}

/**
 * The invoice the retry is for: the one named (it must be the account's), else the first the payment references by
 * id or number; null when none is known, undefined when the named one is not the account's.
 */
async function invoiceOf(
  db: TenantContext["tenant"]["db"],
  tenantId: string,
  customer: string | null,
  named: string | undefined,
  references: StoredReference[],
): Promise<string | null | undefined> {
  const candidates = named
    ? [{ id: named, number: null }]
    : references.map((r) => ({ id: r.invoiceSourceId, number: r.invoiceNumber }));
  for (const candidate of candidates) {
    const [found] = await queryRows<{ source_id: string }>(
      db,
      sql`select source_id from invoices
          where tenant_id = ${tenantId}::uuid and customer_source_id = ${customer ?? ""} and not deleted
            and (source_id = ${candidate.id ?? ""} or (${candidate.id === null} and number = ${candidate.number ?? ""}))
          limit 1`,
    );
    if (found) return found.source_id;
  }
  if (named) return undefined;
  return references.find((r) => r.invoiceSourceId)?.invoiceSourceId ?? null;
}
