// Verb (admin): stop treating a QuickBooks item as billing a metric; its lines then count as unmetered.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";
import { quickbooksItemId } from "./fields";
import { queueReconcile } from "./queueReconcile";

export const itemMappingKeyInput = z.object({ quickbooksItemId }).strict();
export type ItemMappingKeyInput = z.input<typeof itemMappingKeyInput>;

export type ItemMappingDeletion = { ok: true; reconcileJobId: string } | { ok: false; reason: "not_found" };

export async function deleteItemMapping({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  jobs: JobRunner;
  input: ItemMappingKeyInput;
}): Promise<ItemMappingDeletion> {
  authorize(ctx.actor, "settings.manage");
  const { quickbooksItemId: itemId } = itemMappingKeyInput.parse(input);
  const deleted = await inTransaction(ctx.tenant, async (tx) => {
    const [row] = await queryRows<{ metric: string }>(
      tx.db,
      sql`delete from item_metrics where tenant_id = ${tx.tenantId}::uuid and quickbooks_item_id = ${itemId}
          returning metric`,
    );
    if (!row) return false;
    await recordAudit(
      { ...ctx, tenant: tx },
      {
        action: "item_mapping.updated",
        target: { type: "quickbooks_item", id: itemId },
        details: { deleted: [{ quickbooksItemId: itemId, metric: row.metric }] },
      },
    );
    return true;
  });
  if (!deleted) return { ok: false, reason: "not_found" };
  return { ok: true, reconcileJobId: await queueReconcile(ctx, jobs) };
}
