// The flag routes over HTTP: raise (POST /v1/accounts/{id}/flags), list (the account's, the workspace's by status),
// resolve (POST /v1/flags/{id}/resolve, finance and admins, once); bad input is a 400 problem that changes nothing,
// someone else's account a 404, a role without the permission a 403; raising and resolving reach Slack's #finance.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { AccountDetailResponse } from "./accountDetail";
import type { AccountFlagCreateResponse } from "./accountFlagCreate";
import type { AccountFlagsResponse } from "./accountFlags";
import type { FlagResolveResponse } from "./flagResolve";
import type { FlagsResponse } from "./flags";
import type { PortfolioResponse } from "./portfolio";

let stack: TestStack;
let ownAccount: string; // the account manager's
let othersAccount: string;

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const flagCount = async () =>
  (await queryRows<{ n: number }>(stack.services.db, sql`select count(*)::int as n from flags`))[0]!.n;
const raise = async (accountId: string, body: unknown, role: Parameters<TestStack["fetch"]>[2] = "admin") =>
  stack.fetch(`/v1/accounts/${accountId}/flags`, json("POST", body), role);
const financeMessages = () => {
  const slack = stack.slack!.sandbox;
  return slack.records.messages(slack.workspace.channel("finance")!.id);
};

beforeAll(async () => {
  stack = await startTestStack({ accounts: 60, months: 2 });
  const all = (await (await stack.fetch("/v1/portfolio?limit=200")).json()) as PortfolioResponse;
  const manager = stack.as.account_manager.id;
  ownAccount = all.rows.find((r) => r.owner?.id === manager)!.accountId;
  othersAccount = all.rows.find((r) => r.owner?.id !== manager)!.accountId;
}, 120_000);
afterAll(() => stack.stop());

