// The steady 5-minute refresh: QuickBooks requests a large tenant's incremental sync spends against the 500/min
// limit, and a limiter check (parallel pulls of one company never exceed the window or the concurrency cap).
import { randomBytes } from "node:crypto";
import {
  connectorFor,
  connectSources,
  createInProcessLimiter,
  createLogger,
  createSecretBox,
  type LimitTable,
  provisionTenant,
  runSourceSync,
  sourceLimits,
  type TenantContext,
} from "@reckon/core";
import { migrate, openDatabase } from "@reckon/db";
import { generateScenario, type SandboxRequest, startSandbox } from "@reckon/sandbox";
import { fmt, fmt2, log, round } from "./report";

export interface RefreshResult {
  accounts: number;
  cycles: number;
  changesPerCycle: number;
  fullSyncRequests: number;
  requestsPerCycle: number[];
  requestsPerMinute: number;
  limitPerMinute: number;
  shareOfLimit: number;
  limiterCheck: {
    pulls: number;
    requests: number;
    limit: LimitTableEntry;
    /** The most requests the limiter let start inside any one window: the figure judged. */
    busiestWindow: number;
    /** The same over the sandbox's arrival times, which trail the grants by each pull's event-loop delay. */
    busiestArrivals: number;
    rateLimited: number;
  };
}
type LimitTableEntry = LimitTable["quickbooks"];

const cycleMinutes = 5;
const apiRequests = (log: readonly SandboxRequest[]) => log.filter((r) => !r.url.includes("/oauth"));

/** The most of `times` (ms, ascending) inside any `windowMs`. */
function busiest(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! <= times[i]! - windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export async function refreshBench(options: {
  accounts: number;
  cycles: number;
  changesPerCycle: number;
  seed: number;
}): Promise<RefreshResult> {
  const asOf = new Date().toISOString().slice(0, 10);
  log(`refresh: generating ${fmt(options.accounts)} accounts (1 month) ...`);
  const scenario = generateScenario({ seed: options.seed, accounts: options.accounts, months: 1, asOf });
  // QuickBooks alone is refreshed here; the other sources' events are not needed.
  scenario.amplitude.events = [];
  const sandbox = await startSandbox(scenario);
  const database = await openDatabase({ kind: "pglite", dataDir: null });
  try {
    await migrate(database);
    const tenant = await provisionTenant({ db: database.db, input: { ...scenario.tenant, slug: "refresh" } });
    const ctx: TenantContext = {
      db: database.db,
      log: createLogger("silent"),
      secrets: createSecretBox(randomBytes(32).toString("base64")),
      clock: () => new Date(),
      limiter: createInProcessLimiter(),
      tenant,
      actor: { kind: "system", via: "job" },
    };
    await connectSources(ctx, sandbox);
    const { faults } = sandbox;

    log("refresh: first (full) QuickBooks sync ...");
    faults.reset();
    await runSourceSync({ ctx, input: { source: "quickbooks" } });
    const fullSyncRequests = apiRequests(faults.requests("quickbooks")).length;

    // Each cycle stands for 5 minutes: that many invoices change (a payment, an edit) before the scheduled sync.
    const requestsPerCycle: number[] = [];
    const invoices = scenario.quickbooks.invoices;
    for (let cycle = 0; cycle < options.cycles; cycle++) {
      const changedAt = new Date().toISOString();
      for (let i = 0; i < options.changesPerCycle; i++) {
        const invoice = invoices[(cycle * options.changesPerCycle + i) % invoices.length]!;
        invoice.MetaData = { ...invoice.MetaData, LastUpdatedTime: changedAt };
      }
      faults.reset();
      await runSourceSync({ ctx, input: { source: "quickbooks" } });
      requestsPerCycle.push(apiRequests(faults.requests("quickbooks")).length);
    }
    const perCycle = requestsPerCycle.reduce((a, b) => a + b, 0) / Math.max(1, requestsPerCycle.length);
    const requestsPerMinute = perCycle / cycleMinutes;
    const limitPerMinute = 500;

    // Limiter check: parallel full pulls of one company through one limiter with a scaled-down window (the published
    // 500/min cannot be reached in seconds), so the window and the cap are exercised; the sandbox log is the judge.
    const limit: LimitTableEntry = { perWindow: 20, windowMs: 2_000, concurrency: 3 };
    const pulls = 4;
    // The limiter's own grant times (its clock, the moment a slot is counted), not when a caller got round to it.
    const grants: number[] = [];
    const limiter = createInProcessLimiter({
      limits: { ...sourceLimits, quickbooks: limit },
      onGrant: (_key, at) => grants.push(at),
    });
    const limited = { ...ctx, limiter };
    faults.reset();
    const connectors = await Promise.all(Array.from({ length: pulls }, () => connectorFor(limited, "quickbooks")));
    await Promise.all(
      connectors.map(async (connector) => {
        for await (const _batch of connector!.pull(null, { now: new Date() })) {
          // pulling is the point; nothing is stored
        }
      }),
    );
    const served = apiRequests(faults.requests("quickbooks"));
    const limiterCheck = {
      pulls,
      requests: served.length,
      limit,
      busiestWindow: busiest(
        grants.sort((a, b) => a - b),
        limit.windowMs,
      ),
      busiestArrivals: busiest(
        served.map((r) => r.at.getTime()),
        limit.windowMs,
      ),
      rateLimited: served.filter((r) => r.status === 429).length,
    };
    return {
      accounts: options.accounts,
      cycles: options.cycles,
      changesPerCycle: options.changesPerCycle,
      fullSyncRequests,
      requestsPerCycle,
      requestsPerMinute: round(requestsPerMinute, 3),
      limitPerMinute,
      shareOfLimit: round(requestsPerMinute / limitPerMinute, 5),
      limiterCheck,
    };
  } finally {
    await sandbox.stop();
    await database.close();
  }
}

export function printRefresh(result: RefreshResult): boolean {
  const within = result.limiterCheck.busiestWindow <= result.limiterCheck.limit.perWindow;
  log(`\nSteady refresh: QuickBooks, ${fmt(result.accounts)} accounts, every ${cycleMinutes} min`);
  log(`  first full sync: ${fmt(result.fullSyncRequests)} requests (once, paced by the limiter)`);
  log(
    `  ${result.cycles} refresh cycles with ${fmt(result.changesPerCycle)} changed invoices each: ` +
      `${result.requestsPerCycle.join(", ")} requests per cycle`,
  );
  log(
    `  = ${fmt2(result.requestsPerMinute)} requests/min against ${result.limitPerMinute}/min ` +
      `(${fmt2(result.shareOfLimit * 100)} % of the limit)`,
  );
  const check = result.limiterCheck;
  log(
    `  limiter check: ${check.pulls} parallel full pulls of one company, ${fmt(check.requests)} requests, ` +
      `busiest ${check.limit.windowMs} ms window ${check.busiestWindow} started (limit ${check.limit.perWindow}; ` +
      `${check.busiestArrivals} arrived at the sandbox), ` +
      `${check.rateLimited} answered 429: ${within && check.rateLimited === 0 ? "PASS" : "FAIL"}`,
  );
  return within && check.rateLimited === 0 && result.shareOfLimit < 0.1;
}
