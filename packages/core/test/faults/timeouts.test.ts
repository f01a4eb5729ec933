// A provider that hangs past the connector's request timeout, mid-sync: the request is abandoned, the job retries from
// the cursor (a transient failure, with the sync queue's backoff), and the data ends equal to a clean run's. Own file:
// the wait (Stripe's default 30 s timeout) runs beside the rest.
import type { SyncSource } from "@reckon/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanRun,
  expectClean,
  finishRun,
  newTenant,
  requestsBefore,
  type Suite,
  startSuite,
  stopSuite,
} from "./harness";
import { privateServicesAvailable } from "./privateServices";
import { readStored } from "./truth";

const seed = 33;
/** Stripe runs with its default timeout, 30 s (defaultStripeTimeoutMs); the sandbox holds longer. */
const stripeHangMs = 35_000;
/**
 * QuickBooks and Amplitude run with timeouts shortened the way an operator would (RECKON_QUICKBOOKS_TIMEOUT_SECONDS,
 * RECKON_AMPLITUDE_TIMEOUT_SECONDS reach the connectors as ServiceContext.sourceTimeoutsMs); the sandbox holds their
 * request far longer than the whole faulted sync takes, so a sync that waited it out would show.
 */
const timeoutsMs = { quickbooks: 2_000, amplitude: 3_000 };
const hangMs = 25_000;
const names = { quickbooks: "QuickBooks", amplitude: "Amplitude" } as const;

interface RunRecord {
  source: string;
  status: string;
  errors: Array<{ kind: string; message?: string }>;
}

describe.runIf(privateServicesAvailable())("a source that stops answering", () => {
  let suite: Suite;
  beforeAll(async () => {
    suite = await startSuite("timeouts", { sourceTimeoutsMs: timeoutsMs });
    await cleanRun(suite, seed);
  });
  afterAll(async () => {
    suite?.table.print("Timeouts");
    await stopSuite(suite);
  });

  /** The source's runs: the hung one partial (transient, with why), its job retry complete. */
  async function hungRun(source: SyncSource, ctx: Parameters<typeof readStored>[0]): Promise<RunRecord> {
    const runs = (await readStored(ctx)).runs.filter((r) => r.source === source) as RunRecord[];
    expect(runs.map((r) => r.status).sort(), "the hung run ends partial, its retry complete").toEqual([
      "complete",
      "partial",
    ]);
    return runs.find((r) => r.status === "partial")!;
  }

  it("Stripe hanging past its timeout loses and duplicates nothing", async () => {
    const { ctx, sandbox } = await newTenant(suite, seed);
    sandbox.faults.letThrough("stripe", requestsBefore(suite, seed, "stripe", 3));
    sandbox.faults.delayNext("stripe", 1, stripeHangMs);
    const outcome = await finishRun(suite, seed, ctx, ["transient"]);
    expect((await hungRun("stripe", ctx)).errors).toEqual([expect.objectContaining({ kind: "transient" })]);
    suite.table.add(`Stripe hangs ${stripeHangMs / 1000} s (timeout 30 s)`, outcome);
    expectClean(outcome, "stripe timeout");
    expect(outcome.orphanedRuns).toBe(0);
  }, 90_000);

  it.each([
    ["quickbooks", /^quickbooks: query \w+: no answer within 2 s$/],
    ["amplitude", /^amplitude: export start=\d{8}T\d{2}&end=\d{8}T\d{2}: no answer within 3 s$/],
  ] as const)("%s hanging is cut off at its configured timeout and retried: nothing lost", async (source, message) => {
    const { ctx, sandbox } = await newTenant(suite, seed);
    sandbox.faults.letThrough(source, requestsBefore(suite, seed, source, 3));
    sandbox.faults.delayNext(source, 1, hangMs);
    const started = performance.now();
    const outcome = await finishRun(suite, seed, ctx, ["transient"]);
    const elapsed = performance.now() - started;
    const hung = await hungRun(source, ctx);
    expect(hung.errors).toEqual([{ kind: "transient", message: expect.stringMatching(message) }]);
    // Cut off, not waited out: the whole sync, retry included, ended long before the held answer would have come.
    expect(elapsed, "finished before the hung request would have answered").toBeLessThan(hangMs);
    // The job layer retried it within the same scheduled round (retryable, with backoff), not the next schedule.
    expect(outcome.rounds).toBe(1);
    suite.table.add(`${names[source]} hangs ${hangMs / 1000} s (timeout ${timeoutsMs[source] / 1000} s)`, outcome);
    expectClean(outcome, `${source} timeout`);
    expect(outcome.orphanedRuns).toBe(0);
  });
});
