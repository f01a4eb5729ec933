// A revoked QuickBooks grant through the whole stack: the connection reads needs_reconnect, admins see what to do on
// the web view, everyone sees the stale banner over the stored rows, and further syncs leave the token endpoint alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { AccountDetailResponse } from "../routes/accountDetail";
import type { ConnectionsResponse } from "../routes/connections";
import type { PortfolioResponse } from "../routes/portfolio";

let stack: TestStack;
const tokenRequests = () =>
  stack.demo!.sandbox.faults.requests("quickbooks").filter((r) => r.url.includes("/oauth2/")).length;
const refresh = async () => {
  expect((await stack.fetch("/v1/sync", { method: "POST" })).status).toBe(202);
  await stack.services.jobs.drain();
};

beforeAll(async () => {
  stack = await startTestStack({ accounts: 8, months: 2 });
});
afterAll(() => stack.stop());

describe("a QuickBooks connection the company revoked", () => {
  let before: PortfolioResponse;

  it("is marked needs_reconnect after the next sync", async () => {
    before = (await (await stack.fetch("/v1/portfolio")).json()) as PortfolioResponse;
    expect(before.freshness.stale).toBe(false);
    stack.demo!.sandbox.faults.revokeQuickbooksGrant();
    await refresh();
    const body = (await (await stack.fetch("/v1/connections")).json()) as ConnectionsResponse;
    expect(body.connections.find((c) => c.source === "quickbooks")?.status).toBe("needs_reconnect");
  });

  it("keeps serving the stored rows, flagged stale, on the API", async () => {
    const page = (await (await stack.fetch("/v1/portfolio")).json()) as PortfolioResponse;
    expect(page.rows).toEqual(before.rows);
    expect(page.freshness.sources.find((s) => s.source === "quickbooks")).toMatchObject({
      state: "needs_reconnect",
      stale: true,
    });
    const detail = (await (
      await stack.fetch(`/v1/accounts/${page.rows[0]!.accountId}`)
    ).json()) as AccountDetailResponse;
    expect(detail.freshness.stale).toBe(true);
    expect(detail.account.name).toBe(page.rows[0]!.name);
  });

  it("shows admins what to do and everyone the stale banner on the web view", async () => {
    const asAdmin = await (await stack.fetch("/")).text();
    expect(asAdmin).toContain('id="needs-reconnect"');
    expect(asAdmin).toContain("QuickBooks needs reconnecting.");
    expect(asAdmin).toContain('id="stale-data"');
    const asFinance = await (await stack.fetch("/", {}, "finance")).text();
    expect(asFinance).not.toContain('id="needs-reconnect"');
    expect(asFinance).toContain("QuickBooks is disconnected:");
    expect(asFinance).toContain(before.rows[0]!.name.replaceAll("&", "&amp;"));
  });

  it("does not ask the token endpoint again on later syncs", async () => {
    const asked = tokenRequests();
    expect(asked).toBeGreaterThan(0);
    await refresh();
    await refresh();
    expect(tokenRequests()).toBe(asked);
  });
});
