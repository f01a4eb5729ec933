// GET and PUT /v1/settings/slack: admin only, one Slack workspace per Reckon workspace (409 for one taken by
// another), 400 for anything invalid, the digest days normalized, every change audited.
import { createApiToken, createUser, provisionTenant, systemContext, userContext } from "@reckon/core";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { SlackSettingsResponse } from "./settingsSlack";

let stack: TestStack;
let otherAdminToken: string;
let teamId: string;
let financeChannelId: string;
const put = (body: unknown): RequestInit => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const asOther = (init: RequestInit = {}): RequestInit => {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${otherAdminToken}`);
  return { ...init, headers };
};
const current = async () => (await (await stack.fetch("/v1/settings/slack")).json()) as SlackSettingsResponse;
const audited = async () =>
  (
    await queryRows<{ n: number }>(
      stack.services.db,
      sql`select count(*)::int as n from audit_log where action = 'slack_settings.updated'`,
    )
  )[0]!.n;

beforeAll(async () => {
  stack = await startTestStack({ accounts: 6, months: 2 });
  teamId = stack.slack!.sandbox.workspace.team.id;
  financeChannelId = stack.slack!.sandbox.workspace.channel("finance")!.id;
  const tenant = await provisionTenant({
    db: stack.services.db,
    input: {
      slug: "slack-other",
      name: "Other",
      baseCurrency: "EUR",
      thresholdBps: 500,
      amplitudeGroupType: "org_id",
      metrics: [],
      owners: [],
      accounts: [],
    },
  });
  const created = await createUser({
    ctx: systemContext(stack.services, tenant),
    input: { email: "admin@slack-other.example.com", name: "Other Admin", role: "admin" },
  });
  if (!created.ok) throw new Error("could not create the other workspace's admin");
  const ctx = userContext(
    stack.services,
    { tenant_id: tenant.tenantId, user_id: created.user.id, role: "admin", name: "Other", email: created.user.email },
    "token",
    "slack",
  );
  otherAdminToken = (await createApiToken({ ctx, input: { name: "other" } })).token;
});
afterAll(() => stack.stop());

describe("GET /v1/settings/slack", () => {
  it("answers the workspace the demo connected at start-up, with the default digest schedule", async () => {
    const response = await stack.fetch("/v1/settings/slack");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ teamId, financeChannelId, digestDaysBefore: [14, 7, 3, 1], digestHour: 9 });
  });

  it("answers 404 to a workspace without Slack, and 403 to every role but admin", async () => {
    const other = await fetch(`${stack.url}/v1/settings/slack`, asOther());
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    for (const role of ["finance", "account_manager", "viewer"] as const) {
      expect((await stack.fetch("/v1/settings/slack", {}, role)).status).toBe(403);
    }
    expect((await stack.fetch("/v1/settings/slack", {}, null)).status).toBe(401);
  });
});

describe("PUT /v1/settings/slack", () => {
  it("sets the digest days (deduplicated, latest first) and hour, and audits the change", async () => {
    const before = await audited();
    const response = await stack.fetch(
      "/v1/settings/slack",
      put({ teamId, financeChannelId, digestDaysBefore: [1, 10, 3, 10], digestHour: 8 }),
    );
    expect(response.status).toBe(200);
    const expected = { teamId, financeChannelId, digestDaysBefore: [10, 3, 1], digestHour: 8 };
    expect(await response.json()).toEqual(expected);
    expect(await current()).toEqual(expected);
    expect(await audited()).toBe(before + 1);
    const reset = await stack.fetch("/v1/settings/slack", put({ teamId, financeChannelId }));
    expect(await reset.json()).toMatchObject({ digestDaysBefore: [14, 7, 3, 1], digestHour: 9 });
  });

  it.each(["finance", "account_manager", "viewer"] as const)(
    "refuses %s with 403 and changes nothing",
    async (role) => {
      const before = await current();
      const response = await stack.fetch("/v1/settings/slack", put({ teamId, digestHour: 5 }), role);
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(await current()).toEqual(before);
    },
  );

  it("refuses another workspace the Slack team this one has, with 409, and lets it take its own", async () => {
    const before = await audited();
    const taken = await fetch(`${stack.url}/v1/settings/slack`, asOther(put({ teamId, financeChannelId: null })));
    expect(taken.status).toBe(409);
    expect(taken.headers.get("content-type")).toContain("application/problem+json");
    expect(((await taken.json()) as { detail: string }).detail).toMatch(/another Reckon workspace/);
    expect((await current()).teamId).toBe(teamId);
    expect(await audited()).toBe(before);
    expect((await fetch(`${stack.url}/v1/settings/slack`, asOther())).status).toBe(404);

    const own = await fetch(`${stack.url}/v1/settings/slack`, asOther(put({ teamId: "T0OTHERSLACK" })));
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ teamId: "T0OTHERSLACK", financeChannelId: null });
    // And this workspace still cannot move onto the other one's team.
    expect((await stack.fetch("/v1/settings/slack", put({ teamId: "T0OTHERSLACK" }))).status).toBe(409);
  });

  it.each([
    ["a team id that is not one", { teamId: "acme" }],
    ["a channel name for a channel id", { teamId: "T0ACME1", financeChannelId: "#finance" }],
    ["an hour past 23", { teamId: "T0ACME1", digestHour: 24 }],
    ["a fractional hour", { teamId: "T0ACME1", digestHour: 8.5 }],
    ["a negative day", { teamId: "T0ACME1", digestDaysBefore: [-1] }],
    ["a day past a quarter", { teamId: "T0ACME1", digestDaysBefore: [93] }],
    ["days as text", { teamId: "T0ACME1", digestDaysBefore: "14,7" }],
    ["too many days", { teamId: "T0ACME1", digestDaysBefore: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }],
    ["an unknown field", { teamId: "T0ACME1", timeZone: "UTC" }],
    ["no team id", { financeChannelId: "C0FINANCE" }],
    ["a body that is not JSON", "{teamId:"],
  ])("refuses %s with 400 and changes nothing", async (_, body) => {
    const before = await current();
    const response = await stack.fetch("/v1/settings/slack", put(body));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await current()).toEqual(before);
  });
});
