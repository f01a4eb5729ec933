// Starts everything one process runs: services, the demo tenant on the sandbox (embedded default), the first sync,
// the 5-minute schedules (kept registered by the sync upkeep) and the HTTP server.
import { type ServerType, serve } from "@hono/node-server";
import {
  type Config,
  createLogger,
  openServices,
  type Services,
  type SyncUpkeep,
  startSyncUpkeep,
  type TenantContext,
} from "@reckon/core";
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { createApp } from "./app";
import { memoryRateLimiter, type RateLimiter, redisRateLimiter } from "./auth/rateLimit";
import { type DemoSlack, type DemoTenant, startDemoSlack, startDemoTenant } from "./embedded";

export interface Runtime {
  url: string;
  services: Services;
  demo: DemoTenant | null;
  /** The Slack bot on the sandbox's workspace (embedded default only). */
  slack: DemoSlack | null;
  tenant: TenantContext;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** Progress lines (sync batches, reconciliation); the console in `npm start`. */
  onProgress?: (line: string) => void;
  clock?: () => Date;
}

export async function startRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = createLogger(config.logLevel);
  const progress = options.onProgress ?? (() => {});
  const services = await openServices(config, log, {
    processJobs: true,
    onProgress: progress,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  let demo: DemoTenant | null = null;
  let slack: DemoSlack | null = null;
  let server: ServerType | null = null;
  let rateLimiter: RateLimiter | null = null;
  let upkeep: SyncUpkeep | null = null;
  try {
    if (!config.sandbox.enabled) {
      throw new Error(
        "RECKON_SANDBOX=off needs a tenant with real source connections, which arrives with sign-in (access-and-trust issue). Leave RECKON_SANDBOX unset to run the demo tenant.",
      );
    }
    demo = await startDemoTenant(services);
    slack = await startDemoSlack(services, demo.sandbox.slack);
    const tenant = demo.ctx;
    progress(`syncing tenant "${demo.slug}" from the local sandbox (Stripe, QuickBooks, Amplitude)...`);
    await services.jobs.enqueue("sync.tenant", { tenantId: tenant.tenant.tenantId, reason: "startup" });
    await services.jobs.drain();
    // The sandbox's CRM records are linked by their explicit ids and get their summary fields now, not in 5 minutes.
    await services.jobs.enqueue("crm.writeback", { tenantId: tenant.tenant.tenantId, reason: "schedule" });
    await services.jobs.drain();
    // A quarter-end digest due today goes out now rather than at the next hourly tick (the /slack page shows it).
    await services.jobs.enqueue("digests.tick", { reason: "manual" });
    // This process runs jobs too: it registers every connected tenant's schedule, again whenever Redis lost it, and
    // closes runs a dead worker left open.
    upkeep = startSyncUpkeep({ ...services, syncEveryMs: config.syncIntervalMs });
    await upkeep.ready;
    rateLimiter =
      config.jobs.kind === "bullmq"
        ? redisRateLimiter(new Redis(config.jobs.redisUrl, { lazyConnect: false }), config.jobs.prefix)
        : memoryRateLimiter();
    const app = createApp({
      log,
      services,
      jobs: services.jobs,
      ping: async () => {
        await services.db.execute(sql`select 1`);
        return true;
      },
      rateLimiter,
      rateLimits: config.rateLimits,
      secureCookies: config.publicUrl?.startsWith("https:") ?? false,
      demo: { workspace: demo.slug, users: demo.access.users, slack },
      metricsToken: config.metricsToken,
      crm: { hubspotClientSecret: config.hubspotClientSecret, publicUrl: config.publicUrl },
      webhooks: {
        quickbooksVerifierToken: config.quickbooksWebhookVerifierToken ?? demo.sandbox.webhooks.intuitVerifierToken,
      },
    });
    const port = await new Promise<number>((resolve) => {
      server = serve(
        { fetch: app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) },
        (info) => resolve(info.port),
      );
    });
    const activeDemo = demo;
    const activeSlack = slack;
    const activeUpkeep = upkeep;
    // The sandbox delivers its webhooks here, as Stripe and Intuit would to the URLs an admin registers with them.
    const origin = `http://${config.host?.includes(":") ? `[${config.host}]` : (config.host ?? "127.0.0.1")}:${port}`;
    demo.sandbox.webhooks.configure({
      stripe: `${origin}/webhooks/stripe/${demo.slug}`,
      quickbooks: `${origin}/webhooks/quickbooks`,
    });
    return {
      url: `http://localhost:${port}`,
      services,
      demo,
      slack,
      tenant,
      stop: async () => {
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
        await activeSlack.stop();
        await rateLimiter?.close();
        await activeUpkeep.stop();
        await services.close();
        await activeDemo.sandbox.stop();
      },
    };
  } catch (error) {
    await rateLimiter?.close().catch(() => {});
    await upkeep?.stop().catch(() => {});
    await slack?.stop().catch(() => {});
    await services.close().catch(() => {});
    await demo?.sandbox.stop().catch(() => {});
    throw error;
  }
}
