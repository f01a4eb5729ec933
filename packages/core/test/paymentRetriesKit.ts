// Test helpers for payment retries: a tenant with failed Stripe payments to retry, the job handlers on an in-process
// runner (backoff shrunk) with a Slack notifier that records what it was asked to show, a queue that only records
// (so a test runs the retry job itself), and what the sandbox's Stripe saw.
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll } from "vitest";
import type { TenantContext } from "../src/context";
import { getFlag } from "../src/flags/getFlag";
import { createJobHandlers, type JobQueueSlot } from "../src/jobHandlers";
import { createInProcessRunner, type JobContext, type JobRunner } from "../src/jobs";
import type { SlackNotifier, SlackSubject } from "../src/notify/slackNotifier";
import { decidePaymentRetry } from "../src/payments/decidePaymentRetry";
import { getPaymentRetry } from "../src/payments/listPaymentRetries";
import type { PaymentRetry } from "../src/payments/paymentRetry";
import type { PaymentRetryJobResult } from "../src/payments/paymentRetryJob";
import { requestPaymentRetry } from "../src/payments/requestPaymentRetry";
import { runSourceSync } from "../src/sync/runSourceSync";
import { type ActionsTenant, actionsTenant, type LinkedAccount, type TestDatabase } from "./actionsKit";
import { smallScenario } from "./pipeline";

const silent = pino({ level: "silent" });

export interface SlackUpdate {
  subject: SlackSubject;
  id: string;
  /** The subject's status when the notifier read it, as the bot would have shown it. */
  status: string | undefined;
}

export interface RetryJobs {
  runner: JobRunner;
  slack: SlackUpdate[];
  close(): Promise<void>;
}

/** The catalog's handlers on an in-process runner, as the embedded default runs them. */
export function retryJobs(system: TenantContext, options: { stripeTimeoutMs?: number } = {}): RetryJobs {
  const slack: SlackUpdate[] = [];
  const notifier: SlackNotifier = {
    async notify(ctx, subject, id) {
      const status =
        subject === "payment_retry"
          ? (await getPaymentRetry({ ctx, input: { retryId: id } }))?.status
          : (await getFlag({ ctx, input: { flagId: id } }))?.status;
      slack.push({ subject, id, status });
    },
    postDigest() {
      throw new Error("no digests in these tests");
    },
  };
  const followUps: JobQueueSlot = { current: null };
  const handlers = createJobHandlers({
    db: system.db,
    log: silent,
    secrets: system.secrets,
    clock: system.clock,
    slack: { current: notifier },
    jobs: followUps,
    ...(options.stripeTimeoutMs ? { sourceTimeoutsMs: { stripe: options.stripeTimeoutMs } } : {}),
  });
  const runner = createInProcessRunner(handlers, { log: silent, backoffScale: 0.001 });
  followUps.current = runner;
  return { runner, slack, close: () => runner.close() };
}

export interface HeldJobs {
  /** Records what is queued and runs nothing. */
  runner: Pick<JobRunner, "enqueue">;
  queued: unknown[];
  /** One run of the `payments.retry` job, as a worker would start it. */
  run(retryId: string): Promise<PaymentRetryJobResult>;
}

export function heldJobs(system: TenantContext): HeldJobs {
  const queued: unknown[] = [];
  const handlers = createJobHandlers({ db: system.db, log: silent, secrets: system.secrets, clock: system.clock });
  const job = (): JobContext => ({
    jobId: `held-${queued.length}`,
    attempt: 1,
    log: silent,
    progress: () => {},
    signal: new AbortController().signal,
  });
  return {
    runner: {
      enqueue: async (_name, payload) => {
        queued.push(payload);
        return { jobId: `held-${queued.length}` };
      },
    },
    queued,
    run: (retryId) =>
      handlers["payments.retry"](
        { tenantId: system.tenant.tenantId, retryId },
        job(),
      ) as Promise<PaymentRetryJobResult>,
  };
}

