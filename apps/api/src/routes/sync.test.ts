// /v1/sync/status and POST /v1/sync, /healthz, and the problem document for unknown routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../test/stack";
import type { SyncRefreshResponse } from "./syncRefresh";
import type { SyncStatusResponse } from "./syncStatus";

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  stack = await startTestStack({ accounts: 8, months: 2 });
});
afterAll(() => stack.stop());

describe("sync routes", () => {
  it("reports each source's last run", async () => {
    const body = (await (await stack.fetch(`/v1/sync/status`)).json()) as SyncStatusResponse;
    expect(body.sources.map((s) => [s.source, s.connected, s.lastRun?.status])).toEqual([
      ["amplitude", true, "complete"],
      ["quickbooks", true, "complete"],
      ["stripe", true, "complete"],
    ]);
  });

  it("queues a refresh and runs it incrementally", async () => {
    const response = await stack.fetch(`/v1/sync`, { method: "POST" });
    expect(response.status).toBe(202);
    const body = (await response.json()) as SyncRefreshResponse;
    expect(body.status).toBe("queued");
    await stack.services.jobs.drain();
    const status = (await (await stack.fetch(`/v1/sync/status`)).json()) as SyncStatusResponse;
    for (const source of status.sources)
      expect(source.lastRun).toMatchObject({ mode: "incremental", status: "complete" });
  });

  it("refuses a bad body with 400 and changes nothing", async () => {
    const before = (await (await stack.fetch(`/v1/sync/status`)).json()) as SyncStatusResponse;
    for (const body of ['{"reason":"because"}', '{"extra":1}', "{not json"]) {
      const response = await stack.fetch(`/v1/sync`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(response.status, body).toBe(400);
    }
    await stack.services.jobs.drain();
    expect(await (await stack.fetch(`/v1/sync/status`)).json()).toEqual(before);
  });

  it("shows a revoked QuickBooks grant as needs_reconnect with what to do, until an admin reconnects it", async () => {
    const sandbox = stack.demo!.sandbox;
    const status = async (role: "admin" | "viewer" = "admin") =>
      ((await (await stack.fetch(`/v1/sync/status`, {}, role)).json()) as SyncStatusResponse).sources;
    const quickbooks = async (role: "admin" | "viewer" = "admin") =>
      (await status(role)).find((s) => s.source === "quickbooks")!;
    expect(await quickbooks()).toMatchObject({ connected: true, connection: "connected", action: null });
    sandbox.faults.revokeQuickbooksGrant();
    expect((await stack.fetch(`/v1/sync`, { method: "POST" })).status).toBe(202);
    await stack.services.jobs.drain();
    const action =
      "Reconnect QuickBooks in Settings: QuickBooks revoked Reckon's access, so it is not synced until then.";
    for (const role of ["admin", "viewer"] as const) {
      expect(await quickbooks(role)).toMatchObject({
        connected: true,
        connection: "needs_reconnect",
        action,
        lastRun: { status: "failed", errors: [{ kind: "revoked" }] },
        lastError: { kind: "revoked" },
        nextRunAt: null,
      });
    }
    for (const other of (await status()).filter((s) => s.source !== "quickbooks")) {
      expect(other, other.source).toMatchObject({ connection: "connected", action: null });
      expect(other.nextRunAt, other.source).not.toBeNull();
    }
    // A second refresh leaves it alone: no new run, nothing asked of QuickBooks' token endpoint.
    const before = await quickbooks();
    const tokenCalls = () => sandbox.faults.requests("quickbooks").filter((r) => r.method === "POST").length;
    const refreshesBefore = tokenCalls();
    await stack.fetch(`/v1/sync`, { method: "POST" });
    await stack.services.jobs.drain();
    expect((await quickbooks()).lastRun?.id).toBe(before.lastRun?.id);
    expect(tokenCalls()).toBe(refreshesBefore);
    // The admin connects it again with the company's new grant: connected, and its next sync completes.
    const q = sandbox.quickbooks;
    const reconnect = await stack.fetch(`/v1/connections/quickbooks`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        settings: { baseUrl: q.baseUrl, tokenUrl: q.tokenUrl, realmId: q.realmId },
        secrets: {
          clientId: q.clientId,
          clientSecret: q.clientSecret,
          refreshToken: sandbox.faults.grantQuickbooksAgain(),
        },
      }),
    });
    expect(reconnect.status).toBe(200);
    expect(await quickbooks()).toMatchObject({ connection: "connected", action: null, nextRunAt: expect.any(String) });
    await stack.fetch(`/v1/sync`, { method: "POST" });
    await stack.services.jobs.drain();
    expect((await quickbooks()).lastRun).toMatchObject({ mode: "incremental", status: "complete" });
  });

  it("answers health and unknown routes", async () => {
    expect(await (await stack.fetch(`/healthz`)).json()).toEqual({ status: "ok", database: true });
    const missing = await stack.fetch(`/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
  });
});
