// Verb (admin): confirm which Stripe customer, QuickBooks customer or Amplitude group an account is. A confirmed link
// is never replaced by the sync's own linking (linkAccounts only fills links that are empty).
import { inTransaction, isUniqueViolation, queryRows, type TenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";
import { sourceText } from "./fields";
import { type AccountRef, type LinkSource, linkSources } from "./listLinkSuggestions";
import { queueReconcile } from "./queueReconcile";

export const confirmAccountLinkInput = z
  .object({
    accountId: z.string().uuid("an account id"),
    source: z.enum(linkSources),
    /** Stripe customer id (cus_...), QuickBooks customer Id, or Amplitude group id. */
    sourceId: sourceText(200),
  })
  .strict();
export type ConfirmAccountLinkInput = z.input<typeof confirmAccountLinkInput>;

export type AccountLinkChange =
  | {
      ok: true;
      account: AccountRef;
      /** The link it replaced, when the account was linked to another record of that source. */
      replaced: string | null;
      /** Null when the link was confirmed already and nothing changed. */
      reconcileJobId: string | null;
    }
  | { ok: false; reason: "account_not_found" | "source_not_found" }
  | { ok: false; reason: "linked_elsewhere"; account: AccountRef };

const columns = {
  stripe: "stripe_customer_id",
  quickbooks: "quickbooks_customer_id",
  amplitude: "amplitude_group_id",
} as const satisfies Record<LinkSource, string>;

/** A source record exists when the source has sent it: a customer row, or usage for an Amplitude group. */
async function sourceRecordExists(tx: TenantScope, source: LinkSource, sourceId: string): Promise<boolean> {
  const rows =
    source === "amplitude"
      ? await queryRows(
          tx.db,
          sql`select 1 from usage_daily where tenant_id = ${tx.tenantId}::uuid and group_id = ${sourceId} limit 1`,
        )
      : await queryRows(
          tx.db,
          sql`select 1 from source_customers
              where tenant_id = ${tx.tenantId}::uuid and source = ${source} and source_id = ${sourceId}`,
        );
  return rows.length > 0;
}

export async function confirmAccountLink({
  ctx,
  jobs,
  input,
}: {
  ctx: TenantContext;
  jobs: JobRunner;
  input: ConfirmAccountLinkInput;
}): Promise<AccountLinkChange> {
  authorize(ctx.actor, "settings.manage");
  const { accountId, source, sourceId } = confirmAccountLinkInput.parse(input);
  const column = sql.identifier(columns[source]);
  type Outcome =
    | Exclude<AccountLinkChange, { ok: true }>
    | { ok: true; account: AccountRef; replaced: string | null; changed: boolean };
  const attempt = () =>
    inTransaction(ctx.tenant, async (tx): Promise<Outcome> => {
      const [account] = await queryRows<{ id: string; name: string; linked: string | null; method: string | null }>(
        tx.db,
        sql`select id, name, ${column} as linked, link_methods->>${source} as method from accounts
            where tenant_id = ${tx.tenantId}::uuid and id = ${accountId}::uuid for update`,
      );
      if (!account) return { ok: false, reason: "account_not_found" };
      if (!(await sourceRecordExists(tx, source, sourceId))) return { ok: false, reason: "source_not_found" };
      const [other] = await queryRows<AccountRef>(
        tx.db,
        sql`select id, name from accounts
            where tenant_id = ${tx.tenantId}::uuid and ${column} = ${sourceId} and id <> ${accountId}::uuid`,
      );
      if (other) return { ok: false, reason: "linked_elsewhere", account: { id: other.id, name: other.name } };
      const ref = { id: account.id, name: account.name };
      if (account.linked === sourceId && account.method === "confirmed") {
        return { ok: true, account: ref, replaced: null, changed: false };
      }
      const replaced = account.linked !== null && account.linked !== sourceId ? account.linked : null;
      await queryRows(
        tx.db,
        sql`update accounts set ${column} = ${sourceId},
              link_methods = link_methods || jsonb_build_object(${source}::text, 'confirmed'), updated_at = now()
            where tenant_id = ${tx.tenantId}::uuid and id = ${accountId}::uuid`,
      );
      if (source !== "amplitude") {
        // The customer it replaced is unlinked now (listed as unmapped); the confirmed one points here.
        await queryRows(
          tx.db,
          sql`update source_customers set account_id = case when source_id = ${sourceId} then ${accountId}::uuid end
              where tenant_id = ${tx.tenantId}::uuid and source = ${source}
                and (source_id = ${sourceId} or (source_id = ${replaced} and account_id = ${accountId}::uuid))`,
        );
      }
      await recordAudit(
        { ...ctx, tenant: tx },
        {
          action: "account_link.confirmed",
          target: { type: "account", id: accountId },
          details: { source, sourceId, previous: account.linked, previousMethod: account.method },
        },
      );
      return { ok: true, account: ref, replaced, changed: true };
    });
  const outcome = await attempt().catch(async (error: unknown) => {
    // A concurrent confirmation took the record first: answering again reports who has it.
    if (isUniqueViolation(error)) return attempt();
    throw error;
  });
  if (!outcome.ok) return outcome;
  const { changed, ...confirmed } = outcome;
  return { ...confirmed, reconcileJobId: changed ? await queueReconcile(ctx, jobs) : null };
}
