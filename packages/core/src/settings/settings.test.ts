// Settings and FX rates on a real (PGlite) database: admin only, tenant-scoped, audited, and a reconcile queued
// when reconciliation results can move.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AccessDenied } from "../access/actor";
import { deleteFxRate } from "./deleteFxRate";
import { getSettings } from "./getSettings";
import { saveFxRates } from "./saveFxRates";
import { recordingJobs, type SettingsWorld, settingsWorld } from "./testTenant";
import { updateSettings } from "./updateSettings";

let world: SettingsWorld;
beforeAll(async () => {
  world = await settingsWorld();
});
afterAll(() => world.database.close());

describe("getSettings and updateSettings", () => {
  it("reads the tenant's settings, metrics with their items, and FX rates", async () => {
    expect(await getSettings({ ctx: world.as("admin") })).toEqual({
      thresholdBps: 500,
      baseCurrency: "USD",
      timeZone: "UTC",
      amplitudeGroupType: "org_id",
      metrics: [
        { key: "api_calls", unit: "call", eventType: "api_call", quickbooksItemIds: ["1"] },
        { key: "storage_gb", unit: "GB", eventType: "storage_measured", quickbooksItemIds: ["2"] },
      ],
      fxRates: [{ from: "EUR", to: "USD", rate: "1.08", effectiveOn: "2026-01-01" }],
    });
  });

  it.each(["finance", "account_manager", "viewer"] as const)("refuses %s", async (role) => {
    const jobs = recordingJobs();
    await expect(getSettings({ ctx: world.as(role) })).rejects.toBeInstanceOf(AccessDenied);
    await expect(updateSettings({ ctx: world.as(role), jobs, input: { thresholdBps: 1 } })).rejects.toBeInstanceOf(
      AccessDenied,
    );
    expect(jobs.queued).toEqual([]);
    expect((await getSettings({ ctx: world.as("admin") })).thresholdBps).toBe(500);
  });

  it("changes only what is sent, audits before and after, and queues a reconcile for a new threshold", async () => {
    const jobs = recordingJobs();
    const ctx = world.as("admin");
    const before = (await world.auditRows()).length;
    const change = await updateSettings({ ctx, jobs, input: { thresholdBps: 250, timeZone: "europe/paris" } });
    expect(change.settings).toMatchObject({ thresholdBps: 250, timeZone: "Europe/Paris", baseCurrency: "USD" });
    expect(change.reconcileJobId).toBe("job-1");
    expect(jobs.queued).toEqual([
      {
        name: "reconcile.tenant",
        payload: { tenantId: world.tenant.tenantId },
        options: { dedupeKey: `reconcile.tenant:${world.tenant.tenantId}:all` },
      },
    ]);
    const audit = (await world.auditRows()).slice(before);
    expect(audit).toEqual([
      {
        action: "settings.updated",
        target_id: world.tenant.tenantId,
        details: {
          before: { thresholdBps: 500, timeZone: "UTC" },
          after: { thresholdBps: 250, timeZone: "Europe/Paris" },
        },
      },
    ]);
    // The other tenant is untouched.
    expect((await getSettings({ ctx: world.as("admin", world.other) })).thresholdBps).toBe(500);
  });

  it("does not queue a reconcile for currency or time zone, nor audit a change to the same values", async () => {
    const jobs = recordingJobs();
    const ctx = world.as("admin");
    const change = await updateSettings({ ctx, jobs, input: { baseCurrency: "EUR" } });
    expect(change).toMatchObject({ settings: { baseCurrency: "EUR" }, reconcileJobId: null });
    const audited = (await world.auditRows()).length;
    const same = await updateSettings({ ctx, jobs, input: { baseCurrency: "EUR", thresholdBps: 250 } });
    expect(same.reconcileJobId).toBeNull();
    expect(await world.auditRows()).toHaveLength(audited);
    expect(jobs.queued).toEqual([]);
  });

  it.each([
    { thresholdBps: 10_001 },
    { thresholdBps: -1 },
    { thresholdBps: 2.5 },
    { thresholdBps: "500" },
    { baseCurrency: "usd" },
    { baseCurrency: "EURO" },
    { timeZone: "Mars/Olympus_Mons" },
    { timeZone: "+01:00" },
    { timeZone: "" },
    { timeZone: "x".repeat(65) },
    { nickname: "Acme" },
  ])("refuses %j and changes nothing", async (input) => {
    const ctx = world.as("admin");
    const before = await getSettings({ ctx });
    const jobs = recordingJobs();
    await expect(updateSettings({ ctx, jobs, input: input as never })).rejects.toBeInstanceOf(ZodError);
    expect(await getSettings({ ctx })).toEqual(before);
    expect(jobs.queued).toEqual([]);
  });
});

