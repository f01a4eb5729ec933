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

  it("answers health and unknown routes", async () => {
    expect(await (await stack.fetch(`/healthz`)).json()).toEqual({ status: "ok", database: true });
    const missing = await stack.fetch(`/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
  });
});
