// PUT /v1/settings/item-mappings and DELETE /v1/settings/item-mappings/{quickbooksItemId}: admin only, metrics must
// exist (400 naming the unknown one), every change audited and re-reconciled.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { SettingsResponse } from "./settings";
import type { ItemMappingsResponse } from "./settingsItemMappings";

let stack: TestStack;
const put = (body: unknown): RequestInit => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const metrics = async () => ((await (await stack.fetch("/v1/settings")).json()) as SettingsResponse).metrics;
const audit = () =>
  queryRows<{ target_id: string | null; details: Record<string, unknown> }>(
    stack.services.db,
    sql`select target_id, details from audit_log
        where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and action = 'item_mapping.updated' order by id`,
  );

let first: SettingsResponse["metrics"][number];
beforeAll(async () => {
  stack = await startTestStack({ accounts: 6, months: 2 });
  first = (await metrics())[0]!;
});
afterAll(() => stack.stop());

describe("PUT /v1/settings/item-mappings", () => {
  it("maps a new item to a metric, answers every metric, audits it and queues a reconcile", async () => {
    const response = await stack.fetch(
      "/v1/settings/item-mappings",
      put({ mappings: [{ quickbooksItemId: "9001", metric: first.key }] }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as ItemMappingsResponse;
    expect(body.reconcileJobId).toEqual(expect.any(String));
    expect(body.metrics.find((m) => m.key === first.key)?.quickbooksItemIds).toContain("9001");
    expect(await metrics()).toEqual(body.metrics);
    expect((await audit()).at(-1)?.details).toEqual({
      set: [{ quickbooksItemId: "9001", metric: first.key, previous: null }],
    });
    await stack.services.jobs.drain();
  });

  it("answers 400 naming an unknown metric, and changes nothing", async () => {
    const before = await metrics();
    const audited = (await audit()).length;
    const response = await stack.fetch(
      "/v1/settings/item-mappings",
      put({
        mappings: [
          { quickbooksItemId: "9001", metric: "no_such_metric" },
          { quickbooksItemId: "9002", metric: first.key },
        ],
      }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(((await response.json()) as { detail: string }).detail).toContain('"no_such_metric"');
    expect(await metrics()).toEqual(before);
    expect(await audit()).toHaveLength(audited);
  });

  it.each([
    ["no mappings", { mappings: [] }],
    ["a number for an id", { mappings: [{ quickbooksItemId: 9001, metric: "x" }] }],
    ["a slash in an id", { mappings: [{ quickbooksItemId: "90/01", metric: "x" }] }],
    ["a missing metric", { mappings: [{ quickbooksItemId: "9001" }] }],
    ["a NUL in a metric", { mappings: [{ quickbooksItemId: "9001", metric: "a\u0000b" }] }],
    [
      "an item twice",
      {
        mappings: [
          { quickbooksItemId: "1", metric: "x" },
          { quickbooksItemId: "1", metric: "y" },
        ],
      },
    ],
    ["an unknown field", { mappings: [{ quickbooksItemId: "9001", metric: "x", weight: 2 }] }],
    ["malformed JSON", "{mappings:"],
  ])("refuses %s with 400", async (_, body) => {
    const before = await metrics();
    const response = await stack.fetch("/v1/settings/item-mappings", put(body));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await metrics()).toEqual(before);
  });

  it.each(["finance", "account_manager", "viewer"] as const)(
    "refuses %s with 403 and changes nothing",
    async (role) => {
      const before = await metrics();
      const response = await stack.fetch(
        "/v1/settings/item-mappings",
        put({ mappings: [{ quickbooksItemId: "9003", metric: first.key }] }),
        role,
      );
      expect(response.status).toBe(403);
      expect(await metrics()).toEqual(before);
    },
  );
});

describe("DELETE /v1/settings/item-mappings/{quickbooksItemId}", () => {
  it("refuses other roles with 403, a bad id with 400 and an unmapped item with 404", async () => {
    for (const role of ["finance", "account_manager", "viewer"] as const) {
      expect((await stack.fetch("/v1/settings/item-mappings/9001", { method: "DELETE" }, role)).status).toBe(403);
    }
    expect((await stack.fetch("/v1/settings/item-mappings/90%2F01", { method: "DELETE" })).status).toBe(400);
    const missing = await stack.fetch("/v1/settings/item-mappings/424242", { method: "DELETE" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    expect((await metrics()).find((m) => m.key === first.key)?.quickbooksItemIds).toContain("9001");
  });

  it("removes the mapping and audits it", async () => {
    const response = await stack.fetch("/v1/settings/item-mappings/9001", { method: "DELETE" });
    expect(response.status).toBe(204);
    expect((await metrics()).find((m) => m.key === first.key)?.quickbooksItemIds).not.toContain("9001");
    expect((await audit()).at(-1)).toEqual({
      target_id: "9001",
      details: { deleted: [{ quickbooksItemId: "9001", metric: first.key }] },
    });
    await stack.services.jobs.drain();
  });
});
