// GET and PATCH /v1/settings: admin only, 400 for anything invalid, audited, and a new threshold re-reconciles.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { SettingsResponse } from "./settings";
import type { SettingsUpdateResponse } from "./settingsUpdate";

let stack: TestStack;
const patch = (body: unknown): RequestInit => ({
  method: "PATCH",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const settings = async () => (await (await stack.fetch("/v1/settings")).json()) as SettingsResponse;

async function auditRows(action: string) {
  return queryRows<{ actor_user_id: string; details: Record<string, unknown> }>(
    stack.services.db,
    sql`select actor_user_id, details from audit_log
        where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and action = ${action} order by id`,
  );
}

/** What reconciliation concluded: periods matched, and open usage mismatches (over- or under-billed). */
async function reconciliationOutcome() {
  const t = stack.tenant.tenant.tenantId;
  const [row] = await queryRows<{ matched: number; mismatches: number }>(
    stack.services.db,
    sql`select (select count(*)::int from reconciliation_results where tenant_id = ${t}::uuid and status = 'matched') as matched,
               (select count(*)::int from discrepancies where tenant_id = ${t}::uuid and resolved_at is null
                  and kind in ('over_billed', 'under_billed')) as mismatches`,
  );
  return row!;
}

beforeAll(async () => {
  stack = await startTestStack({ accounts: 24, months: 4 });
});
afterAll(() => stack.stop());

describe("GET /v1/settings", () => {
  it("answers the workspace's settings to an admin", async () => {
    const response = await stack.fetch("/v1/settings");
    expect(response.status).toBe(200);
    const body = (await response.json()) as SettingsResponse;
    expect(body).toMatchObject({ thresholdBps: 500, timeZone: "UTC", amplitudeGroupType: expect.any(String) });
    expect(body.baseCurrency).toMatch(/^[A-Z]{3}$/);
    expect(body.metrics.length).toBeGreaterThan(0);
    for (const metric of body.metrics) expect(metric.quickbooksItemIds.length).toBeGreaterThan(0);
  });

  it.each(["finance", "account_manager", "viewer"] as const)("refuses %s with 403", async (role) => {
    const response = await stack.fetch("/v1/settings", {}, role);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refuses a signed-out caller with 401", async () => {
    expect((await stack.fetch("/v1/settings", {}, null)).status).toBe(401);
  });
});

describe("PATCH /v1/settings", () => {
  it.each(["finance", "account_manager", "viewer"] as const)(
    "refuses %s with 403 and changes nothing",
    async (role) => {
      const before = await settings();
      const response = await stack.fetch("/v1/settings", patch({ thresholdBps: 9000 }), role);
      expect(response.status).toBe(403);
      expect(await settings()).toEqual(before);
      expect(await auditRows("settings.updated")).toEqual([]);
    },
  );

  it.each([
    ['{"thresholdBps":10001}', "thresholdBps"],
    ['{"thresholdBps":-5}', "thresholdBps"],
    ['{"thresholdBps":12.5}', "thresholdBps"],
    ['{"thresholdBps":"500"}', "thresholdBps"],
    ['{"thresholdBps":1e400}', "thresholdBps"],
    ['{"baseCurrency":"usd"}', "baseCurrency"],
    ['{"baseCurrency":"DOLLARS"}', "baseCurrency"],
    ['{"timeZone":"Mars/Olympus_Mons"}', "timeZone"],
    ['{"timeZone":"+01:00"}', "timeZone"],
    ['{"timeZone":"Europe/Paris\\u0000"}', "timeZone"],
    ['{"owner":"me"}', "(body)"],
    ["[]", "(body)"],
    ["null", "(body)"],
  ])("refuses %s with 400 naming %s, and changes nothing", async (body, path) => {
    const before = await settings();
    const response = await stack.fetch("/v1/settings", patch(body));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await response.json()) as { code: string; errors?: Array<{ path: string }> };
    expect(problem.code).toBe("bad_request");
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect(await settings()).toEqual(before);
  });

  it("refuses malformed JSON with 400", async () => {
    const response = await stack.fetch("/v1/settings", patch("{not json"));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });

  it("changes the time zone and currency without re-reconciling, and audits before and after", async () => {
    const response = await stack.fetch("/v1/settings", patch({ timeZone: "america/new_york", baseCurrency: "EUR" }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as SettingsUpdateResponse;
    expect(body.settings).toMatchObject({ timeZone: "America/New_York", baseCurrency: "EUR", thresholdBps: 500 });
    expect(body.reconcileJobId).toBeNull();
    expect(await settings()).toEqual(body.settings);
    const [audit] = await auditRows("settings.updated");
    expect(audit).toMatchObject({
      actor_user_id: stack.as.admin.id,
      details: {
        before: { timeZone: "UTC", baseCurrency: expect.any(String) },
        after: { timeZone: "America/New_York", baseCurrency: "EUR" },
      },
    });
  });

  it("re-reconciles after a threshold change, and the results follow the new threshold", async () => {
    await stack.services.jobs.drain();
    const before = await reconciliationOutcome();
    expect(before.mismatches).toBeGreaterThan(0);
    const response = await stack.fetch("/v1/settings", patch({ thresholdBps: 10_000 }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as SettingsUpdateResponse;
    expect(body.settings.thresholdBps).toBe(10_000);
    expect(body.reconcileJobId).toEqual(expect.any(String));
    await stack.services.jobs.drain();
    const after = await reconciliationOutcome();
    // Within 100%, every under-billed period matches now.
    expect(after.matched).toBeGreaterThan(before.matched);
    expect(after.mismatches).toBeLessThan(before.mismatches);
    const explanations = await queryRows<{ explanation: string }>(
      stack.services.db,
      sql`select explanation from reconciliation_results
          where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and status = 'matched' limit 1`,
    );
    expect(explanations[0]?.explanation).toContain("100%");
    expect((await auditRows("settings.updated")).at(-1)?.details).toEqual({
      before: { thresholdBps: 500 },
      after: { thresholdBps: 10_000 },
    });
  });
});
