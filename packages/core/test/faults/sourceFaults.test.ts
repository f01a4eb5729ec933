// Source faults from the sandbox's switches (429 storms, 5xx, malformed and truncated bodies, expired and revoked
// tokens) and duplicate or out-of-order webhooks from its sender, each injected mid-sync into a fresh tenant synced
// through BullMQ on a private Postgres + Redis, then compared with truth.
import type { SyncSource } from "@reckon/db";
import {
  chargeHistory,
  type QuickbooksEntityChange,
  quickbooksNotification,
  type RunningSandbox,
  type Scenario,
} from "@reckon/sandbox";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "../../src/context";
import { createLogger } from "../../src/log";
import { createSecretBox } from "../../src/secrets";
import { updateConnection } from "../../src/settings/updateConnection";
import { getSyncStatus } from "../../src/sync/getSyncStatus";
import { connectionStatus } from "../../src/sync/reconnect";
import { requeueUnappliedWebhooks } from "../../src/webhooks/recordWebhookEvents";
import { clock, connectTenant, testSecretKey } from "../pipeline";
import {
  cleanRun,
  expectClean,
  finishRun,
  newTenant,
  requestsBefore,
  type Suite,
  sources,
  startSuite,
  stopSuite,
  syncUntilComplete,
} from "./harness";
import { privateServicesAvailable, until } from "./privateServices";
import { readStored } from "./truth";
import { deliverMidSync, slugOf, startWebhookEndpoint, type WebhookEndpoint, webhookRows } from "./webhookEndpoint";

const seeds = [31, 32];

/** One faulted tenant under way. */
interface FaultRun {
  suite: Suite;
  seed: number;
  ctx: TenantContext;
  sandbox: RunningSandbox;
  /** Requests to let through so the next one is mid-sync: the `nth` (default 3rd) a clean run answered. */
  midSync: MidSync;
}

type MidSync = (source: SyncSource, nth?: number) => number;

interface SourceFault {
  fault: string;
  /** Queues the fault in the tenant's sandbox before its sync starts (and may act once it is under way). */
  inject(sandbox: RunningSandbox, midSync: MidSync): void | Promise<void>;
  /** Error kinds a failed or partial run may record under this fault; anything else is a wrong classification. */
  errorKinds: readonly string[];
  /** Proof the fault reached the connector, from the sandbox's request log, the tenant's runs or its webhook events. */
  hit(sandbox: RunningSandbox, brokenRuns: readonly SyncSource[], run: FaultRun): boolean | Promise<boolean>;
  /**
   * The fault's own sync rounds before the schedule catches up (webhooks delivered while the sync runs, a reconnect
   * between rounds), with what it must assert on the way; returns how many rounds it ran. Default: none.
   */
  during?(run: FaultRun): Promise<number>;
  /** A QuickBooks company of its own: Intuit's notifications find their workspace by company (realm) id. */
  ownCompany?: boolean;
}

/** The same fault on every source, each placed at its third answered request (see requestsBefore). */
const eachSource =
  (inject: (sandbox: RunningSandbox, source: SyncSource, okCount: number) => void) =>
  (sandbox: RunningSandbox, midSync: MidSync) => {
    for (const source of sources) inject(sandbox, source, midSync(source));
  };
const everySourceBroke = (_: RunningSandbox, broken: readonly SyncSource[]) => sources.every((s) => broken.includes(s));

