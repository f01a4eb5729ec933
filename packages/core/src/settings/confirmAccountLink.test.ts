// Link suggestions and confirmation on a real (PGlite) database, and the sync's own linking leaving confirmed links be.
import { queryRows, type TenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessDenied } from "../access/actor";
import { systemContext } from "../context";
import { linkAccounts } from "../sync/linkAccounts";
import { confirmAccountLink } from "./confirmAccountLink";
import { listLinkSuggestions } from "./listLinkSuggestions";
import { recordingJobs, type SettingsWorld, settingsWorld } from "./testTenant";

let world: SettingsWorld;
const ids: Record<string, string> = {};

async function customer(
  scope: TenantScope,
  source: "stripe" | "quickbooks",
  id: string,
  name: string,
  email: string,
  metadata: Record<string, string> = {},
) {
  await queryRows(
    scope.db,
    sql`insert into source_customers (tenant_id, source, source_id, name, email, metadata, source_updated_at)
        values (${scope.tenantId}::uuid, ${source}, ${id}, ${name}, ${email}, ${JSON.stringify(metadata)}::jsonb, now())`,
  );
}

async function account(scope: TenantScope, id: string) {
  const [row] = await queryRows<{
    name: string;
    stripe_customer_id: string | null;
    amplitude_group_id: string | null;
    link_methods: Record<string, string>;
  }>(
    scope.db,
    sql`select name, stripe_customer_id, amplitude_group_id, link_methods from accounts
        where tenant_id = ${scope.tenantId}::uuid and id = ${id}::uuid`,
  );
  return row;
}

async function customerAccount(scope: TenantScope, source: string, id: string) {
  const [row] = await queryRows<{ account_id: string | null }>(
    scope.db,
    sql`select account_id from source_customers where tenant_id = ${scope.tenantId}::uuid and source = ${source} and source_id = ${id}`,
  );
  return row?.account_id ?? null;
}

beforeAll(async () => {
  world = await settingsWorld();
  const t = world.tenant;
  await customer(t, "quickbooks", "Q1", "Acme Corp", "ap@acme.com");
  await customer(t, "quickbooks", "Q2", "Globex", "billing@globex.com");
  await customer(t, "quickbooks", "Q3", "Initech", "finance@initech.com");
  // Suggested by name (no metadata).
  await customer(t, "stripe", "cus_A", "ACME corp.", "pay@acme-payments.net");
  // Explicit: names its QuickBooks customer.
  await customer(t, "stripe", "cus_G", "Globex", "billing@globex.com", { quickbooks_customer_id: "Q2" });
  // Two customers resemble Initech, so the sync links neither; each is listed with Initech suggested.
  await customer(t, "stripe", "cus_I1", "Initech", "ops@initech.com");
  await customer(t, "stripe", "cus_I2", "Initech LLC", "ar@initech.com");
  // Resembles nothing.
  await customer(t, "stripe", "cus_X", "Jane Doe", "jane@mailbox.example.net");
  await queryRows(
    t.db,
    sql`insert into usage_daily (tenant_id, group_id, metric, day, uploaded_on, quantity, event_count)
        values (${t.tenantId}::uuid, 'org_9', 'api_calls', '2026-11-01', '2026-11-01', 10, 10)`,
  );
  // The other tenant's records (one with an id ours has too): never visible or linkable from here.
  await customer(world.other, "quickbooks", "Q1", "Zeta", "z@zeta.com");
  await customer(world.other, "stripe", "cus_Z", "Zeta", "z@zeta.com");
  await linkAccounts({ ctx: systemContext(world.as("admin"), t) });
  for (const row of await queryRows<{ id: string; name: string }>(
    t.db,
    sql`select id, name from accounts where tenant_id = ${t.tenantId}::uuid`,
  ))
    ids[row.name] = row.id;
  await linkAccounts({ ctx: systemContext(world.as("admin"), world.other) });
});
afterAll(() => world.database.close());

