// PUT /v1/settings/fx-rates and DELETE /v1/settings/fx-rates/{from}/{to}/{effectiveOn}: admin only, exact decimal
// rates, 400 for anything invalid, 404 for a rate this workspace does not have, every change audited.
import { createApiToken, createUser, provisionTenant, systemContext, userContext } from "@reckon/core";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { SettingsResponse } from "./settings";
import type { FxRatesResponse } from "./settingsFxRates";

let stack: TestStack;
let otherAdminToken: string;
const put = (body: unknown): RequestInit => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const fxRates = async () => ((await (await stack.fetch("/v1/settings")).json()) as SettingsResponse).fxRates;
const auditCount = async () =>
  (
    await queryRows<{ n: number }>(
      stack.services.db,
      sql`select count(*)::int as n from audit_log
          where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and action = 'fx_rates.updated'`,
    )
  )[0]!.n;
const lastAudit = async () =>
  (
    await queryRows<{ actor_user_id: string; details: Record<string, unknown> }>(
      stack.services.db,
      sql`select actor_user_id, details from audit_log
          where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and action = 'fx_rates.updated' order by id desc limit 1`,
    )
  )[0];

beforeAll(async () => {
  stack = await startTestStack({ accounts: 6, months: 2 });
  // A second workspace in the same database, with an admin of its own.
  const tenant = await provisionTenant({
    db: stack.services.db,
    input: {
      slug: "fx-other",
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
    input: { email: "admin@fx-other.example.com", name: "Other Admin", role: "admin" },
  });
  if (!created.ok) throw new Error("could not create the other workspace's admin");
  const ctx = userContext(
    stack.services,
    { tenant_id: tenant.tenantId, user_id: created.user.id, role: "admin", name: "Other", email: created.user.email },
    "token",
    "fx",
  );
  otherAdminToken = (await createApiToken({ ctx, input: { name: "other" } })).token;
});
afterAll(() => stack.stop());

describe("PUT /v1/settings/fx-rates", () => {
  it("adds and replaces dated rates, answers every rate, audits and queues a reconcile", async () => {
    const response = await stack.fetch(
      "/v1/settings/fx-rates",
      put({
        rates: [
          { from: "EUR", to: "USD", rate: "1.0825", effectiveOn: "2026-01-01" },
          { from: "GBP", to: "USD", rate: "1.27000", effectiveOn: "2026-01-01" },
        ],
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as FxRatesResponse;
    expect(body.reconcileJobId).toEqual(expect.any(String));
    expect(body.fxRates).toEqual(
      expect.arrayContaining([
        { from: "EUR", to: "USD", rate: "1.0825", effectiveOn: "2026-01-01" },
        { from: "GBP", to: "USD", rate: "1.27", effectiveOn: "2026-01-01" },
      ]),
    );
    expect(await fxRates()).toEqual(body.fxRates);
    expect(await lastAudit()).toMatchObject({
      actor_user_id: stack.as.admin.id,
      details: { set: expect.arrayContaining([expect.objectContaining({ from: "GBP", rate: "1.27" })]) },
    });
    const replaced = (await (
      await stack.fetch(
        "/v1/settings/fx-rates",
        put({ rates: [{ from: "GBP", to: "USD", rate: "1.3", effectiveOn: "2026-01-01" }] }),
      )
    ).json()) as FxRatesResponse;
    expect(replaced.fxRates).toContainEqual({ from: "GBP", to: "USD", rate: "1.3", effectiveOn: "2026-01-01" });
    expect(replaced.fxRates).toContainEqual({ from: "EUR", to: "USD", rate: "1.0825", effectiveOn: "2026-01-01" });
    expect((await lastAudit())?.details).toEqual({
      set: [{ from: "GBP", to: "USD", effectiveOn: "2026-01-01", rate: "1.3", previous: "1.27" }],
    });
    await stack.services.jobs.drain();
  });

  it.each(["finance", "account_manager", "viewer"] as const)(
    "refuses %s with 403 and changes nothing",
    async (role) => {
      const before = await fxRates();
      const audited = await auditCount();
      const response = await stack.fetch(
        "/v1/settings/fx-rates",
        put({ rates: [{ from: "EUR", to: "USD", rate: "9", effectiveOn: "2026-01-01" }] }),
        role,
      );
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(await fxRates()).toEqual(before);
      expect(await auditCount()).toBe(audited);
    },
  );

  const rate = (over: Record<string, unknown> = {}) => ({
    from: "CAD",
    to: "USD",
    rate: "0.73",
    effectiveOn: "2026-02-01",
    ...over,
  });
  it.each([
    ["a float rate", { rates: [rate({ rate: 0.73 })] }],
    ["a zero rate", { rates: [rate({ rate: "0.000" })] }],
    ["a negative rate", { rates: [rate({ rate: "-0.73" })] }],
    ["11 decimal places", { rates: [rate({ rate: "0.73000000001" })] }],
    ["an exponent", { rates: [rate({ rate: "7.3e-1" })] }],
    ["the same currency twice", { rates: [rate({ to: "CAD" })] }],
    ["a lower-case code", { rates: [rate({ to: "usd" })] }],
    ["an impossible date", { rates: [rate({ effectiveOn: "2026-02-29" })] }],
    ["a timestamp for a date", { rates: [rate({ effectiveOn: "2026-02-01T00:00:00Z" })] }],
    ["a repeated rate", { rates: [rate(), rate()] }],
    ["no rates", { rates: [] }],
    ["too many rates", { rates: Array.from({ length: 1001 }, (_, i) => rate({ rate: `${i + 1}` })) }],
    ["an unknown field", { rates: [rate()], replace: true }],
    ["a NUL in a code", { rates: [rate({ from: "CA\u0000" })] }],
  ])("refuses %s with 400 and changes nothing", async (_, body) => {
    const before = await fxRates();
    const audited = await auditCount();
    const response = await stack.fetch("/v1/settings/fx-rates", put(body));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await fxRates()).toEqual(before);
    expect(await auditCount()).toBe(audited);
  });
});

describe("DELETE /v1/settings/fx-rates/{from}/{to}/{effectiveOn}", () => {
  const path = "/v1/settings/fx-rates/GBP/USD/2026-01-01";

  it("is for admins only", async () => {
    for (const role of ["finance", "account_manager", "viewer"] as const) {
      expect((await stack.fetch(path, { method: "DELETE" }, role)).status).toBe(403);
    }
    expect(await fxRates()).toContainEqual({ from: "GBP", to: "USD", rate: "1.3", effectiveOn: "2026-01-01" });
  });

  it("answers 404 to another workspace's admin and leaves the rate", async () => {
    const response = await fetch(`${stack.url}${path}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${otherAdminToken}` },
    });
    expect(response.status).toBe(404);
    expect(await fxRates()).toContainEqual({ from: "GBP", to: "USD", rate: "1.3", effectiveOn: "2026-01-01" });
  });

  it.each([
    "/v1/settings/fx-rates/gbp/USD/2026-01-01",
    "/v1/settings/fx-rates/GBP/USD/2026-13-01",
    "/v1/settings/fx-rates/GBP/USD/yesterday",
    "/v1/settings/fx-rates/GBPX/USD/2026-01-01",
  ])("refuses %s with 400", async (bad) => {
    const response = await stack.fetch(bad, { method: "DELETE" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });

  it("removes the rate, audits it, and answers 404 the second time", async () => {
    const audited = await auditCount();
    const response = await stack.fetch(path, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await fxRates()).not.toContainEqual(expect.objectContaining({ from: "GBP", effectiveOn: "2026-01-01" }));
    expect(await auditCount()).toBe(audited + 1);
    expect((await lastAudit())?.details).toEqual({
      deleted: [{ from: "GBP", to: "USD", effectiveOn: "2026-01-01", rate: "1.3" }],
    });
    const again = await stack.fetch(path, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    await stack.services.jobs.drain();
  });
});
