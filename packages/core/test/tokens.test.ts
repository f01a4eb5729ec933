// QuickBooks tokens against the sandbox (which rotates refresh tokens): a revoked grant marks the source
// needs_reconnect and later syncs leave the token endpoint alone; a failed save of rotated tokens loses nothing; syncs
// refreshing at once (in one process, or two on one Postgres) refresh once and none mistakes the rotation for a revoke.
import { type DatabaseHandle, openDatabase, queryRows, tenantScope } from "@reckon/db";
import { freshPglite, freshPostgres, postgresAvailable } from "@reckon/db/testing";
import type { RunningSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TenantContext } from "../src/context";
import { listConnections } from "../src/settings/listConnections";
import { connectSources } from "../src/sync/connections";
import { runSourceSync } from "../src/sync/runSourceSync";
import { connectTenant, smallScenario } from "./pipeline";

const postgresUp = await postgresAvailable();
let database: DatabaseHandle;
let sandbox: RunningSandbox;
let ctx: TenantContext;

beforeEach(async () => {
  database = await freshPglite();
  ({ ctx, sandbox } = await connectTenant(database, smallScenario(5, 6, 2)));
});
afterEach(async () => {
  await sandbox.stop();
  await database.close();
});

const tokenRequests = () => sandbox.faults.requests("quickbooks").filter((r) => r.url.includes("/oauth2/"));
const storedStatus = async () => {
  const [row] = await queryRows<{ status: string }>(
    ctx.tenant.db,
    sql`select status from source_connections where tenant_id = ${ctx.tenant.tenantId}::uuid and source = 'quickbooks'`,
  );
  return row?.status;
};

describe("a revoked QuickBooks grant", () => {
  it("marks the source needs_reconnect, and the next sync does not ask the token endpoint again", async () => {
    expect(await runSourceSync({ ctx, input: { source: "quickbooks" } })).toMatchObject({ status: "complete" });
    sandbox.faults.revokeQuickbooksGrant();
    sandbox.faults.reset();

    // Not retryable: the verb answers instead of throwing for the job layer to retry.
    const refused = await runSourceSync({ ctx, input: { source: "quickbooks" } });
    expect(refused).toMatchObject({ status: "failed", error: { kind: "revoked" } });
    expect(await storedStatus()).toBe("needs_reconnect");
    expect(tokenRequests()).toHaveLength(1);
    const connections = await listConnections({ ctx });
    expect(connections.find((c) => c.source === "quickbooks")?.status).toBe("needs_reconnect");

    const asked = sandbox.faults.requestCount("quickbooks");
    const skipped = await runSourceSync({ ctx, input: { source: "quickbooks" } });
    expect(skipped).toMatchObject({ runId: null, status: "needs_reconnect" });
    expect(sandbox.faults.requestCount("quickbooks")).toBe(asked);

    // Reconnecting (new credentials saved) makes it a connected source again.
    await connectSources(ctx, sandbox);
    expect(await storedStatus()).toBe("connected");
  });
});

describe("QuickBooks refresh-token rotation", () => {
  it("survives a failed save between refresh and store: the rotated token is kept and stored on the retry", async () => {
    expect(await runSourceSync({ ctx, input: { source: "quickbooks" } })).toMatchObject({ status: "complete" });
    sandbox.faults.expireQuickbooksAccessTokens();
    sandbox.faults.reset();
    // The database refuses the write of the rotated tokens (as while it restarts): a real failure, not a mock.
    await queryRows(
      ctx.tenant.db,
      sql.raw(`create function refuse_connection_update() returns trigger language plpgsql as
                 $$ begin raise exception 'database restarting'; end $$`),
    );
    await queryRows(
      ctx.tenant.db,
      sql.raw(`create trigger refuse_connection_update before update on source_connections
                 for each row execute function refuse_connection_update()`),
    );
    // Retryable: the job layer tries again, and the provider has already rotated the token.
    await expect(runSourceSync({ ctx, input: { source: "quickbooks" } })).rejects.toMatchObject({ kind: "transient" });
    expect(tokenRequests()).toHaveLength(1);
    // The expired token's 401 and the refresh: no API call was made with the unsaved access token.
    expect(sandbox.faults.requests("quickbooks").map((r) => r.status)).toEqual([401, 200]);

    await queryRows(ctx.tenant.db, sql.raw("drop trigger refuse_connection_update on source_connections"));
    expect(await runSourceSync({ ctx, input: { source: "quickbooks" } })).toMatchObject({ status: "complete" });
    // The retry stored the token it held instead of refreshing with the dead one.
    expect(tokenRequests()).toHaveLength(1);
    expect(await storedStatus()).toBe("connected");

    // What is stored now is the provider's live refresh token: a later refresh from the database works.
    sandbox.faults.expireQuickbooksAccessTokens();
    expect(await runSourceSync({ ctx, input: { source: "quickbooks" } })).toMatchObject({ status: "complete" });
    expect(tokenRequests()).toHaveLength(2);
    expect(tokenRequests().every((r) => r.status === 200)).toBe(true);
  });
});

describe("QuickBooks refreshes at once", () => {
  /** Both syncs hold the same expired access token and the same refresh token when they start. */
  const twoAtOnce = async (first: TenantContext, second: TenantContext) => {
    expect(await runSourceSync({ ctx: first, input: { source: "quickbooks" } })).toMatchObject({ status: "complete" });
    sandbox.faults.expireQuickbooksAccessTokens();
    sandbox.faults.reset();
    const results = await Promise.all([
      runSourceSync({ ctx: first, input: { source: "quickbooks" } }),
      runSourceSync({ ctx: second, input: { source: "quickbooks" } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["complete", "complete"]);
    // One rotation: the second waited for the first and used the tokens it stored, not its own dead refresh token.
    expect(tokenRequests().map((r) => r.status)).toEqual([200]);
    expect(await storedStatus()).toBe("connected");
  };

  it("two syncs in one process refresh once", async () => {
    await twoAtOnce(ctx, { ...ctx });
  });

  it.runIf(postgresUp)("two processes on one Postgres refresh once", async () => {
    const postgres = await freshPostgres();
    // A second pool on the same database: what a second worker process has.
    const other = await openDatabase({ kind: "postgres", url: postgres.url });
    await sandbox.stop();
    try {
      ({ ctx, sandbox } = await connectTenant(postgres, smallScenario(5, 6, 2)));
      const elsewhere: TenantContext = { ...ctx, db: other.db, tenant: tenantScope(other.db, ctx.tenant.tenantId) };
      await twoAtOnce(ctx, elsewhere);
    } finally {
      // afterEach stops this test's sandbox.
      await other.close();
      await postgres.close();
    }
  });
});
