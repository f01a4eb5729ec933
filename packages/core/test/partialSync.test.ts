// A sync run that fails part-way: only the accounts it got records for are flagged partial_sync and leave the
// forecast; an admin resolves the run and they come back. On PGlite with the sandbox's failAfter fault.
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPglite } from "@reckon/db/testing";
import type { RunningSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessDenied } from "../src/access/actor";
import { createUser } from "../src/access/users";
import type { TenantContext } from "../src/context";
import { getPortfolioForecast } from "../src/forecast/getPortfolioForecast";
import { createJobHandlers } from "../src/jobHandlers";
import { createInProcessRunner, type JobRunner } from "../src/jobs";
import { reconcileTenant } from "../src/reconcile/reconcileTenant";
import { resolvePartialSync } from "../src/sync/resolvePartialSync";
import { runSourceSync } from "../src/sync/runSourceSync";
import { connectTenant, smallScenario } from "./pipeline";

let database: DatabaseHandle;
let sandbox: RunningSandbox;
let ctx: TenantContext;
let jobs: JobRunner;

beforeAll(async () => {
  database = await freshPglite();
  ({ ctx, sandbox } = await connectTenant(database, smallScenario(5, 30, 4)));
  jobs = createInProcessRunner(createJobHandlers(ctx), { log: pino({ level: "silent" }), backoffScale: 0.001 });
});
afterAll(async () => {
  await jobs.close();
  await sandbox.stop();
  await database.close();
});

const as = async (role: "admin" | "finance"): Promise<TenantContext> => {
  const email = `${role}@partial.test`;
  const made = await createUser({ ctx, input: { email, name: role, role } });
  if (!made.ok) throw new Error(made.reason);
  return {
    ...ctx,
    actor: { kind: "user", userId: made.user.id, role, name: role, email, via: "token", credentialId: "test" },
  };
};
const t = () => ctx.tenant.tenantId;
const flaggedAccounts = async () =>
  (
    await queryRows<{ id: string }>(
      ctx.tenant.db,
      sql`select distinct account_id as id from discrepancies
          where tenant_id = ${t()}::uuid and kind = 'partial_sync' and resolved_at is null order by 1`,
    )
  ).map((r) => r.id);
const excludedAccounts = async () =>
  (
    await queryRows<{ id: string }>(
      ctx.tenant.db,
      sql`select account_id as id from account_summaries where tenant_id = ${t()}::uuid and forecast_excluded order by 1`,
    )
  ).map((r) => r.id);
/** The accounts the portfolio forecast leaves out for a partial sync. */
const forecastExclusions = async () => {
  const forecast = await getPortfolioForecast({ ctx, input: { limit: 500 } });
  const portfolio = forecast.portfolio as { excluded: Array<{ accountId: string; reason: string }> } | null;
  return (portfolio?.excluded ?? [])
    .filter((e) => e.reason === "partial_sync")
    .map((e) => e.accountId)
    .sort();
};