const cases: SourceFault[] = [
  {
    // Four in a row on every source: the job's fifth attempt gets through. Retry-After 1 s where the provider sends it.
    fault: "429 storm (4 in a row, every source)",
    inject: eachSource((sandbox, source, okCount) => {
      sandbox.faults.letThrough(source, okCount);
      sandbox.faults.rateLimitNext(source, 4, 1);
    }),
    errorKinds: ["rate_limited"],
    hit: (sandbox) => sources.every((s) => sandbox.faults.requests(s).some((r) => r.status === 429)),
  },
  {
    fault: "5xx (500 then 503, every source)",
    inject: eachSource((sandbox, source, okCount) => {
      sandbox.faults.failAfter(source, okCount, 1, 500);
      sandbox.faults.failNext(source, 1, 503);
    }),
    errorKinds: ["transient"],
    hit: (sandbox) => sources.every((s) => sandbox.faults.requests(s).some((r) => r.status >= 500)),
  },
  ...(["broken_json", "truncated", "wrong_shape"] as const).map(
    (body): SourceFault => ({
      fault: `malformed body: ${body.replace("_", " ")}`,
      inject: eachSource((sandbox, source, okCount) => {
        sandbox.faults.letThrough(source, okCount);
        sandbox.faults.malformNext(source, 1, body);
      }),
      // Unreadable answers are not retried by the job (a retry cannot fix them); the next scheduled sync resumes.
      errorKinds: ["invalid"],
      hit: everySourceBroke,
    }),
  ),
  {
    // The access token expires while a request is in flight: the connector refreshes once and the run completes.
    fault: "expired QuickBooks access token",
    inject: async (sandbox) => {
      sandbox.faults.letThrough("quickbooks", 2);
      sandbox.faults.delayNext("quickbooks", 1, 500);
      void until(() => sandbox.faults.requestCount("quickbooks") >= 2, "two QuickBooks answers").then(() =>
        sandbox.faults.expireQuickbooksAccessTokens(),
      );
    },
    errorKinds: [],
    hit: (sandbox) => {
      const qbo = sandbox.faults.requests("quickbooks");
      const refreshes = qbo.filter((r) => r.method === "POST");
      return qbo.some((r) => r.status === 401) && refreshes.length >= 3 && refreshes.every((r) => r.status === 200);
    },
    during: async ({ suite, ctx, sandbox }) => {
      const rounds = await syncUntilComplete(suite.runner, ctx);
      // Rotation was persisted: the next run's connector starts from the stored refresh token, and the provider would
      // refuse the one it replaced (invalid_grant, then needs_reconnect). Expire again and sync once more.
      sandbox.faults.expireQuickbooksAccessTokens();
      await suite.runner.enqueue("sync.source", {
        tenantId: ctx.tenant.tenantId,
        source: "quickbooks",
        reason: "schedule",
      });
      await suite.runner.drain();
      const runs = (await readStored(ctx)).runs.filter((r) => r.source === "quickbooks");
      expect(runs.map((r) => r.status)).toEqual(runs.map(() => "complete"));
      expect(await connectionStatus(ctx, "quickbooks")).toBe("connected");
      return rounds + 1;
    },
  },
  {
    // The company disconnects the app mid-sync: refreshing answers invalid_grant. The run keeps what it stored, the
    // connection waits for an admin, and once reconnected the sync resumes from its cursor.
    fault: "revoked QuickBooks grant",
    inject: (sandbox, midSync) => {
      const okCount = midSync("quickbooks");
      sandbox.faults.letThrough("quickbooks", okCount);
      sandbox.faults.delayNext("quickbooks", 1, 500);
      void until(() => sandbox.faults.requestCount("quickbooks") >= okCount, "QuickBooks mid-sync").then(() =>
        sandbox.faults.revokeQuickbooksGrant(),
      );
    },
    errorKinds: ["revoked"],
    hit: (sandbox, broken) =>
      broken.includes("quickbooks") &&
      sandbox.faults.requests("quickbooks").some((r) => r.method === "POST" && r.status === 400),
    during: async ({ suite, ctx, sandbox }) => {
      const schedule = async (only?: SyncSource) => {
        for (const source of only ? [only] : sources) {
          await suite.runner.enqueue("sync.source", { tenantId: ctx.tenant.tenantId, source, reason: "schedule" });
        }
        await suite.runner.drain();
      };
      await schedule();
      const quickbooksRuns = async () => (await readStored(ctx)).runs.filter((r) => r.source === "quickbooks");
      // Not retried (no retry can mend a refused grant): one run, partial with what it stored, and why.
      expect(await quickbooksRuns()).toEqual([
        { source: "quickbooks", status: "partial", errors: [expect.objectContaining({ kind: "revoked" })] },
      ]);
      expect(await connectionStatus(ctx, "quickbooks")).toBe("needs_reconnect");
      const status = (await getSyncStatus({ ctx })).find((s) => s.source === "quickbooks");
      expect(status).toMatchObject({
        connection: "needs_reconnect",
        action: expect.stringMatching(/^Reconnect QuickBooks in Settings/),
      });
      // The schedule leaves it alone meanwhile: no run, nothing asked of QuickBooks (its token endpoint throttles).
      const asked = sandbox.faults.requestCount("quickbooks");
      await schedule("quickbooks");
      expect(sandbox.faults.requestCount("quickbooks")).toBe(asked);
      expect(await quickbooksRuns()).toHaveLength(1);
      // An admin reconnects with the company's new grant (PUT /v1/connections/quickbooks calls this verb).
      const q = sandbox.quickbooks;
      await updateConnection({
        ctx,
        input: {
          source: "quickbooks",
          settings: { baseUrl: q.baseUrl, tokenUrl: q.tokenUrl, realmId: q.realmId },
          secrets: {
            clientId: q.clientId,
            clientSecret: q.clientSecret,
            refreshToken: sandbox.faults.grantQuickbooksAgain(),
          },
        },
      });
      expect(await connectionStatus(ctx, "quickbooks")).toBe("connected");
      return 2;
    },
  },
  {
    // Every payment event delivered twice at once, and every QuickBooks notification twice (CloudEvents and classic),
    // while both syncs run: dedup by event id records each once, each is applied by re-fetching what it names.
    fault: "duplicate webhooks",
    ownCompany: true,
    inject: holdMidSync,
    errorKinds: [],
    hit: webhooksApplied,
    during: (run) =>
      syncWithWebhooks(run, {
        stripe: paymentHistories(run.sandbox.scenario).flatMap((history) =>
          history.map(
            (event) => () =>
              Promise.all([run.sandbox.webhooks.sendStripe(event), run.sandbox.webhooks.sendStripe(event)]),
          ),
        ),
        quickbooks: (["cloudevents", "classic"] as const).flatMap((format) => {
          const { body, id } = quickbooksNotification(
            run.sandbox.scenario.quickbooks.realmId,
            paymentChanges(run.sandbox.scenario),
            format,
          );
          return [
            () => run.sandbox.webhooks.sendQuickbooks(body, id),
            () => run.sandbox.webhooks.sendQuickbooks(body, id),
          ];
        }),
      }),
  },
  {
    // Each charge's events newest first (charge.refunded, charge.dispute.created or charge.failed before the
    // charge.succeeded or intent event whose snapshot is older), and QuickBooks' invoice update before the payment
    // that caused it: the stored state is each object's current one, never a stale snapshot.
    fault: "out-of-order webhooks",
    ownCompany: true,
    inject: holdMidSync,
    errorKinds: [],
    hit: async (sandbox, broken, run) =>
      (await webhooksApplied(sandbox, broken, run)) && staleSnapshotsCoverLaterStates(sandbox),
    during: (run) =>
      syncWithWebhooks(run, {
        stripe: paymentHistories(run.sandbox.scenario).flatMap((history) =>
          [...history].reverse().map((event) => () => run.sandbox.webhooks.sendStripe(event)),
        ),
        quickbooks: [...paymentChanges(run.sandbox.scenario)].reverse().map((change) => {
          const { body, id } = quickbooksNotification(run.sandbox.scenario.quickbooks.realmId, [change], "cloudevents");
          return () => run.sandbox.webhooks.sendQuickbooks(body, id);
        }),
      }),
  },
];

