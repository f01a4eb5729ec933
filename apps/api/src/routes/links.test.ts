// GET /v1/links/suggestions and POST /v1/links/confirm: admin only; a confirmed link is audited, re-reconciled, and
// survives the next sync.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { LinkConfirmResponse } from "./linksConfirm";
import type { LinkSuggestionsResponse } from "./linksSuggestions";

let stack: TestStack;
const post = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const suggestions = async () => (await (await stack.fetch("/v1/links/suggestions")).json()) as LinkSuggestionsResponse;

interface AccountRow {
  id: string;
  name: string;
  stripe_customer_id: string | null;
  link_methods: Record<string, string>;
}
const accounts = () =>
  queryRows<AccountRow>(
    stack.services.db,
    sql`select id, name, stripe_customer_id, link_methods from accounts
        where tenant_id = ${stack.tenant.tenant.tenantId}::uuid order by name, id`,
  );
const linkAudit = () =>
  queryRows<{ actor_user_id: string; target_id: string; details: Record<string, unknown> }>(
    stack.services.db,
    sql`select actor_user_id, target_id, details from audit_log
        where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and action = 'account_link.confirmed' order by id`,
  );
const openUnmapped = async () =>
  (
    await queryRows<{ source_ids: string[] }>(
      stack.services.db,
      sql`select source_ids from discrepancies where tenant_id = ${stack.tenant.tenant.tenantId}::uuid
            and kind = 'unmapped_record' and resolved_at is null`,
    )
  ).flatMap((r) => r.source_ids);

let first: AccountRow;
let second: AccountRow;
let unlinkedCustomer: string;
beforeAll(async () => {
  stack = await startTestStack({ accounts: 6, months: 2 });
  [first, second] = (await accounts()).filter((a) => a.stripe_customer_id) as [AccountRow, AccountRow];
  // As linkAccounts leaves a link it made from a matching name.
  await queryRows(
    stack.services.db,
    sql`update accounts set link_methods = link_methods || '{"stripe":"suggested"}'::jsonb
        where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and id = ${second.id}::uuid`,
  );
});
afterAll(() => stack.stop());

