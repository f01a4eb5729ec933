// Quarter-end digests through the job system: two BullMQ workers on one Redis and one PostgreSQL both run the hourly
// tick at once, and Slack (the sandbox) gets each slot once per recipient: the finance channel the portfolio, each
// account manager their own accounts, in the tenant's time zone; a refused post is sent on the next tick.
import { randomBytes } from "node:crypto";
import {
  connectSources,
  createBullMqRunner,
  createInProcessRunner,
  createJobHandlers,
  createLogger,
  createSecretBox,
  type JobRunner,
  listUsers,
  mapIdentity,
  provisionTenant,
  type SlackNotifierSlot,
  saveSlackSettings,
  type TenantContext,
} from "@reckon/core";
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPostgres, postgresAvailable, redisUrl } from "@reckon/db/testing";
import { generateScenario, type RunningSandbox, type SlackMessage, startSandbox } from "@reckon/sandbox";
import { createSlackNotifier, slackWebClient } from "@reckon/slack-bot";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisAvailable } from "./redis";

const asOf = "2026-12-24";
let now = new Date("2026-12-24T12:00:00Z");
const clock = () => now;
const silent = createLogger("silent");
const secrets = createSecretBox(randomBytes(32).toString("base64"));
const prefix = `reckon-digests-${process.pid}-${randomBytes(3).toString("hex")}`;
const scenario = generateScenario({ seed: 5, accounts: 60, months: 3, asOf });

const available = (await postgresAvailable()) && (await redisAvailable());

let database: DatabaseHandle;
let sandbox: RunningSandbox;
let ctx: TenantContext;
const workers: JobRunner[] = [];
/** The account managers mapped to Slack, with their Slack user and direct-message channel. */
let managers: Array<{ userId: string; slackUser: string; im: string }>;
let finance: string;

const digestsIn = (channel: string): SlackMessage[] =>
  sandbox.slack.records.messages(channel).filter((m) => m.text.includes("closes in"));

async function tickOnBothWorkers() {
  // Two jobs, one per worker's pick: both run the tick at the same moment.
  await Promise.all([
    workers[0]!.enqueue("digests.tick", { reason: "manual" }),
    workers[1]!.enqueue("digests.tick", { reason: "manual" }),
  ]);
  await Promise.all(workers.map((w) => w.drain()));
}

