import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FixtureError, loadFixture, writeFixture } from "./fixture.js";
import { generateScenario } from "./generate/index.js";

const folders: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "reckon-fixture-"));
  folders.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("fixture folders", () => {
  it("round-trips a generated scenario", async () => {
    const scenario = generateScenario({ seed: 2, accounts: 15, months: 3, asOf: "2026-11-25" });
    const dir = await folder();
    await writeFixture(dir, scenario);
    expect(await loadFixture(dir)).toEqual(scenario);
  });

  it("treats missing files as empty and derives tenant defaults from the sources", async () => {
    const dir = await folder();
    const empty = await loadFixture(dir);
    expect(empty.stripe.charges).toEqual([]);
    expect(empty.manifest).toBeNull();
    expect(empty.tenant).toMatchObject({
      baseCurrency: "USD",
      thresholdBps: 500,
      amplitudeGroupType: "org_id",
      owners: [],
    });

    const scenario = generateScenario({ seed: 2, accounts: 3, months: 1, asOf: "2026-11-25" });
    await writeFixture(dir, scenario);
    await rm(join(dir, "tenant.json"));
    await writeFile(
      join(dir, "quickbooks/Item.json"),
      JSON.stringify([{ ...scenario.quickbooks.items[0], Sku: "API Calls Metered" }]),
    );
    const loaded = await loadFixture(dir);
    expect(loaded.tenant.name).toBe(dir.split("/").pop());
    const apiCalls = loaded.tenant.metrics.find((m) => m.key === "API Calls Metered");
    expect(apiCalls?.quickbooksItemIds).toEqual([scenario.quickbooks.items[0]!.Id]);
  });

  it("names the file and the problem when a file is malformed", async () => {
    const dir = await folder();
    await writeFixture(dir, generateScenario({ seed: 2, accounts: 2, months: 1, asOf: "2026-11-25" }));
    await writeFile(
      join(dir, "stripe/charges.json"),
      JSON.stringify([{ id: "ch_1", object: "charge", created: "yesterday" }]),
    );
    await expect(loadFixture(dir)).rejects.toThrow(FixtureError);
    await expect(loadFixture(dir)).rejects.toThrow(/^stripe\/charges\.json: at \[0\]\.created: /);
    await writeFile(join(dir, "stripe/charges.json"), "[");
    await expect(loadFixture(dir)).rejects.toThrow(/stripe\/charges\.json: not valid JSON/);
    await writeFile(join(dir, "stripe/charges.json"), "[]");
    await writeFile(join(dir, "amplitude/events.jsonl"), '{"event_type":"x"}\n');
    await expect(loadFixture(dir)).rejects.toThrow(/amplitude\/events\.jsonl: line 1: at \$insert_id/);
  });
});