const available = privateServicesAvailable();

describe.runIf(available)("source faults against the generator's ground truth", () => {
  let suite: Suite;
  let endpoint: WebhookEndpoint;
  beforeAll(async () => {
    suite = await startSuite("source");
    const services = {
      db: suite.database.db,
      log: createLogger("silent"),
      secrets: createSecretBox(testSecretKey),
      clock,
    };
    endpoint = await startWebhookEndpoint(services, suite.runner);
    for (const seed of seeds) await cleanRun(suite, seed);
  });
  afterAll(async () => {
    suite?.table.print("Source faults");
    await stopSuite(suite);
    await endpoint?.close();
  });

  for (const { fault, inject, errorKinds, hit, during, ownCompany } of cases) {
    it.each(seeds)(`${fault}: seed %i loses and duplicates nothing`, async (seed) => {
      const { ctx, sandbox } = ownCompany ? await tenantWithOwnCompany(suite, seed) : await newTenant(suite, seed);
      endpoint.connect(await slugOf(ctx), sandbox);
      const midSync: MidSync = (source, nth = 3) => requestsBefore(suite, seed, source, nth);
      await inject(sandbox, midSync);
      const rounds = (await during?.({ suite, seed, ctx, sandbox, midSync })) ?? 0;
      const outcome = await finishRun(suite, seed, ctx, errorKinds, rounds);
      const broken = (await readStored(ctx)).runs.filter((r) => r.status !== "complete").map((r) => r.source);
      const run = { suite, seed, ctx, sandbox, midSync };
      expect(await hit(sandbox, broken as SyncSource[], run), "the fault reached the sync").toBe(true);
      suite.table.add(fault, outcome);
      expectClean(outcome, `${fault} seed ${seed}`);
      expect(outcome.orphanedRuns).toBe(0);
    });
  }

  it("ran every fault on every seed", () => {
    expect(suite.table.size).toBe(cases.length);
  });
});