describe("FX rates", () => {
  it("adds and replaces dated rates, compares them as numbers, and audits what changed", async () => {
    const ctx = world.as("admin");
    const jobs = recordingJobs();
    const before = (await world.auditRows()).length;
    const change = await saveFxRates({
      ctx,
      jobs,
      input: {
        rates: [
          { from: "EUR", to: "USD", rate: "1.0800", effectiveOn: "2026-01-01" }, // same number: no change
          { from: "EUR", to: "USD", rate: "1.1", effectiveOn: "2026-06-01" },
          { from: "GBP", to: "USD", rate: "1.2712345678", effectiveOn: "2026-01-01" },
        ],
      },
    });
    expect(change.fxRates).toEqual([
      { from: "EUR", to: "USD", rate: "1.08", effectiveOn: "2026-01-01" },
      { from: "EUR", to: "USD", rate: "1.1", effectiveOn: "2026-06-01" },
      { from: "GBP", to: "USD", rate: "1.2712345678", effectiveOn: "2026-01-01" },
    ]);
    expect(change.reconcileJobId).toBe("job-1");
    const [audit] = (await world.auditRows()).slice(before);
    expect(audit).toMatchObject({
      action: "fx_rates.updated",
      details: {
        set: [
          { from: "EUR", to: "USD", effectiveOn: "2026-06-01", rate: "1.1", previous: null },
          { from: "GBP", to: "USD", effectiveOn: "2026-01-01", rate: "1.2712345678", previous: null },
        ],
      },
    });
    const replaced = await saveFxRates({
      ctx,
      jobs,
      input: { rates: [{ from: "EUR", to: "USD", rate: "1.09", effectiveOn: "2026-01-01" }] },
    });
    expect(replaced.fxRates[0]).toEqual({ from: "EUR", to: "USD", rate: "1.09", effectiveOn: "2026-01-01" });
    expect((await world.auditRows()).at(-1)?.details).toEqual({
      set: [{ from: "EUR", to: "USD", effectiveOn: "2026-01-01", rate: "1.09", previous: "1.08" }],
    });
    const unchanged = await saveFxRates({
      ctx,
      jobs,
      input: { rates: [{ from: "EUR", to: "USD", rate: "1.090", effectiveOn: "2026-01-01" }] },
    });
    expect(unchanged.reconcileJobId).toBeNull();
    expect(jobs.queued).toHaveLength(2);
  });

  const rate = (over: Record<string, unknown>) => ({
    from: "CAD",
    to: "USD",
    rate: "0.73",
    effectiveOn: "2026-02-01",
    ...over,
  });
  it.each([
    ["a float", { rates: [rate({ rate: 0.73 })] }],
    ["zero", { rates: [rate({ rate: "0" })] }],
    ["zero with decimals", { rates: [rate({ rate: "0.0000" })] }],
    ["negative", { rates: [rate({ rate: "-1" })] }],
    ["exponent", { rates: [rate({ rate: "7e-1" })] }],
    ["11 decimal places", { rates: [rate({ rate: "0.12345678901" })] }],
    ["11 integer digits", { rates: [rate({ rate: "12345678901" })] }],
    ["same currency", { rates: [rate({ to: "CAD" })] }],
    ["lower-case code", { rates: [rate({ from: "cad" })] }],
    ["impossible date", { rates: [rate({ effectiveOn: "2026-02-30" })] }],
    ["a duplicate", { rates: [rate({}), rate({ rate: "0.74" })] }],
    ["no rates", { rates: [] }],
    [
      "1001 rates",
      { rates: Array.from({ length: 1001 }, (_, i) => rate({ effectiveOn: `2020-01-01`, rate: `${i + 1}` })) },
    ],
    ["an extra field", { rates: [rate({ source: "ecb" })] }],
  ])("refuses %s and changes nothing", async (_, input) => {
    const ctx = world.as("admin");
    const before = await getSettings({ ctx });
    await expect(saveFxRates({ ctx, jobs: recordingJobs(), input: input as never })).rejects.toBeInstanceOf(ZodError);
    expect(await getSettings({ ctx })).toEqual(before);
  });

  it("deletes a rate of its own tenant only", async () => {
    const jobs = recordingJobs();
    const key = { from: "GBP", to: "USD", effectiveOn: "2026-01-01" };
    expect(await deleteFxRate({ ctx: world.as("admin", world.other), jobs, input: key })).toEqual({
      ok: false,
      reason: "not_found",
    });
    await expect(deleteFxRate({ ctx: world.as("finance"), jobs, input: key })).rejects.toBeInstanceOf(AccessDenied);
    expect(jobs.queued).toEqual([]);
    expect(await deleteFxRate({ ctx: world.as("admin"), jobs, input: key })).toEqual({
      ok: true,
      reconcileJobId: "job-1",
    });
    expect((await world.auditRows()).at(-1)).toMatchObject({
      action: "fx_rates.updated",
      details: { deleted: [{ ...key, rate: "1.2712345678" }] },
    });
    expect(await deleteFxRate({ ctx: world.as("admin"), jobs, input: key })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});
