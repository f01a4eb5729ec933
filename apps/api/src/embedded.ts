// The embedded default's sources: the local sandbox serving a generated demo tenant (or a fixture folder),
// and the tenant provisioned and connected to it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  type Config,
  connectCrm,
  connectSources,
  listUsers,
  mapIdentity,
  provisionTenant,
  type Services,
  saveRateCards,
  saveSlackSettings,
  systemContext,
  type TenantContext,
} from "@reckon/core";
import {
  createSlackDriver,
  generateScenario,
  loadFixture,
  type RunningSandbox,
  type RunningSlackSandbox,
  type Scenario,
  type SlackDriver,
  startSandbox,
} from "@reckon/sandbox";
import { createSlackBot, createSlackNotifier, slackWebClient } from "@reckon/slack-bot";
import { type DemoAccess, demoStaff, demoStaffEmail, ensureDemoUsers } from "./demoUsers";

export interface DemoTenant {
  sandbox: RunningSandbox;
  ctx: TenantContext;
  slug: string;
  /** The day the scenario treats as today. */
  asOf: string;
  /** Demo users of every role and an admin API token (also written to <data dir>/demo-token). */
  access: DemoAccess;
}

/** The demo's "today" is fixed at first start (in the data folder) so a second start serves the same data. */
function demoAsOf(config: Config, now: Date): string {
  if (config.asOf) return config.asOf;
  const file = `${config.dataDir}/demo.json`;
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { asOf?: string };
    if (saved.asOf) return saved.asOf;
  }
  const asOf = now.toISOString().slice(0, 10);
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ asOf }, null, 2));
  return asOf;
}

async function loadScenario(config: Config, now: Date): Promise<{ scenario: Scenario; slug: string; asOf: string }> {
  if (config.sandbox.fixture) {
    const folder = resolve(config.sandbox.fixture);
    const scenario = await loadFixture(folder);
    const slug = `fixture-${createHash("sha256").update(folder).digest("hex").slice(0, 8)}`;
    return { scenario, slug, asOf: scenario.manifest?.asOf ?? now.toISOString().slice(0, 10) };
  }
  const asOf = demoAsOf(config, now);
  const { seed, accounts, months } = config.sandbox;
  return { scenario: generateScenario({ seed, accounts, months, asOf }), slug: "demo", asOf };
}

export async function startDemoTenant(services: Services): Promise<DemoTenant> {
  const { scenario, slug, asOf } = await loadScenario(services.config, services.clock());
  // A configured verifier token is the one the sandbox signs QuickBooks webhooks with, so both ends agree.
  const verifierToken = services.config.quickbooksWebhookVerifierToken;
  // The sandbox's Slack workspace has every demo person in it: the scenario's account managers and the staff.
  const slackUsers = [
    ...scenario.tenant.owners.map((owner) => ({ email: owner.email, realName: owner.name })),
    ...demoStaff.map((person) => ({ email: demoStaffEmail(person, slug), realName: person.name })),
  ];
  const sandbox = await startSandbox(scenario, {
    slack: { users: slackUsers },
    ...(verifierToken ? { webhooks: { intuitVerifierToken: verifierToken } } : {}),
  });
  const tenant = await provisionTenant({ db: services.db, input: { ...scenario.tenant, slug } });
  const ctx = systemContext(services, tenant, "startup");
  await saveRateCards({ ctx, input: { rateCards: scenario.tenant.rateCards ?? [] } });
  // Each start gets fresh sandbox ports and credentials: the connections follow them.
  await connectSources(ctx, sandbox);
  const access = await ensureDemoUsers(ctx, slug, `${services.config.dataDir}/demo-token`);
  await connectDemoSlack(ctx, sandbox);
  await connectDemoCrms(ctx, sandbox);
  return { sandbox, ctx, slug, asOf, access };
}

/**
 * The demo tenant writes back to the sandbox's HubSpot portal and Salesforce org (records seeded from the same
 * customers, most carrying their QuickBooks customer id): the first write-back links them and fills the summary fields.
 */
async function connectDemoCrms(ctx: TenantContext, sandbox: RunningSandbox): Promise<void> {
  const { hubspot, salesforce } = sandbox;
  const connected = await Promise.all([
    connectCrm({
      ctx,
      provider: "hubspot",
      input: {
        portalId: String(hubspot.portalId),
        settings: { baseUrl: hubspot.baseUrl },
        secrets: { accessToken: hubspot.accessToken },
      },
    }),
    connectCrm({
      ctx,
      provider: "salesforce",
      input: {
        orgId: salesforce.orgId,
        settings: { loginUrl: salesforce.loginUrl, apiVersion: salesforce.apiVersion },
        secrets: { clientId: salesforce.clientId, clientSecret: salesforce.clientSecret },
      },
    }),
  ]);
  for (const result of connected)
    if (!result.ok) throw new Error("the demo's CRM sandbox is connected to another tenant");
}

/**
 * The demo tenant answers in the sandbox's Slack workspace: its #finance is the finance channel, and every Slack
 * person is mapped to the Reckon user with the same email (what an admin does in Settings for a real workspace).
 */
async function connectDemoSlack(ctx: TenantContext, sandbox: RunningSandbox): Promise<void> {
  const { workspace } = sandbox.slack;
  const finance = workspace.channel("finance");
  const saved = await saveSlackSettings({
    ctx,
    input: { teamId: workspace.team.id, financeChannelId: finance?.id ?? null },
  });
  if (!saved.ok) {
    ctx.log.warn(
      { teamId: workspace.team.id },
      "the sandbox's Slack team belongs to another tenant here: demo Slack off",
    );
    return;
  }
  const byEmail = new Map((await listUsers({ ctx })).map((u) => [u.email.toLowerCase(), u.id]));
  for (const person of workspace.users) {
    const userId = byEmail.get(person.email.toLowerCase());
    if (!userId) continue;
    await mapIdentity({ ctx, input: { userId, provider: "slack", externalId: `${workspace.team.id}:${person.id}` } });
  }
}

/** The bot as the embedded default runs it: served on a local port, talking to the sandbox's Slack. */
export interface DemoSlack {
  /** Where the sandbox's Slack delivers commands, clicks and events. */
  eventsUrl: string;
  sandbox: RunningSlackSandbox;
  /** Sends signed commands and clicks to the bot as Slack would (the web view's Slack page uses it). */
  driver: SlackDriver;
  stop(): Promise<void>;
}

export async function startDemoSlack(services: Services, slack: RunningSlackSandbox): Promise<DemoSlack> {
  const { app } = createSlackBot({
    services,
    jobs: services.jobs,
    signingSecret: slack.signingSecret,
    token: slack.botToken,
    botId: slack.workspace.bot.botId,
    botUserId: slack.workspace.bot.userId,
    slackApiUrl: slack.apiUrl,
  });
  const server = await app.start({ port: 0, host: "127.0.0.1" });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  // The jobs post approvals, flags and digests through the same workspace.
  services.slack.current = createSlackNotifier({ client: slackWebClient(slack.botToken, slack.apiUrl) });
  return {
    eventsUrl,
    sandbox: slack,
    driver: createSlackDriver({ url: eventsUrl, slack }),
    stop: async () => {
      services.slack.current = null;
      await app.stop();
    },
  };
}
