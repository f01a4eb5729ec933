// The crm.writeback job: for each CRM the tenant connected with write-back credentials, link the records that name
// their account (scheduled runs), then write the changed summary fields. Queued after every reconciliation.
import { randomUUID } from "node:crypto";
import { type CrmProvider, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs/runner";
import { openCrmClient } from "./clients";
import { type CrmRecordLister, sweepCrmLinks } from "./linkCrmRecord";
import { type CrmWriter, type WriteBackResult, writeBackToCrm } from "./writeBack";

export type CrmClient = CrmWriter & CrmRecordLister;
/** The connector for a tenant's CRM, or null when it has no write-back credentials. */
export type CrmClientFactory = (ctx: TenantContext, provider: CrmProvider) => Promise<CrmClient | null>;

/** Queues the write-back of reconciled accounts (all of them: null), when the tenant writes back to a CRM at all. */
export async function queueCrmWriteback(
  jobs: Pick<JobRunner, "enqueue"> | null,
  ctx: TenantContext,
  accountIds: string[] | null,
): Promise<void> {
  if (!jobs) return;
  const [connected] = await queryRows<{ provider: string }>(
    ctx.tenant.db,
    sql`select provider from crm_connections where tenant_id = ${ctx.tenant.tenantId}::uuid
          and sealed_secrets is not null and status = 'connected' limit 1`,
  );
  if (!connected) return;
  const tenantId = ctx.tenant.tenantId;
  const some = accountIds !== null && accountIds.length <= 5_000;
  await jobs.enqueue(
    "crm.writeback",
    { tenantId, reason: "reconciled", ...(some ? { accountIds } : {}) },
    // A whole-tenant run still waiting covers any other: a burst of reconciliations queues it once.
    some ? {} : { dedupeKey: `crm.writeback:${tenantId}` },
  );
}

/**
 * How long a write-back run holds its CRM: the job's timeout (10 min), so only a worker that died leaves a claim this
 * old. Another run waits for it instead of computing the same changes and sending them a second time.
 */
export const writebackLeaseMs = 10 * 60_000;

/** Another worker is writing to this CRM for the tenant now: retried after the claim's remaining time (or sooner). */
export class CrmWritebackBusy extends Error {
  override readonly name = "CrmWritebackBusy";
  readonly retryable = true;
  constructor(
    readonly provider: CrmProvider,
    readonly retryAfterMs: number,
  ) {
    super(
      `another worker is writing back to ${provider} for this tenant; trying again in ${Math.round(retryAfterMs / 1000)} s`,
    );
  }
}

async function claimCrm(ctx: TenantContext, provider: CrmProvider): Promise<string | null> {
  const claim = randomUUID();
  const [row] = await queryRows<{ provider: string }>(
    ctx.tenant.db,
    sql`update crm_connections set writeback_claim = ${claim},
          writeback_claimed_until = now() + ${`${writebackLeaseMs} milliseconds`}::interval
        where tenant_id = ${ctx.tenant.tenantId}::uuid and provider = ${provider}
          and (writeback_claim is null or writeback_claimed_until < now())
        returning provider`,
  );
  return row ? claim : null;
}

async function releaseCrm(ctx: TenantContext, provider: CrmProvider, claim: string): Promise<void> {
  await queryRows(
    ctx.tenant.db,
    sql`update crm_connections set writeback_claim = null, writeback_claimed_until = null
        where tenant_id = ${ctx.tenant.tenantId}::uuid and provider = ${provider} and writeback_claim = ${claim}`,
  );
}

/** A short wait for a claim held by a live run (it is usually done within seconds), capped by the lease. */
async function busy(ctx: TenantContext, provider: CrmProvider): Promise<CrmWritebackBusy> {
  const [row] = await queryRows<{ left_ms: number }>(
    ctx.tenant.db,
    sql`select greatest(0, extract(epoch from (writeback_claimed_until - now())) * 1000)::int as left_ms
        from crm_connections where tenant_id = ${ctx.tenant.tenantId}::uuid and provider = ${provider}`,
  );
  return new CrmWritebackBusy(provider, Math.min(15_000, (row?.left_ms ?? 0) + 1_000));
}

export interface CrmWritebackRun {
  provider: CrmProvider;
  links: { seen: number; linked: number } | null;
  writeBack: WriteBackResult | null;
  /** The CRM refused the credentials: the connection is marked needs_reconnect and skipped until an admin reconnects. */
  needsReconnect: boolean;
}

export async function runCrmWriteback(
  ctx: TenantContext,
  options: {
    provider?: CrmProvider;
    accountIds?: string[];
    sweepLinks: boolean;
    webBaseUrl: string;
    clients?: CrmClientFactory;
    onProgress?: (line: string) => void;
  },
): Promise<CrmWritebackRun[]> {
  const connections = await queryRows<{ provider: CrmProvider }>(
    ctx.tenant.db,
    sql`select provider from crm_connections where tenant_id = ${ctx.tenant.tenantId}::uuid
          and sealed_secrets is not null and status = 'connected'
          ${options.provider ? sql`and provider = ${options.provider}` : sql``}
        order by provider`,
  );
  const open = options.clients ?? openCrmClient;
  // Each CRM on its own: one being down does not hold back the other; the first failure is rethrown for a retry.
  const settled = await Promise.allSettled(
    connections.map(async ({ provider }): Promise<CrmWritebackRun> => {
      const client = await open(ctx, provider);
      if (!client) return { provider, links: null, writeBack: null, needsReconnect: false };
      const claim = await claimCrm(ctx, provider);
      if (!claim) throw await busy(ctx, provider);
      try {
        const links = options.sweepLinks ? await sweepCrmLinks(ctx, provider, client) : null;
        const writeBack = await writeBackToCrm({
          ctx,
          provider,
          writer: client,
          webBaseUrl: options.webBaseUrl,
          ...(options.accountIds ? { accountIds: options.accountIds } : {}),
        });
        options.onProgress?.(
          `${provider}: ${writeBack.written} of ${writeBack.checked} records written (${writeBack.refused.length} refused)`,
        );
        return { provider, links, writeBack, needsReconnect: false };
      } catch (error) {
        if ((error as { kind?: unknown }).kind !== "unauthorized") throw error;
        await queryRows(
          ctx.tenant.db,
          sql`update crm_connections set status = 'needs_reconnect', updated_at = now()
              where tenant_id = ${ctx.tenant.tenantId}::uuid and provider = ${provider}`,
        );
        ctx.log.warn(
          { provider, err: error },
          "the CRM refused Reckon's credentials: write-back paused until reconnected",
        );
        return { provider, links: null, writeBack: null, needsReconnect: true };
      } finally {
        await releaseCrm(ctx, provider, claim);
      }
    }),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<CrmWritebackRun>).value);
}
