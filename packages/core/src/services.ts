// Opens what a process needs from its config: the database (migrated), the secret box, the job runner.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { type DatabaseHandle, migrate, openDatabase } from "@reckon/db";
import { Redis } from "ioredis";
import { createInProcessAccountCache, createRedisAccountCache } from "./cache/accountCache";
import type { Config } from "./config";
import type { ServiceContext } from "./context";
import { createJobHandlers, type JobQueueSlot } from "./jobHandlers";
import { createBullMqRunner, createInProcessRunner, type JobRunner } from "./jobs";
import { createInProcessLimiter, createRedisLimiter } from "./limits";
import type { Logger } from "./log";
import type { SlackNotifierSlot } from "./notify/slackNotifier";
import { readQueueDepthFrom } from "./observability/metrics";
import { createSecretBox } from "./secrets";

export interface Services extends ServiceContext {
  config: Config;
  database: DatabaseHandle;
  jobs: JobRunner;
  /** The Slack notifier the jobs post through, once the process has one (the bot, or the embedded default). */
  slack: SlackNotifierSlot;
  close(): Promise<void>;
}

/**
 * The key that seals source credentials: from RECKON_SECRET_KEY, or (embedded default only) generated once into the
 * data folder so a second start can still open what the first one sealed.
 */
function secretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  if (config.database.kind === "postgres" && !config.sandbox.enabled) {
    throw new Error(
      "RECKON_SECRET_KEY is required with DATABASE_URL: set it to 32 random bytes, base64 (openssl rand -base64 32).",
    );
  }
  const file = `${config.dataDir}/secret.key`;
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** RECKON_AS_OF pins "now" to noon UTC of that day (demos and tests that must not drift). */
function pinnedClock(config: Config): (() => Date) | null {
  const asOf = config.asOf;
  return asOf ? () => new Date(`${asOf}T12:00:00Z`) : null;
}

export async function openServices(
  config: Config,
  log: Logger,
  options: { processJobs: boolean; clock?: () => Date; onProgress?: (line: string) => void },
): Promise<Services> {
  if (config.database.kind === "pglite") mkdirSync(config.database.dataDir, { recursive: true });
  const database = await openDatabase(
    config.database.kind === "pglite" ? { kind: "pglite", dataDir: config.database.dataDir } : config.database,
  );
  await migrate(database);
  // Provider limits are per provider account, so every worker on the same Redis shares one limiter.
  const limiterRedis =
    config.jobs.kind === "bullmq"
      ? new Redis(config.jobs.redisUrl, { maxRetriesPerRequest: 3 }).on("error", (err) =>
          log.error({ err }, "limiter redis connection error"),
        )
      : null;
  const limiter =
    config.jobs.kind === "bullmq" && limiterRedis
      ? createRedisLimiter({ redis: limiterRedis, prefix: config.jobs.prefix })
      : createInProcessLimiter();
  const base: ServiceContext = {
    db: database.db,
    log,
    secrets: createSecretBox(secretKey(config)),
    clock: options.clock ?? pinnedClock(config) ?? (() => new Date()),
    limiter,
    // Every API process must see the same invalidation, so the cache lives where the limiter does.
    accountCache:
      config.jobs.kind === "bullmq" && limiterRedis
        ? createRedisAccountCache({ redis: limiterRedis, prefix: config.jobs.prefix })
        : createInProcessAccountCache(),
    sourceTimeoutsMs: config.sourceTimeoutsMs,
  };
  const slack: SlackNotifierSlot = { current: null };
  // Filled with the runner below: a job that queues another (a settled payment retry's Slack update) reaches it here.
  const followUps: JobQueueSlot = { current: null };
  const handlers = createJobHandlers({
    ...base,
    slack,
    jobs: followUps,
    webBaseUrl: config.publicUrl ?? `http://localhost:${config.port || 3000}`,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const jobs =
    config.jobs.kind === "bullmq"
      ? createBullMqRunner(handlers, {
          redisUrl: config.jobs.redisUrl,
          prefix: config.jobs.prefix,
          processJobs: options.processJobs,
          log,
        })
      : createInProcessRunner(handlers, { log });
  followUps.current = jobs;
  const stopDepth = jobs.depth ? readQueueDepthFrom(() => jobs.depth!()) : () => {};
  return {
    ...base,
    config,
    database,
    jobs,
    slack,
    close: async () => {
      stopDepth();
      await jobs.close();
      await limiter.close();
      await limiterRedis?.quit().catch(() => limiterRedis.disconnect());
      await database.close();
    },
  };
}
