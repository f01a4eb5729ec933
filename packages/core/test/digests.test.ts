// Quarter-end digests through the job system, on PostgreSQL, BullMQ on Redis and the Slack sandbox: two workers ticking
// at once (or on one repeatable schedule) post each slot once per recipient; the finance channel gets the portfolio and
// each account manager their own accounts; the tenant's days, hour and time zone decide; Slack's refusals are sent on
// the next tick and a post that got no answer is never sent again.
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPostgres, postgresAvailable } from "@reckon/db/testing";
import type { SlackMessage } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createJobHandlers } from "../src/jobHandlers";
import { createInProcessRunner } from "../src/jobs/inProcess";
import { getSlackSettings, type SlackSettingsInput, saveSlackSettings } from "../src/slack/slackSettings";
import {
  accountCounts,
  type DigestTenant,
  type DigestWorkers,
  digestTenant,
  digestWorkers,
  recordingNotifier,
  silent,
  time,
} from "./digestsKit";
import { randomPrefix, redisReachable, servicesRequired, sleep } from "./jobsTestkit";

const available = (await postgresAvailable()) && (await redisReachable());
if (!available && servicesRequired) throw new Error("the digest tests need PostgreSQL and Redis");

let database: (DatabaseHandle & { url: string }) | null = null;
let t: DigestTenant;
let recorded: ReturnType<typeof recordingNotifier>;
let workers: DigestWorkers;

beforeAll(async () => {
  if (!available) return;
  database = await freshPostgres();
  t = await digestTenant(database);
  recorded = recordingNotifier(t.sandbox, 400);
  workers = await digestWorkers(database.url, recorded.notifier, randomPrefix("digests"));
}, 180_000);
afterAll(async () => {
  await workers?.close();
  await t?.sandbox.stop();
  await database?.close();
});
beforeEach(async () => {
  if (!database) return;
  await queryRows(database.db, sql`delete from digest_sends`);
  t.sandbox.slack.records.clear();
  t.sandbox.slack.faults.reset();
  recorded.contents.clear();
  workers.results.length = 0;
});

async function configure(timeZone: string, input: Partial<SlackSettingsInput> = {}) {
  await queryRows(
    t.ctx.tenant.db,
    sql`update tenants set time_zone = ${timeZone} where id = ${t.ctx.tenant.tenantId}::uuid`,
  );
  const saved = await saveSlackSettings({
    ctx: t.ctx,
    input: { teamId: t.sandbox.slack.workspace.team.id, financeChannelId: t.finance, ...input },
  });
  expect(saved.ok).toBe(true);
}
const digests = (channel: string): SlackMessage[] =>
  t.sandbox.slack.records.messages(channel).filter((m) => m.text.startsWith("digest "));
const recipients = () => [t.finance, ...t.managers.map((m) => m.im)];
/** Every recipient has exactly the slots named, once each. */
function expectSlotsOnce(...slots: string[]) {
  for (const channel of recipients()) {
    const keys = digests(channel).map((m) => m.text.split(" ")[1]);
    expect(keys, `digests in ${channel}`).toEqual(slots);
  }
}
const totals = () =>
  workers.results.reduce(
    (sum, r) => ({
      sent: sum.sent + r.sent,
      alreadySent: sum.alreadySent + r.alreadySent,
      failed: sum.failed + r.failed,
    }),
    { sent: 0, alreadySent: 0, failed: 0 },
  );

