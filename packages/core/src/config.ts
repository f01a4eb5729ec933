// The one place that reads the environment: a zod schema parsed once at start-up into a typed Config.
import { z } from "zod";

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
    );

const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  /** PostgreSQL. Unset: embedded PGlite under RECKON_DATA_DIR. */
  DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
  /** Redis for BullMQ. Unset: jobs run in-process. */
  REDIS_URL: url(["redis:", "rediss:"]).optional(),
  /** BullMQ key prefix: separate deployments (or test runs) sharing one Redis. */
  RECKON_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,40}$/, "letters, digits, - and _ only")
    .default("reckon"),
  RECKON_DATA_DIR: z.string().min(1).default(".reckon"),
  /** A fixture folder of raw Stripe/QuickBooks/Amplitude objects to serve instead of the generated demo tenant. */
  RECKON_SANDBOX_FIXTURE: z.string().min(1).optional(),
  /** 32 bytes, base64: seals source credentials at rest. Embedded default: generated into RECKON_DATA_DIR. */
  RECKON_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)")
    .optional(),
  RECKON_SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  RECKON_DEMO_SEED: z.coerce.number().int().min(0).default(7),
  RECKON_DEMO_ACCOUNTS: z.coerce.number().int().min(1).max(20_000).default(120),
  RECKON_DEMO_MONTHS: z.coerce.number().int().min(1).max(36).default(12),
  /** "Today" for the demo data and reconciliation (YYYY-MM-DD). Unset: the real date. */
  RECKON_AS_OF: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
    .optional(),
  /** Run the bundled sandbox and a demo tenant on it (the embedded default). */
  RECKON_SANDBOX: z.enum(["on", "off"]).optional(),
  /** Requests a minute per API token or web session; past it: 429 with Retry-After. */
  RECKON_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Requests a minute per client address without credentials (sign-in attempts, 401s). */
  RECKON_ANON_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Where people reach Reckon; https:// makes session cookies Secure. */
  RECKON_PUBLIC_URL: url(["http:", "https:"]).optional(),
  /** The Intuit app's webhook verifier token (intuit-signature). Unset: the embedded sandbox's own token. */
  RECKON_QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: z.string().trim().min(1).optional(),
  /** The HubSpot app's client secret: HubSpot signs card requests (v3) with it. Unset: HubSpot cards are refused. */
  HUBSPOT_CLIENT_SECRET: z.string().trim().min(1).optional(),
  /** Bearer token a Prometheus scraper sends to GET /metrics (16+ characters). Unset: /metrics answers 404. */
  RECKON_METRICS_TOKEN: z.string().trim().min(16, "at least 16 characters").optional(),
  /**
   * Seconds one request to a source may take before it is abandoned and retried later with backoff (a hung provider
   * or connection). Amplitude's export answers a zip of a whole range, so it gets far longer.
   */
  RECKON_STRIPE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  RECKON_QUICKBOOKS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  RECKON_AMPLITUDE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** Default: info with DATABASE_URL (production), warn on the embedded default (its console shows progress lines). */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
});

export type Config = {
  port: number;
  host: string | undefined;
  database: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };
  jobs: { kind: "in-process" } | { kind: "bullmq"; redisUrl: string; prefix: string };
  dataDir: string;
  secretKey: string | null;
  sandbox: { enabled: boolean; fixture: string | null; seed: number; accounts: number; months: number };
  asOf: string | null;
  syncIntervalMs: number;
  rateLimits: { perCredentialPerMinute: number; anonymousPerMinute: number };
  publicUrl: string | null;
  /** Checks QuickBooks webhooks; null: the embedded sandbox's token, or (without the sandbox) refuse them all. */
  quickbooksWebhookVerifierToken: string | null;
  /** What a scraper must send to read /metrics; null: /metrics is off. */
  metricsToken: string | null;
  /** Checks HubSpot card requests; null: the embedded sandbox's app secret, or (without it) refuse HubSpot cards. */
  hubspotClientSecret: string | null;
  /** Per source: how long one request may take before it counts as a (retryable) failure. */
  sourceTimeoutsMs: SourceTimeouts;
  logLevel: NonNullable<z.infer<typeof environment>["LOG_LEVEL"]>;
};

/** Request timeouts per source, in milliseconds. */
export type SourceTimeouts = { stripe: number; quickbooks: number; amplitude: number };

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment; a bad value throws a ConfigError naming the variable and what to set instead. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means unset, as shells and .env files write it.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = environment.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = e.RECKON_DATA_DIR;
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL }
      : { kind: "pglite", dataDir: `${dataDir}/pgdata` },
    jobs: e.REDIS_URL
      ? { kind: "bullmq", redisUrl: e.REDIS_URL, prefix: e.RECKON_QUEUE_PREFIX }
      : { kind: "in-process" },
    dataDir,
    secretKey: e.RECKON_SECRET_KEY ?? null,
    sandbox: {
      enabled: e.RECKON_SANDBOX ? e.RECKON_SANDBOX === "on" : true,
      fixture: e.RECKON_SANDBOX_FIXTURE ?? null,
      seed: e.RECKON_DEMO_SEED,
      accounts: e.RECKON_DEMO_ACCOUNTS,
      months: e.RECKON_DEMO_MONTHS,
    },
    asOf: e.RECKON_AS_OF ?? null,
    syncIntervalMs: e.RECKON_SYNC_INTERVAL_SECONDS * 1000,
    rateLimits: {
      perCredentialPerMinute: e.RECKON_RATE_LIMIT_PER_MINUTE,
      anonymousPerMinute: e.RECKON_ANON_RATE_LIMIT_PER_MINUTE,
    },
    publicUrl: e.RECKON_PUBLIC_URL ?? null,
    quickbooksWebhookVerifierToken: e.RECKON_QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN ?? null,
    metricsToken: e.RECKON_METRICS_TOKEN ?? null,
    hubspotClientSecret: e.HUBSPOT_CLIENT_SECRET ?? null,
    sourceTimeoutsMs: {
      stripe: e.RECKON_STRIPE_TIMEOUT_SECONDS * 1000,
      quickbooks: e.RECKON_QUICKBOOKS_TIMEOUT_SECONDS * 1000,
      amplitude: e.RECKON_AMPLITUDE_TIMEOUT_SECONDS * 1000,
    },
    logLevel: e.LOG_LEVEL ?? (e.DATABASE_URL ? "info" : "warn"),
  };
}