describe("a sync that fails part-way", () => {
  let runId: string;
  let touchedAccounts: string[];

  it("records what it got and what it missed, and flags only the accounts it touched", async () => {
    for (const source of ["quickbooks", "stripe"] as const) {
      expect(await runSourceSync({ ctx, input: { source } })).toMatchObject({ status: "complete" });
    }
    // The first full Amplitude sync reads a year in weekly ranges (the early ones empty, 404): let the first two
    // ranges with data through, then Amplitude fails.
    const firstUpload = sandbox.scenario.amplitude.events.map((e) => e.server_upload_time).sort()[0]!;
    const start = Date.UTC(2026, 10, 25) - 365 * 86_400_000;
    const emptyRanges = Math.floor((Date.parse(`${firstUpload.slice(0, 10)}T00:00:00Z`) - start) / (7 * 86_400_000));
    sandbox.faults.reset();
    sandbox.faults.failAfter("amplitude", emptyRanges + 2, 1, 503);
    await expect(runSourceSync({ ctx, input: { source: "amplitude" } })).rejects.toMatchObject({ kind: "transient" });

    const [run] = await queryRows<{ id: string; status: string; touched: string[]; missed: string[] }>(
      ctx.tenant.db,
      sql`select id, status, touched, missed from sync_runs where tenant_id = ${t()}::uuid and source = 'amplitude'`,
    );
    expect(run).toMatchObject({ status: "partial", missed: [expect.stringMatching(/^everything after usage /)] });
    runId = run!.id;
    // What the run stored is what it touched: every usage row here came from it.
    const stored = await queryRows<{ group_id: string }>(
      ctx.tenant.db,
      sql`select distinct group_id from usage_daily where tenant_id = ${t()}::uuid order by 1`,
    );
    expect(run!.touched).toEqual(stored.map((r) => r.group_id));

    await reconcileTenant({ ctx, input: {} });
    touchedAccounts = (
      await queryRows<{ id: string }>(
        ctx.tenant.db,
        sql`select id from accounts where tenant_id = ${t()}::uuid
              and amplitude_group_id in (select jsonb_array_elements_text(${JSON.stringify(run!.touched)}::jsonb))
            order by 1`,
      )
    ).map((r) => r.id);
    const [linked] = await queryRows<{ n: number }>(
      ctx.tenant.db,
      sql`select count(*)::int as n from accounts where tenant_id = ${t()}::uuid and amplitude_group_id is not null`,
    );
    // Narrowed: some accounts, not every account linked in Amplitude.
    expect(touchedAccounts.length).toBeGreaterThan(0);
    expect(touchedAccounts.length).toBeLessThan(linked!.n);
    expect(await flaggedAccounts()).toEqual(touchedAccounts);
    expect(await excludedAccounts()).toEqual(touchedAccounts);
    expect(await forecastExclusions()).toEqual(touchedAccounts);
  });

  it("stays flagged after a later complete run, until an admin resolves it", async () => {
    expect(await runSourceSync({ ctx, input: { source: "amplitude" } })).toMatchObject({ status: "complete" });
    await reconcileTenant({ ctx, input: {} });
    expect(await flaggedAccounts()).toEqual(touchedAccounts);

    const finance = await as("finance");
    await expect(resolvePartialSync({ ctx: finance, jobs, input: { runId } })).rejects.toBeInstanceOf(AccessDenied);
    expect(await flaggedAccounts()).toEqual(touchedAccounts);

    const admin = await as("admin");
    const answer = await resolvePartialSync({ ctx: admin, jobs, input: { runId } });
    expect(answer).toMatchObject({
      ok: true,
      resolution: { runId, source: "amplitude", resolvedBy: admin.actor.kind === "user" ? admin.actor.userId : "" },
    });
    expect(answer.ok && [...answer.resolution.accountIds].sort()).toEqual(touchedAccounts);
    await jobs.drain();
    expect(await flaggedAccounts()).toEqual([]);
    expect(await excludedAccounts()).toEqual([]);
    expect(await forecastExclusions()).toEqual([]);

    // Audited once; a second resolve answers the same resolution and records nothing more.
    const again = await resolvePartialSync({ ctx: admin, jobs, input: { runId } });
    expect(again.ok && again.resolution.resolvedAt).toBe(answer.ok && answer.resolution.resolvedAt);
    const [audit] = await queryRows<{ n: number }>(
      ctx.tenant.db,
      sql`select count(*)::int as n from audit_log where tenant_id = ${t()}::uuid and action = 'sync.resolved'
            and target_id = ${runId}`,
    );
    expect(audit!.n).toBe(1);
  });

  it("answers not_found for another run id and not_partial for a complete run", async () => {
    const admin = { ...ctx };
    expect(
      await resolvePartialSync({ ctx: admin, jobs, input: { runId: "00000000-0000-4000-8000-000000000000" } }),
    ).toEqual({ ok: false, reason: "not_found" });
    const [complete] = await queryRows<{ id: string }>(
      ctx.tenant.db,
      sql`select id from sync_runs where tenant_id = ${t()}::uuid and status = 'complete' limit 1`,
    );
    expect(await resolvePartialSync({ ctx: admin, jobs, input: { runId: complete!.id } })).toEqual({
      ok: false,
      reason: "not_partial",
    });
  });
});
