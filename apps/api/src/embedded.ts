// The embedded default's sources: the local sandbox serving a generated demo tenant (or a fixture folder),
// and the tenant provisioned and connected to it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  type Config,
  connectSources,
  provisionTenant,
  type Services,
  saveRateCards,
  systemContext,
  type TenantContext,
} from "@reckon/core";
import { generateScenario, loadFixture, type RunningSandbox, type Scenario, startSandbox } from "@reckon/sandbox";
import { type DemoAccess, ensureDemoUsers } from "./demoUsers";

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
  const sandbox = await startSandbox(
    scenario,
    verifierToken ? { webhooks: { intuitVerifierToken: verifierToken } } : {},
  );
  const tenant = await provisionTenant({ db: services.db, input: { ...scenario.tenant, slug } });
  const ctx = systemContext(services, tenant, "startup");
  await saveRateCards({ ctx, input: { rateCards: scenario.tenant.rateCards ?? [] } });
  // Each start gets fresh sandbox ports and credentials: the connections follow them.
  await connectSources(ctx, sandbox);
  const access = await ensureDemoUsers(ctx, slug, `${services.config.dataDir}/demo-token`);
  return { sandbox, ctx, slug, asOf, access };
}
