// The payment retry job on two BullMQ workers (two processes, one Redis, one PostgreSQL), as production runs it:
// approvals sent to both processes at once and a job delivered to both still make one Stripe charge.
import { type DatabaseHandle, openDatabase } from "@reckon/db";
import { freshPostgres, postgresAvailable } from "@reckon/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "../src/context";
import { createJobHandlers, type JobQueueSlot } from "../src/jobHandlers";
import { createBullMqRunner, type JobRunner } from "../src/jobs";
import { decidePaymentRetry } from "../src/payments/decidePaymentRetry";
import { getPaymentRetry } from "../src/payments/listPaymentRetries";
import { requestPaymentRetry } from "../src/payments/requestPaymentRetry";
import { runSourceSync } from "../src/sync/runSourceSync";
import { type ActionsTenant, actionsTenant } from "./actionsKit";
import { deletePrefix, randomPrefix, redisReachable, redisUrl, servicesRequired, sleep } from "./jobsTestkit";
import { smallScenario } from "./pipeline";

const available = (await postgresAvailable()) && (await redisReachable());
if (!available && servicesRequired) throw new Error("the payment retry worker tests need PostgreSQL and Redis");

const silent = pino({ level: "silent" });
let database: (DatabaseHandle & { url: string }) | null = null;
let t: ActionsTenant;
const prefix = randomPrefix("payment-retries");
const handles: DatabaseHandle[] = [];
const workers: JobRunner[] = [];

beforeAll(async () => {
  if (!available) return;
  database = await freshPostgres();
  t = await actionsTenant(database, smallScenario(5, 8, 2));
  for (let worker = 0; worker < 2; worker++) {
    const handle = await openDatabase({ kind: "postgres", url: database.url });
    handles.push(handle);
    const followUps: JobQueueSlot = { current: null };
    const handlers = createJobHandlers({
      db: handle.db,
      log: silent,
      secrets: t.system.secrets,
      clock: t.system.clock,
      jobs: followUps,
    });
    const runner = createBullMqRunner(handlers, { redisUrl, prefix, processJobs: true, concurrency: 2, log: silent });
    followUps.current = runner;
    workers.push(runner);
  }
}, 180_000);
afterAll(async () => {
  for (const runner of workers) await runner.close();
  for (const handle of handles) await handle.close();
  if (available) await deletePrefix(prefix);
  await t?.sandbox.stop();
  await database?.close();
});

/** The request once it has left `approved`, polled as a client would. */
async function settledRetry(retryId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const retry = await getPaymentRetry({ ctx: t.as.finance, input: { retryId } });
    if (retry && retry.status !== "approved") return retry;
    if (Date.now() > deadline) throw new Error(`retry ${retryId} is still ${retry?.status}`);
    await sleep(50);
  }
}

describe.skipIf(!available)("payment retries on BullMQ workers", () => {
  it("charges once for approvals sent to both processes and a job delivered to both", async () => {
    const { charge } = t.sandbox.changes.addCharge({
      customerId: t.own.stripeCustomerId,
      amount: 7_700,
      failed: true,
      deliver: false,
    });
    await runSourceSync({ ctx: t.system, input: { source: "stripe" } });
    const asked = await requestPaymentRetry({
      ctx: t.as.account_manager,
      input: { accountId: t.own.id, paymentId: charge.id },
    });
    if (!asked.ok) throw new Error(`request refused: ${asked.reason}`);
    const retryId = asked.retry.id;
    const approveOn = (jobs: JobRunner, ctx: TenantContext) =>
      decidePaymentRetry({ ctx, jobs, input: { retryId, decision: "approve" } });
    const answers = await Promise.all([approveOn(workers[0]!, t.as.finance), approveOn(workers[1]!, t.as.admin)]);
    expect(answers.filter((a) => a.ok && !a.replayed)).toHaveLength(1);
    // The same job once more on each process, past the queue's dedupe: what a redelivery would do.
    const payload = { tenantId: t.system.tenant.tenantId, retryId };
    await Promise.all(workers.map((w) => w.enqueue("payments.retry", payload)));

    expect(await settledRetry(retryId)).toMatchObject({ status: "succeeded", attempts: 1 });
    const intentId = String(charge.payment_intent);
    const confirms = () =>
      t.sandbox.faults.requests("stripe").filter((r) => r.method === "POST" && r.url.includes(`/${intentId}/confirm`));
    // The other runs found it settled (or claimed, and come back later to find it settled): no second call.
    await sleep(500);
    expect(confirms()).toHaveLength(1);
    expect(t.sandbox.scenario.stripe.charges.filter((c) => c.payment_intent === intentId)).toHaveLength(2);
    expect(await getPaymentRetry({ ctx: t.as.finance, input: { retryId } })).toMatchObject({ attempts: 1 });
  });
});