describe("GET /v1/links/suggestions", () => {
  it("lists suggested links and the Stripe customer no account links", async () => {
    const response = await stack.fetch("/v1/links/suggestions");
    expect(response.status).toBe(200);
    const body = (await response.json()) as LinkSuggestionsResponse;
    expect(body.suggested).toEqual([
      {
        account: { id: second.id, name: second.name },
        source: "stripe",
        sourceId: second.stripe_customer_id,
        sourceName: expect.any(String),
      },
    ]);
    const stripe = body.unlinked.filter((u) => u.source === "stripe");
    expect(stripe).toHaveLength(1);
    expect(stripe[0]).toMatchObject({ suggestedAccount: null, name: expect.any(String) });
    unlinkedCustomer = stripe[0]!.sourceId;
    expect(await openUnmapped()).toContain(unlinkedCustomer);
  });

  it.each(["finance", "account_manager", "viewer"] as const)("refuses %s with 403", async (role) => {
    expect((await stack.fetch("/v1/links/suggestions", {}, role)).status).toBe(403);
  });

  it.each(["?limit=0", "?limit=1001", "?limit=ten", "?sort=name"])("refuses %s with 400", async (query) => {
    const response = await stack.fetch(`/v1/links/suggestions${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("POST /v1/links/confirm", () => {
  it.each(["finance", "account_manager", "viewer"] as const)(
    "refuses %s with 403 and changes nothing",
    async (role) => {
      const before = await accounts();
      const response = await stack.fetch(
        "/v1/links/confirm",
        post({ accountId: first.id, source: "stripe", sourceId: unlinkedCustomer }),
        role,
      );
      expect(response.status).toBe(403);
      expect(await accounts()).toEqual(before);
      expect(await linkAudit()).toEqual([]);
    },
  );

  it.each([
    ["a malformed account id", () => ({ accountId: "42", source: "stripe", sourceId: "cus_1" })],
    ["an unknown source", () => ({ accountId: first.id, source: "paypal", sourceId: "cus_1" })],
    ["an empty source id", () => ({ accountId: first.id, source: "stripe", sourceId: "" })],
    ["a NUL in the source id", () => ({ accountId: first.id, source: "stripe", sourceId: "cus\u0000" })],
    ["an unknown field", () => ({ accountId: first.id, source: "stripe", sourceId: "cus_1", method: "explicit" })],
    ["malformed JSON", () => '{"accountId":'],
  ])("refuses %s with 400 and changes nothing", async (_, body) => {
    const before = await accounts();
    const response = await stack.fetch("/v1/links/confirm", post(body()));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await accounts()).toEqual(before);
  });

  it("answers 404 for an unknown account or an unknown source record", async () => {
    for (const body of [
      { accountId: "00000000-0000-4000-8000-000000000000", source: "stripe", sourceId: unlinkedCustomer },
      { accountId: first.id, source: "stripe", sourceId: "cus_never_synced" },
      { accountId: first.id, source: "amplitude", sourceId: "group-without-usage" },
    ]) {
      const response = await stack.fetch("/v1/links/confirm", post(body));
      expect(response.status, JSON.stringify(body)).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await linkAudit()).toEqual([]);
  });

  it("answers 409 for a record another account links, naming that account", async () => {
    const response = await stack.fetch(
      "/v1/links/confirm",
      post({ accountId: first.id, source: "stripe", sourceId: second.stripe_customer_id }),
    );
    expect(response.status).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toContain(second.name);
    expect((await accounts()).find((a) => a.id === first.id)?.stripe_customer_id).toBe(first.stripe_customer_id);
  });

  it("confirms a suggested link, and it leaves the suggestions", async () => {
    const response = await stack.fetch(
      "/v1/links/confirm",
      post({ accountId: second.id, source: "stripe", sourceId: second.stripe_customer_id }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()) as LinkConfirmResponse).toMatchObject({
      account: { id: second.id, name: second.name },
      method: "confirmed",
      replaced: null,
      reconcileJobId: expect.any(String),
    });
    expect((await suggestions()).suggested).toEqual([]);
    expect((await linkAudit()).at(-1)).toMatchObject({
      actor_user_id: stack.as.admin.id,
      target_id: second.id,
      details: { source: "stripe", sourceId: second.stripe_customer_id, previousMethod: "suggested" },
    });
  });

  it("links the unlinked customer in place of another, re-reconciles, and the next sync keeps it", async () => {
    const response = await stack.fetch(
      "/v1/links/confirm",
      post({ accountId: first.id, source: "stripe", sourceId: unlinkedCustomer }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as LinkConfirmResponse;
    expect(body).toMatchObject({ replaced: first.stripe_customer_id, reconcileJobId: expect.any(String) });
    expect((await linkAudit()).at(-1)?.details).toMatchObject({
      sourceId: unlinkedCustomer,
      previous: first.stripe_customer_id,
    });
    await stack.services.jobs.drain();
    // The reconciliation that followed: the customer is no longer unmapped, the one it replaced is.
    const unmapped = await openUnmapped();
    expect(unmapped).not.toContain(unlinkedCustomer);
    expect(unmapped).toContain(first.stripe_customer_id);

    // A full refresh from Stripe (its cursor dropped, so every customer comes again and linking runs): the old
    // customer still names this account's QuickBooks customer in its metadata, and must not take the link back.
    // (Dropping every source's cursor also re-exports Amplitude, which waits out its request window: ~60 s.)
    const fullStripeRuns = async () =>
      (
        await queryRows<{ n: number }>(
          stack.services.db,
          sql`select count(*)::int as n from sync_runs where tenant_id = ${stack.tenant.tenant.tenantId}::uuid
                and source = 'stripe' and mode = 'full' and status = 'complete' and (counts->>'customers')::int > 0`,
        )
      )[0]!.n;
    const fullRunsBefore = await fullStripeRuns();
    await queryRows(
      stack.services.db,
      sql`delete from sync_cursors where tenant_id = ${stack.tenant.tenant.tenantId}::uuid and source = 'stripe'`,
    );
    expect((await stack.fetch("/v1/sync", post({ reason: "manual" }))).status).toBe(202);
    await stack.services.jobs.drain();
    expect(await fullStripeRuns()).toBe(fullRunsBefore + 1);
    const after = (await accounts()).find((a) => a.id === first.id)!;
    expect(after.stripe_customer_id).toBe(unlinkedCustomer);
    expect(after.link_methods.stripe).toBe("confirmed");
    const listed = await suggestions();
    expect(listed.unlinked.map((u) => u.sourceId)).toContain(first.stripe_customer_id);
    expect(listed.unlinked.map((u) => u.sourceId)).not.toContain(unlinkedCustomer);
  });
});
