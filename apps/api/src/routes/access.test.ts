// Identity routes end to end: /v1/me, API tokens (hashed, shown once, revocable), users and roles, identity
// mapping, and the audit log that records each of them.
import { actAsIdentity } from "@reckon/core";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../test/stack";
import type { AuditPageResponse } from "./audit";
import type { MeResponse } from "./me";
import type { CreatedTokenResponse } from "./tokens";

let stack: TestStack;
const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  stack = await startTestStack({ accounts: 6, months: 2 });
});
afterAll(() => stack.stop());

async function auditActions(action: string): Promise<AuditPageResponse["records"]> {
  const response = await stack.fetch(`/v1/audit?action=${action}&limit=200`);
  expect(response.status).toBe(200);
  return ((await response.json()) as AuditPageResponse).records;
}

describe("/v1/me", () => {
  it("answers each role with the permissions the table gives it", async () => {
    const me = async (role: "admin" | "account_manager" | "viewer") =>
      (await (await stack.fetch("/v1/me", {}, role)).json()) as MeResponse;
    const admin = await me("admin");
    expect(admin).toMatchObject({ role: "admin", email: stack.as.admin.email, via: "token", ownAccountsOnly: false });
    expect(admin.permissions["settings.manage"]).toBe(true);
    const manager = await me("account_manager");
    expect(manager).toMatchObject({ role: "account_manager", ownAccountsOnly: true });
    expect(manager.permissions).toMatchObject({ "payments.retry.request": true, "payments.retry.approve": false });
    expect((await me("viewer")).permissions["exports.create"]).toBe(false);
    expect((await stack.fetch("/v1/me", {}, null)).status).toBe(401);
  });
});

describe("API tokens", () => {
  it("are shown once, stored as a hash, listed by prefix and stop working when revoked", async () => {
    const created = (await (
      await stack.fetch("/v1/tokens", json({ name: "nightly export" }), "finance")
    ).json()) as CreatedTokenResponse;
    expect(created.token).toMatch(/^rk_[A-Za-z0-9_-]{40,}$/);
    const [row] = await queryRows<{ secret_hash: string; prefix: string }>(
      stack.services.db,
      sql`select secret_hash, prefix from api_tokens where id = ${created.id}::uuid`,
    );
    expect(row!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.secret_hash).not.toContain(created.token);
    expect(created.token.startsWith(row!.prefix)).toBe(true);

    const withToken = (init: RequestInit = {}) =>
      fetch(`${stack.url}/v1/me`, { ...init, headers: { authorization: `Bearer ${created.token}` } });
    expect(((await (await withToken()).json()) as MeResponse).role).toBe("finance");

    const listed = JSON.stringify(await (await stack.fetch("/v1/tokens", {}, "finance")).json());
    expect(listed).toContain(created.prefix);
    expect(listed).not.toContain(created.token);
    // Another non-admin cannot see or revoke it; the admin can see it.
    expect(JSON.stringify(await (await stack.fetch("/v1/tokens", {}, "viewer")).json())).not.toContain(created.id);
    expect((await stack.fetch(`/v1/tokens/${created.id}`, { method: "DELETE" }, "viewer")).status).toBe(404);
    expect(JSON.stringify(await (await stack.fetch("/v1/tokens", {}, "admin")).json())).toContain(created.id);

    expect((await stack.fetch(`/v1/tokens/${created.id}`, { method: "DELETE" }, "finance")).status).toBe(204);
    const refused = await withToken();
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");

    const used = await auditActions("token.used");
    expect(used.some((r) => r.target?.id === created.id && r.actor.userId === stack.as.finance.id)).toBe(true);
    expect((await auditActions("token.revoked")).some((r) => r.target?.id === created.id)).toBe(true);
  });

  it("refuses malformed and unknown bearer tokens with 401", async () => {
    for (const header of ["Bearer", "Bearer rk_nope", "Basic abc", `Bearer ${"x".repeat(5000)}`]) {
      const response = await fetch(`${stack.url}/v1/portfolio`, { headers: { authorization: header } });
      expect(response.status, header.slice(0, 20)).toBe(401);
    }
  });
});

