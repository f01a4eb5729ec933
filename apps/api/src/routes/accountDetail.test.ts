// GET /v1/accounts/:id: the account's whole picture; malformed ids 400, unknown and other tenants' ids 404.
import { provisionTenant } from "@reckon/core";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../test/stack";
import type { AccountDetailResponse } from "./accountDetail";
import type { PortfolioResponse } from "./portfolio";

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  stack = await startTestStack({ accounts: 12, months: 3 });
});
afterAll(() => stack.stop());

describe("GET /v1/accounts/:id", () => {
  it("returns usage, invoices, payments, reconciliation and sync state", async () => {
    const page = (await (await stack.fetch(`/v1/portfolio?sort=-outstanding`)).json()) as PortfolioResponse;
    const id = page.rows[0]!.accountId;
    const response = await stack.fetch(`/v1/accounts/${id}`);
    expect(response.status).toBe(200);
    const detail = (await response.json()) as AccountDetailResponse;
    expect(detail.account.id).toBe(id);
    expect(detail.account.links.quickbooks).not.toBeNull();
    expect(detail.invoices.length).toBeGreaterThan(0);
    expect(detail.payments.length).toBeGreaterThan(0);
    expect(detail.usage.length).toBeGreaterThan(0);
    expect(detail.reconciliation.length).toBeGreaterThan(0);
    expect(detail.sync.map((s) => s.lastRun?.status)).toEqual(["complete", "complete", "complete"]);
    expect(detail.partialSync).toBe(false);
    const forecast = detail.forecast as {
      plan: string | null;
      metrics: Array<{ metric: string; committed: string | null }>;
    };
    expect(forecast.metrics.map((m) => m.metric).sort()).toEqual(detail.usage.map((u) => u.metric).sort());
    expect(forecast.plan).not.toBeNull();
    expect(forecast.metrics.every((m) => m.committed !== null)).toBe(true);
    for (const invoice of detail.invoices) expect(invoice.total.minor).toMatch(/^-?\d+$/);
  });

  it("answers 400 for a malformed id and 404 for an unknown one", async () => {
    const malformed = await stack.fetch(`/v1/accounts/not-a-uuid`);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: Array<{ path: string }> }).errors[0]!.path).toBe("accountId");
    const unknown = await stack.fetch(`/v1/accounts/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
  });

  it("never shows another tenant's account", async () => {
    const other = await provisionTenant({
      db: stack.services.db,
      input: {
        slug: "someone-else",
        name: "Someone Else",
        baseCurrency: "USD",
        thresholdBps: 500,
        amplitudeGroupType: "org_id",
        metrics: [],
        owners: [],
        accounts: [
          {
            name: "Secret Client",
            ownerEmail: null,
            quickbooksCustomerId: "999",
            stripeCustomerId: null,
            amplitudeGroupId: null,
          },
        ],
      },
    });
    const [secret] = await queryRows<{ id: string }>(
      stack.services.db,
      sql`select id from accounts where tenant_id = ${other.tenantId}::uuid`,
    );
    const response = await stack.fetch(`/v1/accounts/${secret!.id}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("Secret Client");
  });
});
