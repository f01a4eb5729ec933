// Verbs: payment retry requests newest first (finance's queue by status, an account's), and one by id; account
// managers see their own accounts' only.
import { paymentRetryStatuses, queryRows } from "@reckon/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";
import { decodeCursor, encodeCursor } from "../portfolio/cursor";
import { paymentRetryIdInput } from "./decidePaymentRetry";
import { type PaymentRetry, type PaymentRetryRow, paymentRetryQuery, toPaymentRetry } from "./paymentRetry";

const sort = "-created";

export const listPaymentRetriesInput = z
  .object({
    status: z.enum(paymentRetryStatuses).optional(),
    accountId: z.string().uuid("an account id (uuid)").optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export interface PaymentRetryPage {
  retries: PaymentRetry[];
  nextCursor: string | null;
}

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
  const after = filters.cursor ? decodeCursor(filters.cursor, sort) : null;
  const conditions: SQL[] = [visibleRetry(ctx)];
  if (filters.status) conditions.push(sql`r.status = ${filters.status}`);
  if (filters.accountId) conditions.push(sql`r.account_id = ${filters.accountId}::uuid`);
  if (after) conditions.push(sql`(r.created_at, r.id) < (${String(after.value)}::timestamptz, ${after.id}::uuid)`);
  const rows = await queryRows<PaymentRetryRow>(
    ctx.tenant.db,
    paymentRetryQuery(
      sql.join(conditions, sql` and `),
      sql`order by r.created_at desc, r.id desc limit ${filters.limit + 1}`,
    ),
  );
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    retries: page.map(toPaymentRetry),
    nextCursor: rows.length > filters.limit && last ? encodeCursor(sort, last.sort_value, last.id) : null,
  };
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
