// Test support for the settings verbs: two tenants on a fresh PGlite, actors of every role, a job runner that records.
import { randomBytes, randomUUID } from "node:crypto";
import { type DatabaseHandle, queryRows, type TenantScope } from "@reckon/db";
import { freshPglite } from "@reckon/db/testing";
import { sql } from "drizzle-orm";
import type { UserRole } from "../access/actor";
import type { TenantContext } from "../context";
import type { EnqueueOptions, JobName, JobRunner } from "../jobs";
import { createLogger } from "../log";
import { createSecretBox } from "../secrets";
import { provisionTenant, type TenantSetup } from "../tenants/provisionTenant";

export interface QueuedJob {
  name: JobName;
  payload: unknown;
  options: EnqueueOptions | undefined;
}

/** A JobRunner that only remembers what was queued. */
export function recordingJobs(): JobRunner & { queued: QueuedJob[] } {
  const queued: QueuedJob[] = [];
  return {
    kind: "in-process",
    queued,
    enqueue: async (name, payload, options) => {
      queued.push({ name, payload, options });
      return { jobId: `job-${queued.length}` };
    },
    schedule: async () => {},
    unschedule: async () => {},
    drain: async () => {},
    close: async () => {},
  };
}

export const tenantSetup = (slug: string): TenantSetup => ({
  slug,
  name: `${slug} Inc`,
  baseCurrency: "USD",
  thresholdBps: 500,
  amplitudeGroupType: "org_id",
  metrics: [
    { key: "api_calls", unit: "call", eventType: "api_call", quickbooksItemIds: ["1"] },
    { key: "storage_gb", unit: "GB", eventType: "storage_measured", quickbooksItemIds: ["2"] },
  ],
  owners: [],
  fxRates: [{ from: "EUR", to: "USD", rate: "1.08", effectiveOn: "2026-01-01" }],
  accounts: [],
});

export interface SettingsWorld {
  database: DatabaseHandle;
  tenant: TenantScope;
  other: TenantScope;
  /** A context in `tenant` acting as a user of that role (the other tenant's admin with `as("admin", other)`). */
  as(role: UserRole, scope?: TenantScope): TenantContext;
  auditRows(
    scope?: TenantScope,
  ): Promise<Array<{ action: string; target_id: string | null; details: Record<string, unknown> }>>;
}

export async function settingsWorld(): Promise<SettingsWorld> {
  const database = await freshPglite();
  const tenant = await provisionTenant({ db: database.db, input: tenantSetup("acme") });
  const other = await provisionTenant({ db: database.db, input: tenantSetup("other") });
  const base = {
    db: database.db,
    log: createLogger("silent"),
    secrets: createSecretBox(randomBytes(32).toString("base64")),
    clock: () => new Date("2026-11-25T12:00:00Z"),
  };
  const users = new Map<string, string>();
  return {
    database,
    tenant,
    other,
    as: (role, scope = tenant) => {
      const key = `${scope.tenantId}:${role}`;
      if (!users.has(key)) users.set(key, randomUUID());
      return {
        ...base,
        tenant: scope,
        actor: {
          kind: "user",
          userId: users.get(key)!,
          role,
          name: role,
          email: `${role}@example.com`,
          via: "token",
          credentialId: "test",
        },
      };
    },
    auditRows: (scope = tenant) =>
      queryRows(
        database.db,
        sql`select action, target_id, details from audit_log where tenant_id = ${scope.tenantId}::uuid order by id`,
      ),
  };
}
