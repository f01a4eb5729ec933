// The handlers behind the job catalog: each turns a job into verb calls, on either runner.
import { syncSourceList, tenantScope } from "@reckon/db";
import type { ServiceContext, TenantContext } from "./context";
import { type CrmClientFactory, queueCrmWriteback, runCrmWriteback } from "./crm/runCrmWriteback";
import { sendDueDigests } from "./digests/sendDigests";
import type { JobHandlers, JobRunner } from "./jobs";
import type { SlackNotifierSlot } from "./notify/slackNotifier";
import { runPaymentRetryJob } from "./payments/paymentRetryJob";
import { databaseNow, reconcileScope } from "./reconcile/reconcileScope";
import { reconcileTenant } from "./reconcile/reconcileTenant";
import { runSourceSync } from "./sync/runSourceSync";
import { applyQuickbooksEvents } from "./webhooks/applyQuickbooksEvents";
import { applyStripeEvent } from "./webhooks/applyStripeEvent";

/** The runner the handlers run on, once it exists: for a job that queues another (a settled retry's Slack update). */
export interface JobQueueSlot {
  current: Pick<JobRunner, "enqueue"> | null;
}

export function createJobHandlers(
  services: ServiceContext & {
    onProgress?: (line: string) => void;
    slack?: SlackNotifierSlot;
    jobs?: JobQueueSlot;
    /** Where people reach Reckon's web view: the CRM records' "Open in Reckon" link. */
    webBaseUrl?: string;
    /** Builds the CRM connectors from a tenant's connection (tests may point them elsewhere). */
    crmClients?: CrmClientFactory;
  },
): JobHandlers {
  /** The reconciled accounts' CRM records are brought up to date (a no-op for a tenant without CRM write-back). */
  const afterReconcile = (ctx: TenantContext, accountIds: string[] | null) =>
    queueCrmWriteback(services.jobs?.current ?? null, ctx, accountIds);
  const forTenant = (tenantId: string): TenantContext => ({
    ...services,
    tenant: tenantScope(services.db, tenantId),
    actor: { kind: "system", via: "job" },
  });
  return {
    "sync.source": async ({ tenantId, source }, job) => {
      const ctx = { ...forTenant(tenantId), log: job.log };
      const since = await databaseNow(ctx.tenant);
      const result = await runSourceSync({ ctx, input: { source }, onProgress: (line) => job.progress(line) });
      const today = ctx.clock().toISOString().slice(0, 10);
      const accountIds = await reconcileScope(ctx.tenant, { since, today, runs: [result], failed: false });
      if (accountIds === null) await reconcileTenant({ ctx, input: {} });
      else if (accountIds.length > 0) await reconcileTenant({ ctx, input: { accountIds } });
      if (accountIds === null || accountIds.length > 0) await afterReconcile(ctx, accountIds);
      return result;
    },
    "sync.tenant": async ({ tenantId }, job) => {
      const ctx = { ...forTenant(tenantId), log: job.log };
      const since = await databaseNow(ctx.tenant);
      const progress = (line: string) => {
        job.progress(line);
        services.onProgress?.(line);
      };
      // The sources sync side by side (each its own writer); one failing does not hold back the others, and its
      // run is recorded partial or failed.
      const settled = await Promise.allSettled(
        syncSourceList.map((source) => runSourceSync({ ctx, input: { source }, onProgress: progress })),
      );
      const results = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      // Only the accounts whose inputs changed, unless something tenant-wide moved (see reconcileScope).
      const today = ctx.clock().toISOString().slice(0, 10);
      const accountIds = await reconcileScope(ctx.tenant, { since, today, runs: results, failed: Boolean(failure) });
      const reconciled =
        accountIds === null
          ? await reconcileTenant({ ctx, input: {} })
          : accountIds.length > 0
            ? await reconcileTenant({ ctx, input: { accountIds } })
            : { accounts: 0, discrepancies: 0 };
      if (accountIds === null || accountIds.length > 0) await afterReconcile(ctx, accountIds);
      progress(
        accountIds === null
          ? `reconciled ${reconciled.accounts} accounts, ${reconciled.discrepancies} discrepancies`
          : `reconciled ${reconciled.accounts} changed account${reconciled.accounts === 1 ? "" : "s"}`,
      );
      // Rethrown after reconciling what did arrive, so the job layer retries the source from its cursor.
      if (failure) throw failure.reason;
      return { results, reconciled };
    },
    "reconcile.tenant": async ({ tenantId, accountIds }, job) => {
      const ctx = { ...forTenant(tenantId), log: job.log };
      const reconciled = await reconcileTenant({ ctx, input: accountIds ? { accountIds } : {} });
      await afterReconcile(ctx, accountIds ?? null);
      return reconciled;
    },
    // Reconciles the accounts the event touched in the same job: one hop fewer between a payment and its account.
    "webhook.apply": async ({ tenantId, source, eventId }, job) => {
      const ctx = { ...forTenant(tenantId), log: job.log };
      const applied =
        source === "stripe"
          ? await applyStripeEvent({ ctx, input: { eventId } })
          : await applyQuickbooksEvents({ ctx });
      if (applied.accountIds === null || applied.accountIds.length > 0) await afterReconcile(ctx, applied.accountIds);
      return applied;
    },
    "slack.notify": async ({ tenantId, subject, id }, job) => {
      const notifier = services.slack?.current;
      if (!notifier) {
        job.log.info({ subject, id }, "Slack is not configured for this process: nothing posted");
        return { posted: false };
      }
      await notifier.notify({ ...forTenant(tenantId), log: job.log }, subject, id);
      return { posted: true };
    },
    "digests.tick": async (_payload, job) => {
      const notifier = services.slack?.current;
      if (!notifier) {
        job.log.info("Slack is not configured for this process: no digests sent");
        return { tenants: 0, sent: 0, alreadySent: 0, failed: 0, unanswered: 0, deferred: 0 };
      }
      const result = await sendDueDigests({ ...services, log: job.log }, notifier);
      if (result.tenants > 0) job.log.info(result, "digests due: sent, or left for the next tick");
      return result;
    },
    // An approval's Stripe call, queued by decidePaymentRetry; once settled it queues the request's Slack update.
    "payments.retry": async ({ tenantId, retryId }, job) =>
      runPaymentRetryJob({ ...forTenant(tenantId), log: job.log }, retryId, services.jobs?.current ?? null),
    "crm.writeback": async ({ tenantId, provider, accountIds, reason }, job) =>
      runCrmWriteback(
        { ...forTenant(tenantId), log: job.log },
        {
          ...(provider ? { provider } : {}),
          ...(accountIds ? { accountIds } : {}),
          sweepLinks: reason === "schedule",
          webBaseUrl: services.webBaseUrl ?? "http://localhost:3000",
          ...(services.crmClients ? { clients: services.crmClients } : {}),
          onProgress: (line) => job.progress(line),
        },
      ),
  };
}
