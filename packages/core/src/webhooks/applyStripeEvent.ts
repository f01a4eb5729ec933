// Verb (job): apply one recorded Stripe event: the charge it concerns is re-fetched, stored, and its account
// reconciled. Re-fetching makes the outcome the charge's own current state, whatever order the events arrived in.
import { inTransaction, queryRows, writeRecords } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../context";
import { changedAccounts, databaseNow } from "../reconcile/reconcileScope";
import { reconcileTenant } from "../reconcile/reconcileTenant";
import { connectorFor } from "../sync/connections";
import { settleWebhookEvents } from "./recordWebhookEvents";

export const applyStripeEventInput = z.object({ eventId: z.string().min(1).max(255) });

export interface AppliedWebhook {
  outcome: "applied" | "ignored";
  /** The accounts reconciled because of it. */
  accountIds: string[];
}

export async function applyStripeEvent({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof applyStripeEventInput>;
}): Promise<AppliedWebhook> {
  const { eventId } = applyStripeEventInput.parse(input);
  const { tenant } = ctx;
  const [event] = await queryRows<{ outcome: string; detail: { chargeId?: string | null } }>(
    tenant.db,
    sql`select outcome, detail from webhook_events
        where tenant_id = ${tenant.tenantId}::uuid and source = 'stripe' and event_id = ${eventId}`,
  );
  if (!event || event.outcome === "applied" || event.outcome === "ignored")
    return { outcome: "ignored", accountIds: [] };
  const chargeId = event.detail.chargeId ?? null;
  const connector = await connectorFor(ctx, "stripe");
  // Customer and other events: the scheduled sync replays Stripe's event list and links new customers.
  if (!chargeId || connector?.source !== "stripe") {
    await settleWebhookEvents(tenant, "stripe", [eventId], "ignored");
    return { outcome: "ignored", accountIds: [] };
  }
  try {
    const since = await databaseNow(tenant);
    const payment = await connector.retrievePayment(chargeId, { now: ctx.clock() });
    if (!payment) {
      await settleWebhookEvents(tenant, "stripe", [eventId], "ignored", `Stripe has no charge ${chargeId}`);
      return { outcome: "ignored", accountIds: [] };
    }
    await inTransaction(tenant, (tx) =>
      writeRecords(tx, { customers: [], invoices: [], payments: [payment], usage: [] }),
    );
    // Only the accounts whose inputs this write changed: an event for a state already stored reconciles nothing.
    const accountIds = await changedAccounts(tenant, since);
    if (accountIds.length > 0) await reconcileTenant({ ctx, input: { accountIds } });
    // The re-fetch began after every event about this charge received so far: they are all applied by it.
    await settleWebhookEvents(tenant, "stripe", [eventId], "applied");
    await settleWebhookEvents(tenant, "stripe", { receivedUpTo: since, chargeId }, "applied");
    return { outcome: "applied", accountIds };
  } catch (error) {
    // Recorded for operators; rethrown so the job layer retries with the webhooks queue's backoff.
    await settleWebhookEvents(
      tenant,
      "stripe",
      [eventId],
      "failed",
      error instanceof Error ? error.message : String(error),
    );
    throw error;
  }
}
