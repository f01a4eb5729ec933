// The handlers behind the job catalog: each turns a job into verb calls, on either runner.
import { syncSourceList, tenantScope } from "@reckon/db";
import type { ServiceContext, TenantContext } from "./context";
import type { JobHandlers } from "./jobs";
import { reconcileTenant } from "./reconcile/reconcileTenant";
import { runSourceSync, type SourceSyncResult } from "./sync/runSourceSync";

export function createJobHandlers(services: ServiceContext & { onProgress?: (line: string) => void }): JobHandlers {
  const forTenant = (tenantId: string): TenantContext => ({ ...services, tenant: tenantScope(services.db, tenantId) });
  return {
    "sync.source": async ({ tenantId, source }, job) => {
      const ctx = { ...forTenant(tenantId), log: job.log };
      const result = await runSourceSync({ ctx, input: { source }, onProgress: (line) => job.progress(line) });
      await reconcileTenant({ ctx, input: {} });
      return result;
    },
    "sync.tenant": async ({ tenantId }, job) => {
      const ctx = { ...forTenant(tenantId), log: job.log };
      const results: SourceSyncResult[] = [];
      let retryable: unknown = null;
      // One source failing does not hold back the others; its run is recorded partial or failed.
      for (const source of syncSourceList) {
        try {
          results.push(
            await runSourceSync({
              ctx,
              input: { source },
              onProgress: (line) => {
                job.progress(line);
                services.onProgress?.(line);
              },
            }),
          );
        } catch (error) {
          retryable ??= error;
        }
      }
      const reconciled = await reconcileTenant({ ctx, input: {} });
      services.onProgress?.(`reconciled ${reconciled.accounts} accounts, ${reconciled.discrepancies} discrepancies`);
      // Rethrown after reconciling what did arrive, so the job layer retries the source from its cursor.
      if (retryable) throw retryable;
      return { results, reconciled };
    },
    "reconcile.tenant": async ({ tenantId, accountIds }, job) => {
      const ctx = { ...forTenant(tenantId), log: job.log };
      return reconcileTenant({ ctx, input: accountIds ? { accountIds } : {} });
    },
  };
}