/** A tenant like newTenant's whose QuickBooks company id is its own (the data is the seed's, so truth holds). */
async function tenantWithOwnCompany(suite: Suite, seed: number) {
  const scenario: Scenario = structuredClone(suite.scenarios.get(seed)!);
  const n = ++suite.slugs;
  scenario.quickbooks.realmId = `${scenario.quickbooks.realmId}${String(n).padStart(4, "0")}`;
  const tenant = await connectTenant(suite.database, scenario, `faults-${seed}-${n}`);
  suite.sandboxes.push(tenant.sandbox);
  return tenant;
}

/**
 * Where webhooks land: Stripe's 4th answered request is its event phase, after the charges are listed, so a stale
 * snapshot written by a webhook would stay (no listing comes after to mend it); QuickBooks' 3rd is mid full sync, so
 * the CDC sync a notification queues runs beside the scheduled one.
 */
const webhookMoment = { stripe: 4, quickbooks: 3 } as const;

/** Holds Stripe's and QuickBooks' request at webhookMoment for a while, so webhooks delivered then land mid-sync. */
function holdMidSync(sandbox: RunningSandbox, midSync: MidSync) {
  for (const source of ["stripe", "quickbooks"] as const) {
    sandbox.faults.letThrough(source, midSync(source, webhookMoment[source]));
    sandbox.faults.delayNext(source, 1, 2_000);
  }
}

/** Charges with a later state (failed, refunded, disputed) and two plain ones, each as the events it went through. */
function paymentHistories(scenario: Scenario): Stripe.Event[][] {
  const later = (c: Stripe.Charge) => c.status === "failed" || c.amount_refunded > 0 || c.disputed;
  const charges = [
    ...scenario.stripe.charges.filter(later),
    ...scenario.stripe.charges.filter((c) => !later(c)).slice(0, 2),
  ];
  return charges.map((c) => chargeHistory(scenario, c.id));
}

/** A recorded QuickBooks payment and the invoice it paid, as the changes Intuit would notify (oldest first). */
function paymentChanges(scenario: Scenario): QuickbooksEntityChange[] {
  const payment = scenario.quickbooks.payments.find((p) => p.Line.some((l) => l.LinkedTxn.length > 0))!;
  const invoiceId = payment.Line.flatMap((l) => l.LinkedTxn)[0]!.TxnId;
  const at = new Date(payment.MetaData.LastUpdatedTime);
  return [
    { name: "Payment", id: payment.Id, operation: "Create", at },
    { name: "Invoice", id: invoiceId, operation: "Update", at: new Date(at.getTime() + 1000) },
  ];
}

/**
 * Syncs every source while the deliveries go out, each source's once it is mid-sync (holdMidSync), then waits for the
 * deliveries and the jobs they queued. Returns the rounds the sync took.
 */