describe("POST /v1/accounts/{accountId}/flags", () => {
  it("raises a flag on the account manager's own account, audits it and posts it to #finance", async () => {
    const response = await raise(
      ownAccount,
      { reason: "under_billed", note: "seats went up in October", amount: { minor: "125000", currency: "usd" } },
      "account_manager",
    );
    expect(response.status).toBe(201);
    const flag = (await response.json()) as AccountFlagCreateResponse;
    expect(flag).toMatchObject({
      account: { id: ownAccount },
      reason: "under_billed",
      note: "seats went up in October",
      amount: { minor: "125000", currency: "USD" },
      status: "open",
      raisedBy: { id: stack.as.account_manager.id },
      raisedVia: "api",
      resolvedAt: null,
      slackThread: null,
    });
    const audit = await queryRows<{ actor_user_id: string }>(
      stack.services.db,
      sql`select actor_user_id::text from audit_log where action = 'flag.created' and target_id = ${flag.id}`,
    );
    expect(audit).toEqual([{ actor_user_id: stack.as.account_manager.id }]);
    await stack.services.jobs.drain();
    expect(financeMessages().some((m) => JSON.stringify(m.blocks).includes("seats went up in October"))).toBe(true);
    // The account page shows it among the open flags, counted.
    const detail = (await (await stack.fetch(`/v1/accounts/${ownAccount}`)).json()) as AccountDetailResponse;
    expect(detail.flags.map((f) => f.id)).toContain(flag.id);
    expect(detail.openFlagCount).toBeGreaterThan(0);
  });

  it("refuses bad input with a 400 problem naming the field, and stores nothing", async () => {
    const before = await flagCount();
    const cases: Array<[unknown, string]> = [
      [{ reason: "other" }, "note"],
      [{ reason: "other", note: "   " }, "note"],
      [{ reason: "plan_change" }, "reason"],
      [{ reason: "refund", amount: { minor: "12.50", currency: "USD" } }, "amount.minor"],
      [{ reason: "refund", amount: { minor: "0", currency: "USD" } }, "amount.minor"],
      [{ reason: "refund", amount: { minor: 1250, currency: "USD" } }, "amount.minor"],
      [{ reason: "refund", amount: { minor: "1250", currency: "DOLLARS" } }, "amount.currency"],
      [{ reason: "refund", amount: { minor: "1250" } }, "amount.currency"],
      [{ reason: "refund", surprise: true }, "(body)"],
      [{}, "reason"],
    ];
    for (const [body, path] of cases) {
      const response = await raise(ownAccount, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await response.json()) as { errors?: Array<{ path: string }> };
      expect(
        problem.errors?.map((e) => e.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const notJson = await stack.fetch(`/v1/accounts/${ownAccount}/flags`, { method: "POST", body: "reason=refund" });
    expect(notJson.status).toBe(415);
    expect((await raise("not-a-uuid", { reason: "refund" })).status).toBe(400);
    expect(await flagCount()).toBe(before);
  });

  it("answers 404 for someone else's account or an unknown one, 403 to a viewer, 401 signed out", async () => {
    const before = await flagCount();
    expect((await raise(othersAccount, { reason: "refund" }, "account_manager")).status).toBe(404);
    expect((await raise("00000000-0000-4000-8000-000000000000", { reason: "refund" })).status).toBe(404);
    expect((await raise(ownAccount, { reason: "refund" }, "viewer")).status).toBe(403);
    expect((await raise(ownAccount, { reason: "refund" }, null)).status).toBe(401);
    expect(await flagCount()).toBe(before);
  });
});

describe("GET /v1/accounts/{accountId}/flags and GET /v1/flags", () => {
  it("list newest first by status, in pages, and refuse bad filters and cursors", async () => {
    const ids: string[] = [];
    for (const reason of ["refund", "dispute", "overpayment"]) {
      const response = await raise(othersAccount, { reason });
      ids.push(((await response.json()) as AccountFlagCreateResponse).id);
    }
    const first = (await (
      await stack.fetch(`/v1/accounts/${othersAccount}/flags?status=open&limit=2`)
    ).json()) as AccountFlagsResponse;
    expect(first.flags.map((f) => f.id)).toEqual([ids[2], ids[1]]);
    const second = (await (
      await stack.fetch(`/v1/accounts/${othersAccount}/flags?status=open&limit=2&cursor=${first.nextCursor}`)
    ).json()) as AccountFlagsResponse;
    expect(second.flags[0]!.id).toBe(ids[0]);
    for (const bad of ["status=closed", "limit=0", "limit=abc", "cursor=nonsense", "surprise=1"]) {
      const response = await stack.fetch(`/v1/accounts/${othersAccount}/flags?${bad}`);
      expect(response.status, bad).toBe(400);
    }
    expect((await stack.fetch(`/v1/accounts/${othersAccount}/flags`, {}, "account_manager")).status).toBe(404);
    // The workspace's list narrows an account manager to their own accounts.
    const theirs = (await (await stack.fetch("/v1/flags?limit=200", {}, "account_manager")).json()) as FlagsResponse;
    expect(theirs.flags.every((f) => f.account.id !== othersAccount)).toBe(true);
    expect((await stack.fetch("/v1/flags?status=nope")).status).toBe(400);
  });
});

describe("POST /v1/flags/{flagId}/resolve", () => {
  it("resolves once for finance; a second resolve answers the first; Slack's thread is told", async () => {
    const raised = (await (
      await raise(othersAccount, { reason: "duplicate_charge" })
    ).json()) as AccountFlagCreateResponse;
    const resolve = (body: unknown, role: Parameters<TestStack["fetch"]>[2]) =>
      stack.fetch(`/v1/flags/${raised.id}/resolve`, json("POST", body), role);
    expect((await resolve({ resolution: "checked" }, "account_manager")).status).toBe(403);
    expect((await resolve({ resolution: "checked" }, "viewer")).status).toBe(403);
    expect((await resolve({ resolution: 42 }, "finance")).status).toBe(400);
    expect((await resolve({ resolution: "ok", extra: 1 }, "finance")).status).toBe(400);
    const first = await resolve({ resolution: "refunded the second charge" }, "finance");
    expect(first.status).toBe(200);
    expect((await first.json()) as FlagResolveResponse).toMatchObject({
      status: "resolved",
      resolvedBy: { id: stack.as.finance.id },
      resolution: "refunded the second charge",
    });
    const second = await resolve({ resolution: "again" }, "admin");
    expect(second.status).toBe(200);
    expect(((await second.json()) as FlagResolveResponse).resolution).toBe("refunded the second charge");
    const audit = await queryRows<{ n: number }>(
      stack.services.db,
      sql`select count(*)::int as n from audit_log where action = 'flag.resolved' and target_id = ${raised.id}`,
    );
    expect(audit[0]!.n).toBe(1);
    // Without a body at all it resolves too (the resolution is optional).
    const bare = (await (await raise(othersAccount, { reason: "refund" })).json()) as AccountFlagCreateResponse;
    expect((await stack.fetch(`/v1/flags/${bare.id}/resolve`, { method: "POST" }, "finance")).status).toBe(200);
    const resolved = (await (await stack.fetch("/v1/flags?status=resolved&limit=200")).json()) as FlagsResponse;
    expect(resolved.flags.map((f) => f.id)).toEqual(expect.arrayContaining([raised.id, bare.id]));
    await stack.services.jobs.drain();
    const thread = (await (await stack.fetch(`/v1/flags?status=resolved&limit=200`)).json()) as FlagsResponse;
    expect(thread.flags.find((f) => f.id === raised.id)?.slackThread).not.toBeNull();
  });

  it("answers 404 for an unknown flag and 400 for an id that is not one", async () => {
    const unknown = await stack.fetch(
      "/v1/flags/00000000-0000-4000-8000-000000000000/resolve",
      json("POST", {}),
      "finance",
    );
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    expect((await stack.fetch("/v1/flags/123/resolve", json("POST", {}), "finance")).status).toBe(400);
  });
});
