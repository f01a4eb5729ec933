// Flags on PGlite and PostgreSQL: raised by the roles that work accounts (account managers on their own portfolio), resolved by
// finance and admins once, listed by account and status in pages, shown on account detail past its cache (they must
// not lag) and counted on portfolio rows; every change audited.
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AccessDenied } from "../src/access/actor";
import { getAccountDetail } from "../src/accounts/getAccountDetail";
import { attachFlagThread } from "../src/flags/attachFlagThread";
import { createFlag } from "../src/flags/createFlag";
import { flagReasons } from "../src/flags/flag";
import { listFlags } from "../src/flags/listFlags";
import { resolveFlag } from "../src/flags/resolveFlag";
import { listPortfolio } from "../src/portfolio/listPortfolio";
import { type ActionsTenant, actionDatabases, actionsTenant } from "./actionsKit";
import { smallScenario } from "./pipeline";

describe.each(actionDatabases)("flags on $name", ({ open, available }) => {
  let database: DatabaseHandle | null = null;
  let t: ActionsTenant;

  beforeAll(async () => {
    if (!(await available())) return;
    database = await open();
    t = await actionsTenant(database, smallScenario(5, 8, 2));
  });
  afterAll(async () => {
    await t?.sandbox.stop();
    await database?.close();
  });

  const audited = async (flagId: string) =>
    (
      await queryRows<{ action: string; actor_user_id: string }>(
        t.system.tenant.db,
        sql`select action, actor_user_id from audit_log where target_type = 'flag' and target_id = ${flagId} order by id`,
      )
    ).map((r) => r.action);
  const userId = (ctx: ActionsTenant["system"]) => (ctx.actor.kind === "user" ? ctx.actor.userId : null);

  it("are raised on an account manager's own accounts only, with what they say, and audited", async (c) => {
    if (!database) return c.skip();
    const raised = await createFlag({
      ctx: t.as.account_manager,
      input: {
        accountId: t.own.id,
        reason: "under_billed",
        note: "  seats went up in October  ",
        amount: { minor: "125000", currency: "usd" },
      },
    });
    expect(raised).toMatchObject({
      ok: true,
      flag: {
        account: { id: t.own.id },
        reason: "under_billed",
        note: "seats went up in October",
        amount: { minor: "125000", currency: "USD" },
        status: "open",
        raisedBy: { id: userId(t.as.account_manager) },
        raisedVia: "slack",
        slackThread: null,
      },
    });
    expect(await audited(raised.ok ? raised.flag.id : "")).toEqual(["flag.created"]);
    expect(
      await createFlag({ ctx: t.as.account_manager, input: { accountId: t.others.id, reason: "dispute" } }),
    ).toEqual({ ok: false, reason: "not_found" });
    expect(await createFlag({ ctx: t.otherTenant, input: { accountId: t.own.id, reason: "dispute" } })).toEqual({
      ok: false,
      reason: "not_found",
    });
    await expect(
      createFlag({ ctx: t.as.viewer, input: { accountId: t.own.id, reason: "dispute" } }),
    ).rejects.toBeInstanceOf(AccessDenied);
  });

  it("take every discrepancy kind but plan_change as a reason, and 'other'", async (c) => {
    if (!database) return c.skip();
    expect(flagReasons).toContain("other");
    expect(flagReasons).not.toContain("plan_change");
    for (const reason of flagReasons) {
      const raised = await createFlag({
        ctx: t.as.admin,
        input: { accountId: t.others.id, reason, ...(reason === "other" ? { note: "see the PO" } : {}) },
      });
      expect(raised).toMatchObject({ ok: true, flag: { reason, status: "open" } });
    }
  });

  it("refuses reasons that are not discrepancy kinds, an 'other' without a note, and malformed money", async (c) => {
    if (!database) return c.skip();
    for (const input of [
      { accountId: t.own.id, reason: "plan_change" },
      { accountId: t.own.id, reason: "other" },
      { accountId: t.own.id, reason: "other", note: "   " },
      { accountId: t.own.id, reason: "refund", amount: { minor: "12.50", currency: "USD" } },
      { accountId: t.own.id, reason: "refund", amount: { minor: "-100", currency: "USD" } },
      { accountId: t.own.id, reason: "refund", amount: { minor: "0", currency: "USD" } },
      { accountId: t.own.id, reason: "refund", amount: { minor: "1".repeat(19), currency: "USD" } },
      { accountId: t.own.id, reason: "refund", amount: { minor: 100, currency: "USD" } },
      { accountId: t.own.id, reason: "refund", amount: { minor: "100", currency: "XYZ" } },
      { accountId: t.own.id, reason: "refund", amount: { minor: "100" } },
      { accountId: t.own.id, reason: "refund", note: "x".repeat(2001) },
      { accountId: "not-a-uuid", reason: "refund" },
      { accountId: t.own.id, reason: "refund", surprise: true },
    ]) {
      await expect(
        createFlag({ ctx: t.as.finance, input: input as Parameters<typeof createFlag>[0]["input"] }),
      ).rejects.toBeInstanceOf(ZodError);
    }
    expect(
      await createFlag({ ctx: t.as.finance, input: { accountId: t.own.id, reason: "other", note: "odd PO number" } }),
    ).toMatchObject({ ok: true, flag: { reason: "other", raisedVia: "api" } });
  });

  it("resolve once for finance and admins: a second resolve answers the first, account managers may not", async (c) => {
    if (!database) return c.skip();
    const raised = await createFlag({ ctx: t.as.admin, input: { accountId: t.others.id, reason: "duplicate_charge" } });
    const flagId = raised.ok ? raised.flag.id : "";
    await expect(resolveFlag({ ctx: t.as.account_manager, input: { flagId } })).rejects.toBeInstanceOf(AccessDenied);
    const first = await resolveFlag({ ctx: t.as.finance, input: { flagId, resolution: "refunded the second charge" } });
    expect(first).toMatchObject({
      ok: true,
      alreadyResolved: false,
      flag: { status: "resolved", resolvedBy: { id: userId(t.as.finance) }, resolution: "refunded the second charge" },
    });
    const second = await resolveFlag({ ctx: t.as.admin, input: { flagId, resolution: "again" } });
    expect(second).toMatchObject({
      ok: true,
      alreadyResolved: true,
      flag: { resolution: "refunded the second charge" },
    });
    expect(await audited(flagId)).toEqual(["flag.created", "flag.resolved"]);
    expect(await resolveFlag({ ctx: t.otherTenant, input: { flagId } })).toEqual({ ok: false, reason: "not_found" });
  });

  it("resolve once when two people resolve at the same moment", async (c) => {
    if (!database) return c.skip();
    const raised = await createFlag({ ctx: t.as.admin, input: { accountId: t.own.id, reason: "dispute" } });
    const flagId = raised.ok ? raised.flag.id : "";
    const answers = await Promise.all([
      resolveFlag({ ctx: t.as.finance, input: { flagId, resolution: "one" } }),
      resolveFlag({ ctx: t.as.admin, input: { flagId, resolution: "two" } }),
    ]);
    expect(answers.filter((a) => a.ok && !a.alreadyResolved)).toHaveLength(1);
    const resolutions = new Set(answers.map((a) => (a.ok ? a.flag.resolution : null)));
    expect(resolutions.size).toBe(1);
    expect(await audited(flagId)).toEqual(["flag.created", "flag.resolved"]);
  });

  it("list newest first by account and status in pages, narrowed to what the caller may see", async (c) => {
    if (!database) return c.skip();
    const ids: string[] = [];
    for (const reason of ["refund", "dispute", "overpayment"] as const) {
      const raised = await createFlag({ ctx: t.as.admin, input: { accountId: t.others.id, reason } });
      if (raised.ok) ids.push(raised.flag.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listFlags({
        ctx: t.as.finance,
        input: { accountId: t.others.id, status: "open", limit: 2, ...(cursor ? { cursor } : {}) },
      });
      seen.push(...page!.flags.map((f) => f.id));
      expect(page!.flags.every((f) => f.status === "open" && f.account.id === t.others.id)).toBe(true);
      if (!page!.nextCursor) break;
      cursor = page!.nextCursor;
    }
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    // Someone else's account is no account to an account manager; their own list holds only their accounts' flags.
    expect(await listFlags({ ctx: t.as.account_manager, input: { accountId: t.others.id } })).toBeNull();
    const mine = await listFlags({ ctx: t.as.account_manager, input: {} });
    expect(mine!.flags.length).toBeGreaterThan(0);
    expect(mine!.flags.every((f) => f.account.id !== t.others.id)).toBe(true);
    expect((await listFlags({ ctx: t.otherTenant, input: {} }))!.flags).toEqual([]);
    // Tenant-wide by status: resolving moves a flag from finance's open queue to the resolved list.
    await resolveFlag({ ctx: t.as.finance, input: { flagId: ids[0]!, resolution: "credited" } });
    const open = await listFlags({ ctx: t.as.finance, input: { status: "open", limit: 200 } });
    const resolved = await listFlags({ ctx: t.as.finance, input: { status: "resolved", limit: 200 } });
    expect(open!.flags.map((f) => f.id)).not.toContain(ids[0]);
    expect(resolved!.flags.map((f) => f.id)).toContain(ids[0]);
    expect(resolved!.flags.every((f) => f.status === "resolved" && f.resolvedAt !== null)).toBe(true);
    await expect(listFlags({ ctx: t.as.finance, input: { cursor: "garbage" } })).rejects.toThrow(/cursor/);
  });

  it("show on account detail at once, past the account cache, and count on portfolio rows", async (c) => {
    if (!database) return c.skip();
    const before = await getAccountDetail({ ctx: t.as.finance, input: { accountId: t.own.id } });
    const raised = await createFlag({ ctx: t.as.finance, input: { accountId: t.own.id, reason: "late_usage" } });
    const flagId = raised.ok ? raised.flag.id : "";
    const after = await getAccountDetail({ ctx: t.as.finance, input: { accountId: t.own.id } });
    expect(after!.openFlagCount).toBe(before!.openFlagCount + 1);
    expect(after!.flags[0]).toMatchObject({ id: flagId, reason: "late_usage" });
    const row = async () =>
      (await listPortfolio({ ctx: t.as.finance, input: { limit: 200 } })).rows.find((r) => r.accountId === t.own.id);
    expect((await row())!.openFlagCount).toBe(after!.openFlagCount);
    await resolveFlag({ ctx: t.as.finance, input: { flagId } });
    const resolved = await getAccountDetail({ ctx: t.as.finance, input: { accountId: t.own.id } });
    expect(resolved!.flags.map((f) => f.id)).not.toContain(flagId);
    expect(resolved!.openFlagCount).toBe(before!.openFlagCount);
    expect((await row())!.openFlagCount).toBe(before!.openFlagCount);
  });

  it("keep the first Slack thread the bot records for them", async (c) => {
    if (!database) return c.skip();
    const raised = await createFlag({ ctx: t.as.account_manager, input: { accountId: t.own.id, reason: "refund" } });
    const flagId = raised.ok ? raised.flag.id : "";
    const input = { flagId, channelId: "C0FINANCE", threadTs: "1764070000.000100" };
    expect(await attachFlagThread({ ctx: t.as.account_manager, input })).toMatchObject({
      slackThread: { channelId: "C0FINANCE", ts: "1764070000.000100" },
    });
    const again = await attachFlagThread({
      ctx: t.as.account_manager,
      input: { ...input, threadTs: "1764070099.000200" },
    });
    expect(again!.slackThread).toEqual({ channelId: "C0FINANCE", ts: "1764070000.000100" });
    await expect(
      attachFlagThread({ ctx: t.as.account_manager, input: { ...input, channelId: "not a channel" } }),
    ).rejects.toBeInstanceOf(ZodError);
    // Another tenant's bot cannot attach (or read) it.
    expect(await attachFlagThread({ ctx: t.otherTenant, input: { ...input, flagId } })).toBeNull();
    await expect(attachFlagThread({ ctx: t.as.viewer, input })).rejects.toBeInstanceOf(AccessDenied);
  });
});