async function syncWithWebhooks(
  { suite, seed, ctx, sandbox, midSync }: FaultRun,
  deliveries: Record<"stripe" | "quickbooks", ReadonlyArray<() => Promise<unknown>>>,
): Promise<number> {
  const at = {
    stripe: midSync("stripe", webhookMoment.stripe),
    quickbooks: midSync("quickbooks", webhookMoment.quickbooks),
  };
  const held = suite.cleanRequests.get(seed)!.filter((r) => r.source === "stripe")[at.stripe];
  expect(held?.url, "Stripe is held in its event phase, its charges listed").toMatch(/^\/v1\/events\?/);
  const [rounds, ...midway] = await Promise.all([
    syncUntilComplete(suite.runner, ctx),
    deliverMidSync(ctx, sandbox, "stripe", at.stripe, deliveries.stripe),
    deliverMidSync(ctx, sandbox, "quickbooks", at.quickbooks, deliveries.quickbooks),
  ]);
  expect(midway, "the webhooks landed while the Stripe and QuickBooks syncs ran").toEqual([true, true]);
  await sandbox.webhooks.idle();
  await suite.runner.drain();
  // What the upkeep does a minute on: events whose apply job was lost are queued again. Under load a Stripe event has
  // been seen left pending with no job to apply it (how it lost its job is still open); this is what heals it.
  const requeued = await requeueUnappliedWebhooks({
    db: suite.database.db,
    jobs: suite.runner,
    now: new Date(),
    olderThanMs: 0,
  });
  if (requeued > 0) {
    console.warn(`${requeued} webhook event(s) had no apply job after the queues drained: queued again`);
    await suite.runner.drain();
  }
  return rounds;
}

/**
 * Every delivery was answered 200 (signed, so the signature check passed), each event recorded once however often it
 * came, every one applied (none pending or failed), and every charge named re-fetched from Stripe.
 */
async function webhooksApplied(sandbox: RunningSandbox, _: readonly SyncSource[], { ctx }: FaultRun): Promise<boolean> {
  const problems = async () => {
    const deliveries = sandbox.webhooks.deliveries;
    const sentIds = (target: string) => new Set(deliveries.filter((d) => d.target === target).map((d) => d.id));
    const rows = await webhookRows(ctx);
    const stripeRows = rows.filter((r) => r.source === "stripe");
    const charges = new Set(stripeRows.map((r) => r.charge_id));
    const fetched = sandbox.faults
      .requests("stripe")
      .filter((r) => r.method === "GET" && /^\/v1\/charges\/ch_/.test(r.url))
      .map((r) => r.url.split("/")[3]?.split("?")[0]);
    const checks: Record<string, boolean> = {
      "deliveries were sent": deliveries.length > 0,
      "every delivery was answered 200": deliveries.every((d) => d.delivered && d.attempts.at(-1)?.status === 200),
      "each Stripe event recorded once": stripeRows.length === sentIds("stripe").size,
      "no Stripe event recorded twice": new Set(stripeRows.map((r) => r.event_id)).size === stripeRows.length,
      "a QuickBooks notification recorded": rows.some((r) => r.source === "quickbooks"),
      "every event applied": rows.every((r) => r.outcome === "applied"),
      "every charge re-fetched": [...charges].every((id) => id !== null && fetched.includes(id)),
    };
    return Object.keys(checks).filter((name) => !checks[name]);
  };
  // A loaded machine may still be finishing a redelivery or an apply's retry when the sync is done: wait for it
  // (never past 15 s), then say which check failed.
  const deadline = Date.now() + 15_000;
  let failed = await problems();
  while (failed.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    failed = await problems();
  }
  if (failed.length > 0) {
    const unapplied = (await webhookRows(ctx)).filter((r) => r.outcome !== "applied");
    console.error(`webhooks not applied as expected: ${failed.join("; ")}; not applied: ${JSON.stringify(unapplied)}`);
  }
  return failed.length === 0;
}

/**
 * Every refunded or disputed charge was delivered with an older snapshot of itself (its charge.succeeded, delivered
 * last): were a webhook applied from its body instead of a re-fetch, its stored payment would be that older state.
 */
function staleSnapshotsCoverLaterStates(sandbox: RunningSandbox): boolean {
  const later = sandbox.scenario.stripe.charges.filter((c) => c.amount_refunded > 0 || c.disputed).map((c) => c.id);
  const stale = staleSnapshots(sandbox);
  return later.length > 0 && later.every((id) => stale.has(id));
}

/** The charges some delivered event carries in a state other than Stripe's current one. */
function staleSnapshots(sandbox: RunningSandbox): Set<string> {
  const current = new Map(sandbox.scenario.stripe.charges.map((c) => [c.id, c]));
  const stale = new Set<string>();
  for (const history of paymentHistories(sandbox.scenario)) {
    for (const event of history) {
      const object = event.data.object as Partial<Stripe.Charge>;
      const now = object.object === "charge" ? current.get(object.id!) : undefined;
      if (now && (now.amount_refunded !== object.amount_refunded || now.disputed !== object.disputed))
        stale.add(now.id);
    }
  }
  return stale;
}
