// A source that is down: account detail and portfolio still answer from the stored data, with freshness saying which
// source is stale since when (more strongly past 24 h); a revoked source reads needs_reconnect.
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPglite } from "@reckon/db/testing";
import type { RunningSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccountDetail } from "../src/accounts/getAccountDetail";
import type { TenantContext } from "../src/context";
import { listPortfolio } from "../src/portfolio/listPortfolio";
import { reconcileTenant } from "../src/reconcile/reconcileTenant";
import { runSourceSync } from "../src/sync/runSourceSync";
import { connectTenant, smallScenario } from "./pipeline";

let database: DatabaseHandle;
let sandbox: RunningSandbox;
let ctx: TenantContext;

beforeAll(async () => {
  database = await freshPglite();
  ({ ctx, sandbox } = await connectTenant(database, smallScenario(5, 8, 2)));
  for (const source of ["quickbooks", "stripe", "amplitude"] as const) await runSourceSync({ ctx, input: { source } });
  await reconcileTenant({ ctx, input: {} });
});
afterAll(async () => {
  await sandbox.stop();
  await database.close();
});

const at = (hours: number): TenantContext => ({
  ...ctx,
  clock: () => new Date(ctx.clock().getTime() + hours * 3600_000),
});

describe("freshness", () => {
  it("is fresh while every source's latest run completed", async () => {
    const page = await listPortfolio({ ctx, input: {} });
    expect(page.freshness).toMatchObject({ stale: false, staleOver24h: false });
    expect(page.freshness.sources.map((s) => s.state)).toEqual(["connected", "connected", "connected"]);
  });

  it("serves the last good data with a stale flag when a source is down, more strongly past 24 hours", async () => {
    const before = await listPortfolio({ ctx, input: {} });
    const [good] = await queryRows<{ finished_at: Date }>(
      ctx.tenant.db,
      sql`select finished_at from sync_runs where tenant_id = ${ctx.tenant.tenantId}::uuid and source = 'stripe'`,
    );
    sandbox.faults.failNext("stripe", 50, 503);
    await expect(runSourceSync({ ctx: at(1), input: { source: "stripe" } })).rejects.toMatchObject({
      kind: "transient",
    });
    sandbox.faults.reset();

    const soon = await listPortfolio({ ctx: at(2), input: {} });
    expect(soon.rows).toEqual(before.rows);
    expect(soon.freshness.sources.find((s) => s.source === "stripe")).toEqual({
      source: "stripe",
      state: "down",
      lastGoodSyncAt: new Date(good!.finished_at).toISOString(),
      stale: true,
      staleOver24h: false,
    });
    expect(soon.freshness).toMatchObject({ stale: true, staleOver24h: false });

    const accountId = before.rows[0]!.accountId;
    const detail = await getAccountDetail({ ctx: at(30), input: { accountId } });
    expect(detail!.invoices.length + detail!.payments.length).toBeGreaterThan(0);
    expect(detail!.freshness).toMatchObject({ stale: true, staleOver24h: true });

    // Back up: the next complete run clears it.
    await runSourceSync({ ctx: at(3), input: { source: "stripe" } });
    expect((await listPortfolio({ ctx: at(3), input: {} })).freshness.stale).toBe(false);
  });

  it("reads needs_reconnect for a revoked source", async () => {
    sandbox.faults.revokeQuickbooksGrant();
    await runSourceSync({ ctx: at(4), input: { source: "quickbooks" } });
    const page = await listPortfolio({ ctx: at(4), input: {} });
    expect(page.freshness.sources.find((s) => s.source === "quickbooks")).toMatchObject({
      state: "needs_reconnect",
      stale: true,
    });
  });
});