export interface RetryFixture {
  t: ActionsTenant;
  /** The runner approvals queue on: it runs `payments.retry` and records what Slack is told. */
  jobs: RetryJobs;
  held: HeldJobs;
  /** A declined charge of the account (insufficient funds: its card pays on a retry), synced into Reckon. */
  failedPayment(
    account: LinkedAccount,
    metadata?: Record<string, string>,
  ): Promise<{ chargeId: string; intentId: string }>;
  /** A retry request for a new declined charge of the account. */
  requested(ctx: TenantContext, account: LinkedAccount): Promise<PaymentRetry & { intentId: string }>;
  approve(ctx: TenantContext, retryId: string, on?: RetryJobs | HeldJobs): ReturnType<typeof decidePaymentRetry>;
  /** The request once every job queued on `on` has run. */
  settled(retryId: string, on?: RetryJobs): Promise<PaymentRetry>;
  /** The request's status each time Slack was asked to show it. */
  toldSlack(retryId: string, on?: RetryJobs): Array<string | undefined>;
  /** The confirm requests the sandbox's Stripe served for an intent, and the charges it holds for it. */
  confirmCalls(intentId: string): ReadonlyArray<{ status: number }>;
  chargesOf(intentId: string): ActionsTenant["sandbox"]["scenario"]["stripe"]["charges"];
  /** The request's audit actions, oldest first. */
  audit(retryId: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function retryFixture(database: DatabaseHandle): Promise<RetryFixture> {
  const t = await actionsTenant(database, smallScenario(5, 8, 2));
  const jobs = retryJobs(t.system);
  const held = heldJobs(t.system);
  const failedPayment = async (account: LinkedAccount, metadata: Record<string, string> = {}) => {
    const { charge } = t.sandbox.changes.addCharge({
      customerId: account.stripeCustomerId,
      amount: 12_345,
      failed: true,
      metadata,
      deliver: false,
    });
    await runSourceSync({ ctx: t.system, input: { source: "stripe" } });
    return { chargeId: charge.id, intentId: String(charge.payment_intent) };
  };
  return {
    t,
    jobs,
    held,
    failedPayment,
    async requested(ctx, account) {
      const { chargeId, intentId } = await failedPayment(account);
      const answer = await requestPaymentRetry({ ctx, input: { accountId: account.id, paymentId: chargeId } });
      if (!answer.ok) throw new Error(`request refused: ${answer.reason}`);
      return { ...answer.retry, intentId };
    },
    approve: (ctx, retryId, on = jobs) =>
      decidePaymentRetry({ ctx, jobs: on.runner, input: { retryId, decision: "approve" } }),
    async settled(retryId, on = jobs) {
      await on.runner.drain();
      return (await getPaymentRetry({ ctx: t.as.finance, input: { retryId } }))!;
    },
    toldSlack: (retryId, on = jobs) =>
      on.slack.filter((n) => n.subject === "payment_retry" && n.id === retryId).map((n) => n.status),
    confirmCalls: (intentId) =>
      t.sandbox.faults.requests("stripe").filter((r) => r.method === "POST" && r.url.includes(`/${intentId}/confirm`)),
    chargesOf: (intentId) => t.sandbox.scenario.stripe.charges.filter((c) => c.payment_intent === intentId),
    audit: async (retryId) =>
      (
        await queryRows<{ action: string }>(
          t.system.tenant.db,
          sql`select action from audit_log where target_type = 'payment_retry' and target_id = ${retryId} order by id`,
        )
      ).map((r) => r.action),
    async close() {
      await jobs.close();
      await t.sandbox.stop();
    },
  };
}

/**
 * A retry fixture for the suite on `db` (opened before its tests, closed after); the getter answers null where the
 * database is not available here (Postgres not running, and not required).
 */
export function useRetryFixture(db: TestDatabase): () => RetryFixture | null {
  let database: DatabaseHandle | null = null;
  let fixture: RetryFixture | null = null;
  beforeAll(async () => {
    if (!(await db.available())) return;
    database = await db.open();
    fixture = await retryFixture(database);
  });
  afterAll(async () => {
    await fixture?.close();
    await database?.close();
  });
  return () => fixture;
}