describe("listLinkSuggestions", () => {
  it("lists suggested links, and unlinked records with the one account they resemble", async () => {
    const suggestions = await listLinkSuggestions({ ctx: world.as("admin"), input: {} });
    expect(suggestions.suggested).toEqual([
      {
        account: { id: ids["Acme Corp"], name: "Acme Corp" },
        source: "stripe",
        sourceId: "cus_A",
        sourceName: "ACME corp.",
      },
    ]);
    const initech = { id: ids.Initech!, name: "Initech" };
    expect(suggestions.unlinked).toEqual([
      { source: "amplitude", sourceId: "org_9", name: null, email: null, suggestedAccount: null },
      { source: "stripe", sourceId: "cus_I1", name: "Initech", email: "ops@initech.com", suggestedAccount: initech },
      { source: "stripe", sourceId: "cus_I2", name: "Initech LLC", email: "ar@initech.com", suggestedAccount: initech },
      {
        source: "stripe",
        sourceId: "cus_X",
        name: "Jane Doe",
        email: "jane@mailbox.example.net",
        suggestedAccount: null,
      },
    ]);
    expect(suggestions.counts).toEqual({ suggested: 1, unlinked: 4 });
    const limited = await listLinkSuggestions({ ctx: world.as("admin"), input: { limit: 1 } });
    expect(limited.unlinked).toHaveLength(1);
    expect(limited.counts).toEqual({ suggested: 1, unlinked: 4 });
  });

  it("is for admins only", async () => {
    await expect(listLinkSuggestions({ ctx: world.as("finance"), input: {} })).rejects.toBeInstanceOf(AccessDenied);
  });
});

