// A provider that hangs past the connector's request timeout, mid-sync: the request is abandoned, the job retries from
// the cursor, and the data ends equal to a clean run's. Own file: the wait (Stripe's 30 s timeout) runs beside the rest.
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
/** The Stripe connector's timeout is 30 s (packages/connectors/src/stripe/index.ts); the sandbox holds longer. */
const stripeHangMs = 35_000;
// QuickBooks is not here: node-quickbooks requests carry no timeout, so a hung QuickBooks request waits forever.
// Amplitude is not here: its export timeout is 300 s and the connection settings offer no way to shorten it.

describe.runIf(privateServicesAvailable())("a source that stops answering", () => {
  let suite: Suite;
  beforeAll(async () => {
    suite = await startSuite("timeouts");
    await cleanRun(suite, seed);
  });
  afterAll(async () => {
    suite?.table.print("Timeouts");
    await stopSuite(suite);
  });

  it("Stripe hanging past its timeout loses and duplicates nothing", async () => {
    const { ctx, sandbox } = await newTenant(suite, seed);
    sandbox.faults.letThrough("stripe", requestsBefore(suite, seed, "stripe", 3));
    sandbox.faults.delayNext("stripe", 1, stripeHangMs);
    const outcome = await finishRun(suite, seed, ctx, ["transient"]);
    const stripeRuns = (await readStored(ctx)).runs.filter((r) => r.source === "stripe");
    expect(stripeRuns.map((r) => r.status).sort(), "the hung run ends partial, its retry complete").toEqual([
      "complete",
      "partial",
    ]);
    suite.table.add(`Stripe hangs ${stripeHangMs / 1000} s (timeout 30 s)`, outcome);
    expectClean(outcome, "stripe timeout");
    expect(outcome.orphanedRuns).toBe(0);
  }, 90_000);
});
