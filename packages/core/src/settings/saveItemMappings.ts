// Verb (admin): say which metric each QuickBooks item bills; an item maps to one metric, a metric to many items.
import { inTransaction, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";
import { quickbooksItemId, sourceText } from "./fields";
import { listMetricSettings, type MetricSetting } from "./getSettings";
import { queueReconcile } from "./queueReconcile";

export const itemMappingInput = z.object({ quickbooksItemId, metric: sourceText(100) }).strict();

export const saveItemMappingsInput = z
  .object({ mappings: z.array(itemMappingInput).min(1).max(1000) })
  .strict()
  .superRefine(({ mappings }, check) => {
    const seen = new Set<string>();
    mappings.forEach((m, index) => {
      if (seen.has(m.quickbooksItemId)) {
        check.addIssue({
          code: "custom",
          path: ["mappings", index, "quickbooksItemId"],
          message: `item ${m.quickbooksItemId} appears more than once`,
        });
      }
      seen.add(m.quickbooksItemId);
    });
  });
export type SaveItemMappingsInput = z.input<typeof saveItemMappingsInput>;

export type ItemMappingsChange =
  | { ok: true; metrics: MetricSetting[]; reconcileJobId: string | null }
  /** Metric keys the tenant does not bill; nothing was changed. */
  | { ok: false; reason: "unknown_metric"; metrics: string[] };

export async function saveItemMappings({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  jobs: JobRunner;
  input: SaveItemMappingsInput;
}): Promise<ItemMappingsChange> {
  authorize(ctx.actor, "settings.manage");
  const { mappings } = saveItemMappingsInput.parse(input);
  const rows = JSON.stringify(mappings.map((m) => ({ item_id: m.quickbooksItemId, metric: m.metric })));
  const outcome = await inTransaction(ctx.tenant, async (tx) => {
    const unknown = await queryRows<{ metric: string }>(
      tx.db,
      sql`select distinct r.metric from json_to_recordset(${rows}::json) as r(item_id text, metric text)
          where not exists (select 1 from metrics m where m.tenant_id = ${tx.tenantId}::uuid and m.key = r.metric)
          order by 1`,
    );
    if (unknown.length > 0) return { unknown: unknown.map((u) => u.metric), set: [] };
    const changes = await queryRows<{ item_id: string; metric: string; previous: string | null }>(
      tx.db,
      sql`select r.item_id, r.metric, im.metric as previous
          from json_to_recordset(${rows}::json) as r(item_id text, metric text)
          left join item_metrics im on im.tenant_id = ${tx.tenantId}::uuid and im.quickbooks_item_id = r.item_id
          where im.metric is distinct from r.metric
          order by 1`,
    );
    if (changes.length === 0) return { unknown: [], set: [] };
    await queryRows(
      tx.db,
      sql`insert into item_metrics (tenant_id, quickbooks_item_id, metric)
          select ${tx.tenantId}::uuid, r.item_id, r.metric
          from json_to_recordset(${JSON.stringify(changes)}::json) as r(item_id text, metric text)
          on conflict (tenant_id, quickbooks_item_id) do update set metric = excluded.metric`,
    );
    const set = changes.map((c) => ({ quickbooksItemId: c.item_id, metric: c.metric, previous: c.previous }));
    await recordAudit({ ...ctx, tenant: tx }, { action: "item_mapping.updated", details: { set } });
    return { unknown: [], set };
  });
  if (outcome.unknown.length > 0) return { ok: false, reason: "unknown_metric", metrics: outcome.unknown };
  const reconcileJobId = outcome.set.length > 0 ? await queueReconcile(ctx, jobs) : null;
  return { ok: true, metrics: await listMetricSettings(ctx), reconcileJobId };
}
