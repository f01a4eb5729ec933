// Verbs: payment retry requests newest first (finance's queue by status, an account's), and one by id; account
// managers see their own accounts' only.
import { paymentRetryStatuses, queryRows } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { visibleAccounts } from "../access/visibility";
import { newestFirst, pageQuery } from "../actions/actionRecord";
import type { TenantContext } from "../context";
import {
  type PaymentRetry,
  type PaymentRetryRow,
  paymentRetryIdInput,
  paymentRetryQuery,
  toPaymentRetry,
} from "./paymentRetry";

export const listPaymentRetriesInput = z
  .object({
    status: z.enum(paymentRetryStatuses).optional(),
    accountId: z.string().uuid("an account id (uuid)").optional(),
    ...pageQuery,
  })
  .strict();

export interface PaymentRetryPage {
  retries: PaymentRetry[];
  nextCursor: string | null;
}

/** The query joins the account as `a`, so visibility narrows on its owner directly. */
const visibleRetry = (ctx: TenantContext) =>
  sql`r.tenant_id = ${ctx.tenant.tenantId}::uuid and ${visibleAccounts(ctx.actor, sql`a.owner_id`)}`;

export async function listPaymentRetries({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof listPaymentRetriesInput>;
}): Promise<PaymentRetryPage> {
  const filters = listPaymentRetriesInput.parse(input);
  const paging = newestFirst("r", filters);
  const conditions: SQL[] = [visibleRetry(ctx)];
  if (filters.status) conditions.push(sql`r.status = ${filters.status}`);
  if (filters.accountId) conditions.push(sql`r.account_id = ${filters.accountId}::uuid`);
  if (paging.after) conditions.push(paging.after);
  const rows = await queryRows<PaymentRetryRow>(
    ctx.tenant.db,
    paymentRetryQuery(sql.join(conditions, sql` and `), paging.tail),
  );
  const page = paging.page(rows);
  return { retries: page.rows.map(toPaymentRetry), nextCursor: page.nextCursor };
}

/** One request, or null when it does not exist in this tenant or its account is not the actor's to see. */
export async function getPaymentRetry({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof paymentRetryIdInput>;
}): Promise<PaymentRetry | null> {
  const { retryId } = paymentRetryIdInput.parse(input);
  const [row] = await queryRows<PaymentRetryRow>(
    ctx.tenant.db,
    paymentRetryQuery(sql`${visibleRetry(ctx)} and r.id = ${retryId}::uuid`),
  );
  return row ? toPaymentRetry(row) : null;
}