describe.skipIf(!available)("quarter-end digests", () => {
  it("posts a slot once per recipient when two workers tick at the same moment, and again", async () => {
    await configure("America/New_York");
    time.now = new Date("2026-12-24T15:30:00Z"); // 10:30 in New York, 7 days before 2026-12-31
    // Slack takes a while to answer, so both ticks are under way together and the second finds the claims taken.
    t.sandbox.slack.faults.delayNext(recipients().length, 150, "chat.postMessage");
    await workers.tickOnBoth();
    await workers.tickOnBoth();
    expectSlotsOnce("2026-Q4:-7d");
    expect(new Set(workers.results.map((r) => r.worker))).toEqual(new Set([0, 1]));
    expect(totals()).toEqual({ sent: recipients().length, alreadySent: 3 * recipients().length, failed: 0 });
    const rows = await queryRows<{ recipient: string; sent: boolean; message_ts: string | null }>(
      t.ctx.tenant.db,
      sql`select recipient, sent_at is not null as sent, message_ts from digest_sends where slot = '2026-Q4:-7d'`,
    );
    expect(rows).toHaveLength(recipients().length);
    expect(rows.every((r) => r.sent && r.message_ts)).toBe(true);
  });

  it("runs as one repeatable job however many workers register it, and on the in-process runner", async () => {
    await configure("UTC", { digestDaysBefore: [3] });
    time.now = new Date("2026-12-28T10:00:00Z");
    await Promise.all(
      workers.runners.map((r) => r.schedule("digests.tick", "digests.tick", { reason: "schedule" }, 250)),
    );
    await sleep(1_600);
    await Promise.all(workers.runners.map((r) => r.unschedule("digests.tick")));
    await Promise.all(workers.runners.map((r) => r.drain()));
    expect(workers.results.length).toBeGreaterThanOrEqual(3);
    // One schedule: the ticks took turns (two registrations of one key would tick twice as often).
    expect(workers.results.length).toBeLessThanOrEqual(8);
    expectSlotsOnce("2026-Q4:-3d");

    time.now = new Date("2026-12-30T10:00:00Z");
    await configure("UTC", { digestDaysBefore: [1] });
    const ticks: unknown[] = [];
    const handlers = createJobHandlers({ ...t.ctx, slack: { current: recorded.notifier } });
    const tick = handlers["digests.tick"];
    handlers["digests.tick"] = async (payload, job) => {
      ticks.push(await tick(payload, job));
      return null;
    };
    const embedded = createInProcessRunner(handlers, { log: silent });
    await embedded.schedule("digests.tick", "digests.tick", { reason: "schedule" }, 100);
    await sleep(900);
    await embedded.close();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expectSlotsOnce("2026-Q4:-3d", "2026-Q4:-1d");
  });

  it("gives the finance channel the portfolio and each account manager only their own accounts", async () => {
    await configure("America/New_York");
    time.now = new Date("2026-12-17T15:00:00Z"); // 10:00 in New York, 14 days before
    await workers.tickOnBoth();
    const [portfolio] = recorded.contents.get(t.finance)!;
    const all = await accountCounts(t.ctx);
    expect(portfolio).toMatchObject({ audience: "finance", readerName: null, accounts: all.accounts });
    expect(portfolio!.atRisk.total).toBe(all.at_risk);
    expect(portfolio!.overdue.total).toBe(all.overdue);
    expect(all.at_risk + all.overdue).toBeGreaterThan(0);
    const owners = new Set(
      [portfolio!.atRisk, portfolio!.unreconciled, portfolio!.overdue].flatMap((l) => l.rows.map((r) => r.owner?.id)),
    );
    expect(owners.size).toBeGreaterThan(1);

    let billedByManagers = 0n;
    let projectedByManagers = 0n;
    for (const manager of t.managers) {
      const mine = recorded.contents.get(manager.im);
      expect(mine, manager.name).toHaveLength(1);
      const digest = mine![0]!;
      const own = await accountCounts(t.ctx, manager.userId);
      expect(digest).toMatchObject({ audience: "account_manager", readerName: manager.name, accounts: own.accounts });
      expect(digest.atRisk.total).toBe(own.at_risk);
      expect(digest.overdue.total).toBe(own.overdue);
      for (const row of [...digest.atRisk.rows, ...digest.unreconciled.rows, ...digest.overdue.rows]) {
        expect(row.owner?.id).toBe(manager.userId);
      }
      billedByManagers += BigInt(digest.forecast!.lastQuarter.billed.minor);
      projectedByManagers += BigInt(digest.forecast!.projected.minor);
    }
    // The portfolio's forecast against last quarter is its managers' forecasts added up.
    const f = portfolio!.forecast!;
    expect(f).toMatchObject({ quarter: "2026-Q4", lastQuarter: { quarter: "2026-Q3" } });
    expect(BigInt(f.lastQuarter.billed.minor)).toBe(billedByManagers);
    expect(BigInt(f.projected.minor)).toBe(projectedByManagers);
    expect(billedByManagers).toBeGreaterThan(0n);
    const change = ((projectedByManagers - billedByManagers) * 10_000n) / billedByManagers;
    expect(Math.abs(f.changeBps! - Number(change))).toBeLessThanOrEqual(1);
    // Neither the manager without accounts nor anyone unmapped got anything.
    expect(t.sandbox.slack.records.messages(t.idle.im)).toEqual([]);
    expect(t.sandbox.slack.records.messages().length).toBe(recipients().length);
  });

  it("goes by the tenant's own day and hour: a zone behind UTC and one ahead of it", async () => {
    await configure("America/Los_Angeles", { digestDaysBefore: [7], digestHour: 9 });
    time.now = new Date("2026-12-24T16:59:00Z"); // 08:59 in Los Angeles
    await workers.tickOnBoth();
    expect(t.sandbox.slack.records.messages()).toEqual([]);
    time.now = new Date("2026-12-24T17:00:00Z"); // 09:00
    await workers.tickOnBoth();
    expectSlotsOnce("2026-Q4:-7d");

    await queryRows(t.ctx.tenant.db, sql`delete from digest_sends`);
    t.sandbox.slack.records.clear();
    await configure("Pacific/Auckland", { digestDaysBefore: [7], digestHour: 9 });
    // 2026-12-23 in UTC (8 days before) is already the 24th in Auckland (UTC+13): 08:59, then 09:00 there.
    time.now = new Date("2026-12-23T19:59:00Z");
    await workers.tickOnBoth();
    expect(t.sandbox.slack.records.messages()).toEqual([]);
    time.now = new Date("2026-12-23T20:00:00Z");
    await workers.tickOnBoth();
    expectSlotsOnce("2026-Q4:-7d");
    expect(recorded.contents.get(t.finance)![0]!.slot.localDay).toBe("2026-12-24");
  });

  it("sends on the days the tenant set and no others", async () => {
    await configure("UTC", { digestDaysBefore: [10, 2], digestHour: 6 });
    expect((await getSlackSettings({ ctx: t.ctx }))?.digestDaysBefore).toEqual([10, 2]);
    for (const day of ["2026-12-17", "2026-12-21", "2026-12-24", "2026-12-29", "2026-12-30"]) {
      time.now = new Date(`${day}T07:00:00Z`);
      await workers.tickOnBoth();
    }
    expectSlotsOnce("2026-Q4:-10d", "2026-Q4:-2d");
  });

  it("releases a slot Slack refused and sends it on the next tick; a rate limit defers the rest", async () => {
    await configure("UTC", { digestDaysBefore: [3] });
    time.now = new Date("2026-12-28T10:00:00Z");
    t.sandbox.slack.faults.errorNext("fatal_error", 1, "chat.postMessage");
    await workers.runners[0]!.enqueue("digests.tick", { reason: "manual" });
    await workers.runners[0]!.drain();
    expect(workers.results[0]).toMatchObject({ sent: recipients().length - 1, failed: 1 });
    const [claims] = await queryRows<{ n: number }>(t.ctx.tenant.db, sql`select count(*)::int as n from digest_sends`);
    expect(claims!.n).toBe(recipients().length - 1);
    await workers.tickOnBoth();
    expectSlotsOnce("2026-Q4:-3d");

    await queryRows(t.ctx.tenant.db, sql`delete from digest_sends`);
    t.sandbox.slack.records.clear();
    workers.results.length = 0;
    t.sandbox.slack.faults.rateLimitNext(1, 30, "chat.postMessage");
    await workers.runners[1]!.enqueue("digests.tick", { reason: "manual" });
    await workers.runners[1]!.drain();
    expect(workers.results[0]).toMatchObject({ sent: 0, failed: 1, deferred: recipients().length - 1 });
    expect(t.sandbox.slack.records.messages()).toEqual([]);
    await workers.tickOnBoth();
    expectSlotsOnce("2026-Q4:-3d");
  });

  it("never posts again a digest whose post got no answer: it may have landed", async () => {
    await configure("UTC", { digestDaysBefore: [1] });
    time.now = new Date("2026-12-30T10:00:00Z");
    // The first post outlasts the poster's 400 ms timeout; Slack posts it anyway, after we stopped waiting.
    t.sandbox.slack.faults.delayNext(1, 1_200, "chat.postMessage");
    await workers.runners[0]!.enqueue("digests.tick", { reason: "manual" });
    await workers.runners[0]!.drain();
    expect(workers.results[0]).toMatchObject({ sent: recipients().length - 1, unanswered: 1 });
    await t.sandbox.slack.records.waitFor(() => t.sandbox.slack.records.messages().length === recipients().length);
    await workers.tickOnBoth();
    expectSlotsOnce("2026-Q4:-1d");
    const [kept] = await queryRows<{ error: string }>(
      t.ctx.tenant.db,
      sql`select error from digest_sends where sent_at is null`,
    );
    expect(kept?.error).toContain("no answer in time");
  });
});
