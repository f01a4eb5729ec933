// Starts everything one process runs: services, the demo tenant on the sandbox (embedded default), the first sync,
// the 5-minute schedule and the HTTP server.
import { type ServerType, serve } from "@hono/node-server";
import { type Config, createLogger, openServices, type Services, type TenantContext } from "@reckon/core";
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { createApp } from "./app";
import { memoryRateLimiter, type RateLimiter, redisRateLimiter } from "./auth/rateLimit";
import { type DemoTenant, startDemoTenant } from "./embedded";

export interface Runtime {
  url: string;
  services: Services;
  demo: DemoTenant | null;
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
  let server: ServerType | null = null;
  let rateLimiter: RateLimiter | null = null;
  try {
    if (!config.sandbox.enabled) {
      throw new Error(
        "RECKON_SANDBOX=off needs a tenant with real source connections, which arrives with sign-in (access-and-trust issue). Leave RECKON_SANDBOX unset to run the demo tenant.",
      );
    }
    demo = await startDemoTenant(services);
    const tenant = demo.ctx;
    progress(`syncing tenant "${demo.slug}" from the local sandbox (Stripe, QuickBooks, Amplitude)...`);
    await services.jobs.enqueue("sync.tenant", { tenantId: tenant.tenant.tenantId, reason: "startup" });
    await services.jobs.drain();
    await services.jobs.schedule(
      `sync.tenant:${tenant.tenant.tenantId}`,
      "sync.tenant",
      { tenantId: tenant.tenant.tenantId, reason: "schedule" },
      config.syncIntervalMs,
    );
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
      demo: { workspace: demo.slug, users: demo.access.users },
      metricsToken: config.metricsToken,
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
      tenant,
      stop: async () => {
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
        await rateLimiter?.close();
        await services.close();
        await activeDemo.sandbox.stop();
      },
    };
  } catch (error) {
    await rateLimiter?.close().catch(() => {});
    await services.close().catch(() => {});
    await demo?.sandbox.stop().catch(() => {});
    throw error;
  }
}
