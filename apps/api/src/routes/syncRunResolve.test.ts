// POST /v1/sync/runs/{runId}/resolve: admin only, audited; unknown ids 404, complete runs 409, malformed ids 400.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { SyncRunResolveResponse } from "./syncRunResolve";

let stack: TestStack;
const post = { method: "POST" };
const tenantId = () => stack.tenant.tenant.tenantId;

async function insertRun(status: "partial" | "complete", touched: string[]): Promise<string> {
  const [run] = await queryRows<{ id: string }>(
    stack.services.db,
    sql`insert into sync_runs (tenant_id, source, mode, status, counts, started_at, finished_at, touched, missed)
        values (${tenantId()}::uuid, 'stripe', 'incremental', ${status}, '{}'::jsonb, now(), now(),
                ${JSON.stringify(touched)}::jsonb, '[]'::jsonb)
        returning id`,
  );
  return run!.id;
}

beforeAll(async () => {
  stack = await startTestStack({ accounts: 6, months: 2 });
});
afterAll(() => stack.stop());

describe("POST /v1/sync/runs/{runId}/resolve", () => {
  it("resolves a partial run for an admin, names the accounts it lifts, and audits it", async () => {
    const [account] = await queryRows<{ id: string; stripe_customer_id: string }>(
      stack.services.db,
      sql`select id, stripe_customer_id from accounts where tenant_id = ${tenantId()}::uuid
            and stripe_customer_id is not null order by id limit 1`,
    );
    const runId = await insertRun("partial", [account!.stripe_customer_id, "cus_unlinked"]);
    const response = await stack.fetch(`/v1/sync/runs/${runId}/resolve`, post);
    expect(response.status).toBe(200);
    const body = (await response.json()) as SyncRunResolveResponse;
    expect(body).toMatchObject({ runId, source: "stripe", resolvedBy: stack.as.admin.id, accountIds: [account!.id] });
    const audit = await queryRows<{ actor_user_id: string }>(
      stack.services.db,
      sql`select actor_user_id from audit_log where tenant_id = ${tenantId()}::uuid and action = 'sync.resolved'
            and target_id = ${runId}`,
    );
    expect(audit).toEqual([{ actor_user_id: stack.as.admin.id }]);
  });

  it.each(["finance", "account_manager", "viewer"] as const)(
    "refuses %s with 403 and resolves nothing",
    async (role) => {
      const runId = await insertRun("partial", []);
      const response = await stack.fetch(`/v1/sync/runs/${runId}/resolve`, post, role);
      expect(response.status).toBe(403);
      const [run] = await queryRows<{ resolved_at: string | null }>(
        stack.services.db,
        sql`select resolved_at from sync_runs where id = ${runId}::uuid`,
      );
      expect(run!.resolved_at).toBeNull();
    },
  );

  it("answers 404 for an unknown run, 409 for a complete one, 400 for a malformed id", async () => {
    const unknown = await stack.fetch("/v1/sync/runs/00000000-0000-4000-8000-000000000000/resolve", post);
    expect(unknown.status).toBe(404);
    const complete = await stack.fetch(`/v1/sync/runs/${await insertRun("complete", [])}/resolve`, post);
    expect(complete.status).toBe(409);
    const malformed = await stack.fetch("/v1/sync/runs/not-a-run/resolve", post);
    expect(malformed.status).toBe(400);
    for (const r of [unknown, complete, malformed]) {
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