/** How many of the tenant's accounts (or one owner's) are at risk, as the digest counts them. */
async function atRiskCount(ownerId?: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from account_summaries s join accounts a on a.id = s.account_id
        where s.tenant_id = ${ctx.tenant.tenantId}::uuid and s.status = 'at_risk'
          ${ownerId ? sql`and a.owner_id = ${ownerId}::uuid` : sql``}`,
  );
  return row!.n;
}

beforeAll(async () => {
  if (!available) return;
  database = await freshPostgres();
  sandbox = await startSandbox(scenario);
  const tenant = await provisionTenant({ db: database.db, input: { ...scenario.tenant, slug: "digests" } });
  await queryRows(
    database.db,
    sql`update tenants set time_zone = 'America/New_York' where id = ${tenant.tenantId}::uuid`,
  );
  ctx = { db: database.db, log: silent, secrets, clock, tenant, actor: { kind: "system", via: "job" } };
  await connectSources(ctx, sandbox);
  const syncing = createInProcessRunner(createJobHandlers({ db: database.db, log: silent, secrets, clock }), {
    log: silent,
  });
  await syncing.enqueue("sync.tenant", { tenantId: tenant.tenantId, reason: "manual" });
  await syncing.drain();
  await syncing.close();

  const workspace = sandbox.slack.workspace;
  finance = workspace.channel("finance")!.id;
  const saved = await saveSlackSettings({ ctx, input: { teamId: workspace.team.id, financeChannelId: finance } });
  expect(saved.ok).toBe(true);
  managers = [];
  for (const user of await listUsers({ ctx })) {
    const person = workspace.user(user.email);
    if (user.role !== "account_manager" || !person) continue;
    await mapIdentity({
      ctx,
      input: { userId: user.id, provider: "slack", externalId: `${workspace.team.id}:${person.id}` },
    });
    managers.push({ userId: user.id, slackUser: person.id, im: workspace.imWith(person.id).id });
  }
  expect(managers.length).toBeGreaterThan(1);

  const slack: SlackNotifierSlot = {
    current: createSlackNotifier({ client: slackWebClient(sandbox.slack.botToken, sandbox.slack.apiUrl) }),
  };
  for (let i = 0; i < 2; i++) {
    workers.push(
      createBullMqRunner(createJobHandlers({ db: database.db, log: silent, secrets, clock, slack }), {
        redisUrl,
        prefix,
        processJobs: true,
        log: silent,
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  for (const worker of workers) await worker.close();
  await sandbox?.stop();
  await database?.close();
});

describe.skipIf(!available)(
  available
    ? "quarter-end digests on two workers"
    : "quarter-end digests on two workers (skipped: PostgreSQL or Redis is not running here)",
  () => {
    it("sends nothing before the digest hour in the tenant's time zone (07:00 in New York)", async () => {
      now = new Date("2026-12-24T12:00:00Z");
      await tickOnBothWorkers();
      expect(digestsIn(finance)).toHaveLength(0);
    });

    it("sends the 7-day slot once per recipient, however many workers tick", async () => {
      now = new Date("2026-12-24T15:30:00Z"); // 10:30 in New York, 7 days before 2026-12-31
      await tickOnBothWorkers();
      await tickOnBothWorkers();
      const posted = digestsIn(finance);
      expect(posted).toHaveLength(1);
      expect(posted[0]!.text).toContain("2026-Q4 closes in 7 days");
      expect(posted[0]!.text).toContain(`${await atRiskCount()} at risk`);
      expect(JSON.stringify(posted[0]!.blocks)).toContain("Forecast to the end of 2026-Q4");
      for (const manager of managers) {
        const mine = digestsIn(manager.im);
        expect(mine, `one digest for ${manager.slackUser}`).toHaveLength(1);
        expect(mine[0]!.text).toContain(`${await atRiskCount(manager.userId)} at risk`);
        expect(JSON.stringify(mine[0]!.blocks)).toContain("Your accounts");
      }
      const [sends] = await queryRows<{ n: number; unsent: number }>(
        database.db,
        sql`select count(*)::int as n, count(*) filter (where sent_at is null)::int as unsent from digest_sends
          where slot = '2026-Q4:-7d'`,
      );
      expect(sends).toEqual({ n: 1 + managers.length, unsent: 0 });
    });

    it("does not send on a day that is not in the schedule", async () => {
      now = new Date("2026-12-25T15:30:00Z"); // 6 days before: not a digest day
      await tickOnBothWorkers();
      expect(digestsIn(finance)).toHaveLength(1);
    });

    it("releases the slot when Slack refuses the post, and the next tick sends it", async () => {
      now = new Date("2026-12-28T15:30:00Z"); // 3 days before
      sandbox.slack.faults.errorNext("fatal_error", 1, "chat.postMessage");
      await tickOnBothWorkers();
      const threeDay = () =>
        [finance, ...managers.map((m) => m.im)].flatMap((c) =>
          digestsIn(c).filter((m) => m.text.includes("closes in 3 days")),
        );
      // The refused recipient's claim was released: the other worker may already have sent it in the same round,
      // otherwise the next tick does. Never twice.
      expect(threeDay().length).toBeGreaterThanOrEqual(managers.length);
      expect(sandbox.slack.faults.requests("chat.postMessage").some((r) => r.error === "fatal_error")).toBe(true);
      await tickOnBothWorkers();
      expect(digestsIn(finance).filter((m) => m.text.includes("closes in 3 days"))).toHaveLength(1);
      for (const manager of managers) {
        expect(digestsIn(manager.im).filter((m) => m.text.includes("closes in 3 days"))).toHaveLength(1);
      }
    });
  },
);
