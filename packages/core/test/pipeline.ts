// Test helper: a tenant provisioned from a generated scenario, connected to a running sandbox, on a given database.

import { randomBytes } from "node:crypto";
import type { DatabaseHandle } from "@reckon/db";
import { generateScenario, type RunningSandbox, type Scenario, startSandbox } from "@reckon/sandbox";
import type { TenantContext } from "../src/context";
import { createLogger } from "../src/log";
import { createSecretBox } from "../src/secrets";
import { connectSources } from "../src/sync/connections";
import { provisionTenant } from "../src/tenants/provisionTenant";

export const asOf = "2026-11-25";
export const clock = () => new Date(`${asOf}T12:00:00Z`);
export const testSecretKey = randomBytes(32).toString("base64");

export function smallScenario(seed = 5, accounts = 30, months = 4): Scenario {
  return generateScenario({ seed, accounts, months, asOf });
}

export async function connectTenant(
  database: DatabaseHandle,
  scenario: Scenario,
  slug = "test",
): Promise<{ ctx: TenantContext; sandbox: RunningSandbox }> {
  const sandbox = await startSandbox(scenario);
  const tenant = await provisionTenant({ db: database.db, input: { ...scenario.tenant, slug } });
  const ctx: TenantContext = {
    db: database.db,
    log: createLogger("silent"),
    secrets: createSecretBox(testSecretKey),
    clock,
    tenant,
    actor: { kind: "system", via: "job" },
  };
  await connectSources(ctx, sandbox);
  return { ctx, sandbox };
}