describe("users and roles", () => {
  it("adds a user, changes their role, disables them and keeps one admin", async () => {
    const created = await stack.fetch(
      "/v1/users",
      json({ email: "New.Person@Example.com", name: "New Person", role: "viewer", password: "correct horse battery" }),
    );
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; email: string; role: string; canSignIn: boolean };
    expect(user).toMatchObject({ email: "new.person@example.com", role: "viewer", canSignIn: true });
    const [stored] = await queryRows<{ password_hash: string }>(
      stack.services.db,
      sql`select password_hash from users where id = ${user.id}::uuid`,
    );
    expect(stored!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored!.password_hash).not.toContain("correct horse");

    expect(
      (await stack.fetch("/v1/users", json({ email: "new.person@example.com", name: "Again", role: "admin" }))).status,
    ).toBe(409);
    const promoted = await stack.fetch(`/v1/users/${user.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role: "finance" }),
    });
    expect(((await promoted.json()) as { role: string }).role).toBe("finance");

    const demoteLastAdmin = await stack.fetch(`/v1/users/${stack.as.admin.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role: "viewer" }),
    });
    expect(demoteLastAdmin.status).toBe(409);
    expect(((await (await stack.fetch("/v1/me")).json()) as MeResponse).role).toBe("admin");

    const changes = await auditActions("user.updated");
    expect(changes.some((r) => r.target?.id === user.id && r.details.role === "finance")).toBe(true);
    expect(JSON.stringify(changes)).not.toContain("correct horse");
  });

  it("disabling a user stops their tokens", async () => {
    const { id } = (await (
      await stack.fetch("/v1/users", json({ email: "leaver@example.com", name: "Leaver", role: "finance" }))
    ).json()) as { id: string };
    const { userContext, createApiToken } = await import("@reckon/core");
    const ctx = userContext(
      stack.services,
      {
        tenant_id: stack.tenant.tenant.tenantId,
        user_id: id,
        role: "finance",
        name: "Leaver",
        email: "leaver@example.com",
      },
      "token",
      "test",
    );
    const { token } = await createApiToken({ ctx, input: { name: "leaver's" } });
    const call = () => fetch(`${stack.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    const disabled = await stack.fetch(`/v1/users/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disabled.status).toBe(200);
    expect((await call()).status).toBe(401);
  });

  it("maps a Slack identity so Slack requests act as that user, and unmaps it", async () => {
    const manager = stack.as.account_manager;
    const mapped = await stack.fetch(
      `/v1/users/${manager.id}/identities`,
      json({ provider: "slack", externalId: "T0001:U0042" }),
    );
    expect(mapped.status).toBe(204);
    const ctx = await actAsIdentity(stack.services, { provider: "slack", externalId: "T0001:U0042" });
    expect(ctx?.actor).toMatchObject({ kind: "user", userId: manager.id, role: "account_manager", via: "slack" });
    expect(await actAsIdentity(stack.services, { provider: "slack", externalId: "T0001:U9999" })).toBeNull();
    const removed = await stack.fetch(`/v1/users/${manager.id}/identities/slack/T0001:U0042`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(await actAsIdentity(stack.services, { provider: "slack", externalId: "T0001:U0042" })).toBeNull();
    expect(
      (await stack.fetch(`/v1/users/${manager.id}/identities`, json({ provider: "teams", externalId: "x:y" }))).status,
    ).toBe(400);
  });
});

describe("audit log", () => {
  it("pages newest first with filters, and is closed to account managers", async () => {
    const first = (await (await stack.fetch("/v1/audit?limit=2")).json()) as AuditPageResponse;
    expect(first.records).toHaveLength(2);
    expect(BigInt(first.records[0]!.id)).toBeGreaterThan(BigInt(first.records[1]!.id));
    const second = (await (
      await stack.fetch(`/v1/audit?limit=2&cursor=${first.nextCursor}`)
    ).json()) as AuditPageResponse;
    expect(BigInt(second.records[0]!.id)).toBeLessThan(BigInt(first.records[1]!.id));
    const mine = (await (
      await stack.fetch(`/v1/audit?actor=${stack.as.viewer.id}&limit=200`, {}, "viewer")
    ).json()) as AuditPageResponse;
    expect(mine.records.length).toBeGreaterThan(0);
    for (const record of mine.records) expect(record.actor.userId).toBe(stack.as.viewer.id);
    const uses = mine.records.filter((r) => r.action === "token.used");
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.every((r) => r.requestId)).toBe(true);
    expect((await stack.fetch("/v1/audit", {}, "account_manager")).status).toBe(403);
    expect((await stack.fetch("/v1/audit?cursor=abc")).status).toBe(400);
    expect((await stack.fetch("/v1/audit?action=drop_tables")).status).toBe(400);
  });
});