describe("confirmAccountLink", () => {
  it("confirms a suggested link, audits it and queues a reconcile", async () => {
    const jobs = recordingJobs();
    const acme = ids["Acme Corp"]!;
    const change = await confirmAccountLink({
      ctx: world.as("admin"),
      jobs,
      input: { accountId: acme, source: "stripe", sourceId: "cus_A" },
    });
    expect(change).toEqual({
      ok: true,
      account: { id: acme, name: "Acme Corp" },
      replaced: null,
      reconcileJobId: "job-1",
    });
    expect((await account(world.tenant, acme))?.link_methods).toEqual({ quickbooks: "explicit", stripe: "confirmed" });
    expect((await world.auditRows()).at(-1)).toEqual({
      action: "account_link.confirmed",
      target_id: acme,
      details: { source: "stripe", sourceId: "cus_A", previous: "cus_A", previousMethod: "suggested" },
    });
    expect((await listLinkSuggestions({ ctx: world.as("admin"), input: {} })).suggested).toEqual([]);
    // Confirming it again changes nothing.
    const again = await confirmAccountLink({
      ctx: world.as("admin"),
      jobs,
      input: { accountId: acme, source: "stripe", sourceId: "cus_A" },
    });
    expect(again).toMatchObject({ ok: true, reconcileJobId: null });
    expect(jobs.queued).toHaveLength(1);
  });

  it("links an unlinked customer and points the source customer at the account", async () => {
    const initech = ids.Initech!;
    const change = await confirmAccountLink({
      ctx: world.as("admin"),
      jobs: recordingJobs(),
      input: { accountId: initech, source: "stripe", sourceId: "cus_I1" },
    });
    expect(change).toMatchObject({ ok: true, replaced: null });
    expect(await customerAccount(world.tenant, "stripe", "cus_I1")).toBe(initech);
    const unlinked = (await listLinkSuggestions({ ctx: world.as("admin"), input: {} })).unlinked;
    // cus_I2 no longer has an account with an open Stripe link to resemble.
    expect(unlinked.find((u) => u.sourceId === "cus_I2")?.suggestedAccount).toBeNull();
    expect(unlinked.map((u) => u.sourceId)).not.toContain("cus_I1");
  });

  it("links an Amplitude group that has usage", async () => {
    const globex = ids.Globex!;
    const change = await confirmAccountLink({
      ctx: world.as("admin"),
      jobs: recordingJobs(),
      input: { accountId: globex, source: "amplitude", sourceId: "org_9" },
    });
    expect(change).toMatchObject({ ok: true });
    expect(await account(world.tenant, globex)).toMatchObject({
      amplitude_group_id: "org_9",
      link_methods: { amplitude: "confirmed" },
    });
  });

  it("refuses a record linked to another account, and unknown accounts or records", async () => {
    const jobs = recordingJobs();
    const admin = world.as("admin");
    const audited = (await world.auditRows()).length;
    expect(
      await confirmAccountLink({
        ctx: admin,
        jobs,
        input: { accountId: ids.Globex!, source: "stripe", sourceId: "cus_A" },
      }),
    ).toEqual({ ok: false, reason: "linked_elsewhere", account: { id: ids["Acme Corp"], name: "Acme Corp" } });
    const [otherAccount] = await queryRows<{ id: string }>(
      world.database.db,
      sql`select id from accounts where tenant_id = ${world.other.tenantId}::uuid limit 1`,
    );
    for (const [input, reason] of [
      [{ accountId: "00000000-0000-4000-8000-000000000000", source: "stripe", sourceId: "cus_X" }, "account_not_found"],
      [{ accountId: otherAccount!.id, source: "stripe", sourceId: "cus_X" }, "account_not_found"],
      [{ accountId: ids.Globex!, source: "stripe", sourceId: "cus_Z" }, "source_not_found"],
      [{ accountId: ids.Globex!, source: "quickbooks", sourceId: "cus_X" }, "source_not_found"],
      [{ accountId: ids.Globex!, source: "amplitude", sourceId: "org_unknown" }, "source_not_found"],
    ] as const) {
      expect(await confirmAccountLink({ ctx: admin, jobs, input }), JSON.stringify(input)).toEqual({
        ok: false,
        reason,
      });
    }
    await expect(
      confirmAccountLink({
        ctx: world.as("account_manager"),
        jobs,
        input: { accountId: ids.Globex!, source: "stripe", sourceId: "cus_X" },
      }),
    ).rejects.toBeInstanceOf(AccessDenied);
    expect(jobs.queued).toEqual([]);
    expect(await world.auditRows()).toHaveLength(audited);
    expect((await account(world.tenant, ids.Globex!))?.stripe_customer_id).toBe("cus_G");
  });

  it("replaces an explicit link, and the next sync's linking keeps the confirmed one", async () => {
    const globex = ids.Globex!;
    const change = await confirmAccountLink({
      ctx: world.as("admin"),
      jobs: recordingJobs(),
      input: { accountId: globex, source: "stripe", sourceId: "cus_X" },
    });
    expect(change).toMatchObject({ ok: true, replaced: "cus_G" });
    expect(await customerAccount(world.tenant, "stripe", "cus_G")).toBeNull();
    expect(await customerAccount(world.tenant, "stripe", "cus_X")).toBe(globex);
    // cus_G still names Globex's QuickBooks customer in its metadata: the sync must not take the link back.
    await linkAccounts({ ctx: systemContext(world.as("admin"), world.tenant) });
    await linkAccounts({ ctx: systemContext(world.as("admin"), world.tenant) });
    expect(await account(world.tenant, globex)).toMatchObject({
      stripe_customer_id: "cus_X",
      amplitude_group_id: "org_9",
      link_methods: { stripe: "confirmed", amplitude: "confirmed" },
    });
    expect(await account(world.tenant, ids["Acme Corp"]!)).toMatchObject({
      stripe_customer_id: "cus_A",
      link_methods: { stripe: "confirmed" },
    });
    expect(await customerAccount(world.tenant, "stripe", "cus_G")).toBeNull();
    expect(await customerAccount(world.tenant, "stripe", "cus_X")).toBe(globex);
  });
});
