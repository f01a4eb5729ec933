// What every verb receives: the database, a logger, the secret box and a clock; tenant verbs add their scope.
import type { Database, TenantScope } from "@reckon/db";
import type { Logger } from "./log";
import type { SecretBox } from "./secrets";

export interface ServiceContext {
  db: Database;
  log: Logger;
  secrets: SecretBox;
  /** "Now" for windows, due dates and aging; tests and the demo pin it. */
  clock: () => Date;
}

export interface TenantContext extends ServiceContext {
  tenant: TenantScope;
}
