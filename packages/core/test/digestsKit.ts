// Test helper for the quarter-end digests: a synced, reconciled tenant on PostgreSQL whose account managers are
// mapped to the Slack sandbox, BullMQ workers on one Redis, and a poster that records what each digest said.
import { randomBytes } from "node:crypto";
import { createSlackPoster } from "@reckon/connectors";
import { type DatabaseHandle, openDatabase, queryRows } from "@reckon/db";
import { generateScenario, type RunningSandbox, startSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { mapIdentity } from "../src/access/identities";
import { createUser, listUsers } from "../src/access/users";
import type { TenantContext } from "../src/context";
import type { DigestContent, DigestRunResult } from "../src/digests/sendDigests";
import { createJobHandlers } from "../src/jobHandlers";
import { createBullMqRunner } from "../src/jobs/bullmq";
import type { JobRunner } from "../src/jobs/runner";
import { createLogger } from "../src/log";
import type { SlackNotifier } from "../src/notify/slackNotifier";
import { reconcileTenant } from "../src/reconcile/reconcileTenant";
import { createSecretBox } from "../src/secrets";
import { connectSources } from "../src/sync/connections";
import { runSourceSync } from "../src/sync/runSourceSync";
import { provisionTenant } from "../src/tenants/provisionTenant";
import { deletePrefix, redisUrl } from "./jobsTestkit";

export const silent = createLogger("silent");
const secrets = createSecretBox(randomBytes(32).toString("base64"));

/** "Now" for every worker; tests move it to the instant they need. */
export const time = { now: new Date("2026-12-20T12:00:00Z") };
const clock = () => time.now;

export interface Manager {
  userId: string;
  name: string;
  /** The Slack user and the bot's direct-message channel with them. */
  slackUser: string;
  im: string;
}

export interface DigestTenant {
  ctx: TenantContext;
  sandbox: RunningSandbox;
  finance: string;
  /** Account managers with accounts, mapped to Slack. */
  managers: Manager[];
  /** Mapped to Slack but owning no account: gets no digest. */
  idle: Manager;
}

export async function digestTenant(database: DatabaseHandle): Promise<DigestTenant> {
  const scenario = generateScenario({ seed: 7, accounts: 60, months: 6, asOf: "2026-12-20" });
  const sandbox = await startSandbox(scenario);
  const tenant = await provisionTenant({ db: database.db, input: { ...scenario.tenant, slug: "digests" } });
  const ctx: TenantContext = {
    db: database.db,
    log: silent,
    secrets,
    clock,
    tenant,
    actor: { kind: "system", via: "job" },
  };
  await connectSources(ctx, sandbox);
  for (const source of ["quickbooks", "stripe", "amplitude"] as const) await runSourceSync({ ctx, input: { source } });
  await reconcileTenant({ ctx, input: {} });

  const workspace = sandbox.slack.workspace;
  const idleUser = await createUser({
    ctx,
    input: { email: "idle.manager@reckon-demo.example.com", name: "Idle Manager", role: "account_manager" },
  });
  if (!idleUser.ok) throw new Error("could not create the idle manager");
  workspace.addUser({ email: "idle.manager@reckon-demo.example.com", realName: "Idle Manager" });
  const managers: Manager[] = [];
  for (const user of await listUsers({ ctx })) {
    const person = workspace.user(user.email);
    if (user.role !== "account_manager" || !person) continue;
    await mapIdentity({
      ctx,
      input: { userId: user.id, provider: "slack", externalId: `${workspace.team.id}:${person.id}` },
    });
    managers.push({ userId: user.id, name: user.name, slackUser: person.id, im: workspace.imWith(person.id).id });
  }
  const idle = managers.find((m) => m.userId === idleUser.user.id)!;
  return {
    ctx,
    sandbox,
    finance: workspace.channel("finance")!.id,
    managers: managers.filter((m) => m !== idle),
    idle,
  };
}

/** Posts each digest as a one-line message naming its slot and accounts, and keeps the content by channel. */
export function recordingNotifier(sandbox: RunningSandbox, timeoutMs = 5_000) {
  const poster = createSlackPoster({ token: sandbox.slack.botToken, slackApiUrl: sandbox.slack.apiUrl, timeoutMs });
  const contents = new Map<string, DigestContent[]>();
  const notifier: SlackNotifier = {
    notify: async () => {
      throw new Error("no approvals or flags in the digest tests");
    },
    async postDigest(channel, content) {
      const names = [...content.atRisk.rows, ...content.unreconciled.rows, ...content.overdue.rows].map((r) => r.name);
      const text = `digest ${content.slot.key} for ${content.readerName ?? "finance"}: ${names.join(", ")}`;
      const posted = await poster.postMessage({ channel, text });
      contents.set(posted.channel, [...(contents.get(posted.channel) ?? []), content]);
      return posted;
    },
  };
  return { notifier, contents };
}

export interface DigestWorkers {
  runners: JobRunner[];
  /** Each tick's result, with the worker that ran it. */
  results: Array<DigestRunResult & { worker: number }>;
  /** One tick job enqueued through each worker at the same moment, then both drained. */
  tickOnBoth(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Two BullMQ workers on one Redis prefix, each with its own database connection pool, as two processes would be.
 * Concurrency 1: while one runs a tick the other takes the next job, so two ticks run at once.
 */
export async function digestWorkers(url: string, notifier: SlackNotifier, prefix: string): Promise<DigestWorkers> {
  const results: DigestWorkers["results"] = [];
  const handles: DatabaseHandle[] = [];
  const runners: JobRunner[] = [];
  for (let worker = 0; worker < 2; worker++) {
    const handle = await openDatabase({ kind: "postgres", url });
    handles.push(handle);
    const handlers = createJobHandlers({ db: handle.db, log: silent, secrets, clock, slack: { current: notifier } });
    const tick = handlers["digests.tick"];
    handlers["digests.tick"] = async (payload, job) => {
      const result = (await tick(payload, job)) as DigestRunResult;
      results.push({ ...result, worker });
      return result;
    };
    runners.push(createBullMqRunner(handlers, { redisUrl, prefix, processJobs: true, concurrency: 1, log: silent }));
  }
  return {
    runners,
    results,
    async tickOnBoth() {
      await Promise.all(runners.map((r) => r.enqueue("digests.tick", { reason: "manual" })));
      await Promise.all(runners.map((r) => r.drain()));
    },
    async close() {
      for (const runner of runners) await runner.close();
      for (const handle of handles) await handle.close();
      await deletePrefix(prefix);
    },
  };
}

/** Accounts by status, overall or of one owner, as the digests count them. */
export async function accountCounts(ctx: TenantContext, ownerId?: string) {
  const [row] = await queryRows<{ accounts: number; at_risk: number; overdue: number }>(
    ctx.tenant.db,
    sql`select count(*)::int as accounts, (count(*) filter (where s.status = 'at_risk'))::int as at_risk,
          (count(*) filter (where s.overdue_minor > 0))::int as overdue
        from account_summaries s where s.tenant_id = ${ctx.tenant.tenantId}::uuid
          ${ownerId ? sql`and s.owner_id = ${ownerId}::uuid` : sql``}`,
  );
  return row!;
}
