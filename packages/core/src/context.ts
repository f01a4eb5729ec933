// What every verb receives: the database, a logger, the secret box and a clock; tenant verbs add their scope and
// the actor they act for.
import type { Database, TenantScope } from "@reckon/db";
import type { Actor } from "./access/actor";
import type { AccountCache } from "./cache/accountCache";
import type { SourceTimeouts } from "./config";
import type { RequestLimiter } from "./limits/limiter";
import type { Logger } from "./log";
import type { SecretBox } from "./secrets";

export interface ServiceContext {
  db: Database;
  log: Logger;
  secrets: SecretBox;
  /** "Now" for windows, due dates and aging; tests and the demo pin it. */
  clock: () => Date;
  /** Admits provider requests, shared by every worker (Redis under BullMQ); absent: connectors send at once. */
  limiter?: RequestLimiter;
  /** Reconciled account detail, 15 minutes (Redis under BullMQ); absent: every read computes it. */
  accountCache?: AccountCache;
  /** How long one request to each source may take (config); absent or unset for a source: its connector's default. */
  sourceTimeoutsMs?: Partial<SourceTimeouts>;
}

export interface TenantContext extends ServiceContext {
  tenant: TenantScope;
  /** Who the verb acts for: a signed-in user (any surface) or the system (jobs, start-up). */
  actor: Actor;
  /** The HTTP request or job this work belongs to, for the audit log. */
  requestId?: string;
}

/** A tenant context acting as the system: jobs, start-up and tests that stand for the whole tenant. */
export function systemContext(
  base: ServiceContext,
  tenant: TenantScope,
  via: "job" | "startup" = "job",
): TenantContext {
  return {
    db: base.db,
    log: base.log,
    secrets: base.secrets,
    clock: base.clock,
    ...(base.limiter ? { limiter: base.limiter } : {}),
    ...(base.accountCache ? { accountCache: base.accountCache } : {}),
    ...(base.sourceTimeoutsMs ? { sourceTimeoutsMs: base.sourceTimeoutsMs } : {}),
    tenant,
    actor: { kind: "system", via },
  };
}
