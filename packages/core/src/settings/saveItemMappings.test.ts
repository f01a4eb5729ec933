// Item mappings on a real (PGlite) database: existing metrics only, tenant-scoped, audited, re-reconciled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AccessDenied } from "../access/actor";
import { deleteItemMapping } from "./deleteItemMapping";
import { getSettings } from "./getSettings";
import { saveItemMappings } from "./saveItemMappings";
import { recordingJobs, type SettingsWorld, settingsWorld } from "./testTenant";

let world: SettingsWorld;
beforeAll(async () => {
  world = await settingsWorld();
});
afterAll(() => world.database.close());

describe("item mappings", () => {
  it("maps items to existing metrics, moving an item between metrics, and audits it", async () => {
    const ctx = world.as("admin");
    const jobs = recordingJobs();
    const change = await saveItemMappings({
      ctx,
      jobs,
      input: {
        mappings: [
          { quickbooksItemId: "2", metric: "api_calls" },
          { quickbooksItemId: "7", metric: "storage_gb" },
        ],
      },
    });
    expect(change).toEqual({
      ok: true,
      metrics: [
        { key: "api_calls", unit: "call", eventType: "api_call", quickbooksItemIds: ["1", "2"] },
        { key: "storage_gb", unit: "GB", eventType: "storage_measured", quickbooksItemIds: ["7"] },
      ],
      reconcileJobId: "job-1",
    });
    expect((await world.auditRows()).at(-1)).toMatchObject({
      action: "item_mapping.updated",
      details: {
        set: [
          { quickbooksItemId: "2", metric: "api_calls", previous: "storage_gb" },
          { quickbooksItemId: "7", metric: "storage_gb", previous: null },
        ],
      },
    });
  });

  it("refuses a metric the tenant does not have, naming it, and changes nothing", async () => {
    const ctx = world.as("admin");
    const jobs = recordingJobs();
    const before = await getSettings({ ctx });
    const audited = (await world.auditRows()).length;
    const change = await saveItemMappings({
      ctx,
      jobs,
      input: {
        mappings: [
          { quickbooksItemId: "1", metric: "storage_gb" },
          { quickbooksItemId: "9", metric: "seats" },
        ],
      },
    });
    expect(change).toEqual({ ok: false, reason: "unknown_metric", metrics: ["seats"] });
    expect(await getSettings({ ctx })).toEqual(before);
    expect(await world.auditRows()).toHaveLength(audited);
    expect(jobs.queued).toEqual([]);
  });

  it.each([
    { mappings: [] },
    { mappings: [{ quickbooksItemId: "", metric: "api_calls" }] },
    { mappings: [{ quickbooksItemId: "1/2", metric: "api_calls" }] },
    { mappings: [{ quickbooksItemId: "1", metric: "api\u0000calls" }] },
    { mappings: [{ quickbooksItemId: 1, metric: "api_calls" }] },
    {
      mappings: [
        { quickbooksItemId: "1", metric: "api_calls" },
        { quickbooksItemId: "1", metric: "storage_gb" },
      ],
    },
  ])("refuses %j", async (input) => {
    await expect(
      saveItemMappings({ ctx: world.as("admin"), jobs: recordingJobs(), input: input as never }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("deletes a mapping of its own tenant only", async () => {
    const jobs = recordingJobs();
    await expect(
      deleteItemMapping({ ctx: world.as("viewer"), jobs, input: { quickbooksItemId: "7" } }),
    ).rejects.toBeInstanceOf(AccessDenied);
    // The other tenant maps item 1 too; deleting ours leaves theirs.
    expect(await deleteItemMapping({ ctx: world.as("admin"), jobs, input: { quickbooksItemId: "1" } })).toEqual({
      ok: true,
      reconcileJobId: "job-1",
    });
    const theirs = await getSettings({ ctx: world.as("admin", world.other) });
    expect(theirs.metrics[0]?.quickbooksItemIds).toEqual(["1"]);
    expect(await deleteItemMapping({ ctx: world.as("admin"), jobs, input: { quickbooksItemId: "1" } })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect((await world.auditRows()).at(-1)).toMatchObject({
      action: "item_mapping.updated",
      target_id: "1",
      details: { deleted: [{ quickbooksItemId: "1", metric: "api_calls" }] },
    });
  });
});
