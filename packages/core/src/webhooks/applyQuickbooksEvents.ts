// Verb (job): apply a tenant's recorded QuickBooks changes: one ChangeDataCapture sync (the incremental QuickBooks
// sync) and a reconciliation of the accounts it changed.
import type { TenantContext } from "../context";
import { databaseNow, reconcileScope } from "../reconcile/reconcileScope";
import { reconcileTenant } from "../reconcile/reconcileTenant";
import { runSourceSync } from "../sync/runSourceSync";
import { settleWebhookEvents } from "./recordWebhookEvents";

/**
 * QuickBooks webhooks name entities, never their content: CDC fetches what changed since the cursor, which covers
 * every change recorded before it began (and more), so those events are settled together.
 */
export async function applyQuickbooksEvents({ ctx }: { ctx: TenantContext }): Promise<{ accountIds: string[] | null }> {
  const { tenant } = ctx;
  const since = await databaseNow(tenant);
  try {
    const result = await runSourceSync({ ctx, input: { source: "quickbooks" } });
    const today = ctx.clock().toISOString().slice(0, 10);
    const accountIds = await reconcileScope(tenant, { since, today, runs: [result], failed: false });
    if (accountIds === null) await reconcileTenant({ ctx, input: {} });
    else if (accountIds.length > 0) await reconcileTenant({ ctx, input: { accountIds } });
    await settleWebhookEvents(tenant, "quickbooks", { receivedUpTo: since }, "applied");
    return { accountIds };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await settleWebhookEvents(tenant, "quickbooks", { receivedUpTo: since }, "failed", message);
    throw error;
  }
}
