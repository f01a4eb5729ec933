// The Hono app: request ids and logs, the /v1 API routes, the web view, and one error handler for all of it.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { JobRunner, Logger, ServiceContext, TenantContext, UserRole } from "@reckon/core";
import { crmAuthenticate } from "./auth/crm";
import { authenticate, csrfProtection, rateLimit } from "./auth/middleware";
import type { RateLimiter } from "./auth/rateLimit";
import type { DemoSlack } from "./embedded";
import { handleError, problem, unstorableText, zodProblem } from "./errors";
import { registerAccountDetail } from "./routes/accountDetail";
import { registerAccountFlagCreate } from "./routes/accountFlagCreate";
import { registerAccountFlags } from "./routes/accountFlags";
import { registerAccountForecast } from "./routes/accountForecast";
import { registerAccountPaymentRetryRequest } from "./routes/accountPaymentRetryRequest";
import { registerAudit } from "./routes/audit";
import { registerConnections } from "./routes/connections";
import { registerConnectionsUpdate } from "./routes/connectionsUpdate";
import { registerCrmCards } from "./routes/crmCards";
import { registerCrmConnections } from "./routes/crmConnections";
import { registerExports } from "./routes/exports";
import { registerFlagResolve } from "./routes/flagResolve";
import { registerFlags } from "./routes/flags";
import { registerForecast } from "./routes/forecast";
import { registerHealthz } from "./routes/healthz";
import { registerLinksConfirm } from "./routes/linksConfirm";
import { registerLinksSuggestions } from "./routes/linksSuggestions";
import { registerMe } from "./routes/me";
import { registerMetrics } from "./routes/metrics";
import { registerMetricsScrape } from "./routes/metricsScrape";
import { registerOpenApi } from "./routes/openapi";
import { registerPaymentRetries } from "./routes/paymentRetries";
import { registerPaymentRetry } from "./routes/paymentRetry";
import { registerPaymentRetryApprove } from "./routes/paymentRetryApprove";
import { registerPaymentRetryReject } from "./routes/paymentRetryReject";
import { registerPortfolio } from "./routes/portfolio";
import { registerSettings } from "./routes/settings";
import { registerSettingsFxRateDelete } from "./routes/settingsFxRateDelete";
import { registerSettingsFxRates } from "./routes/settingsFxRates";
import { registerSettingsItemMappingDelete } from "./routes/settingsItemMappingDelete";
import { registerSettingsItemMappings } from "./routes/settingsItemMappings";
import { registerSettingsSlack } from "./routes/settingsSlack";
import { registerSettingsUpdate } from "./routes/settingsUpdate";
import { registerSyncRefresh } from "./routes/syncRefresh";
import { registerSyncRunResolve } from "./routes/syncRunResolve";
import { registerSyncStatus } from "./routes/syncStatus";
import { registerTokens } from "./routes/tokens";
import { registerUsers } from "./routes/users";
import { registerWebhooksQuickbooks } from "./routes/webhooksQuickbooks";
import { registerWebhooksStripe } from "./routes/webhooksStripe";
import { registerWeb } from "./web";

/** A demo user the embedded default's sign-in page lists (never in production). */
export interface DemoUser {
  email: string;
  name: string;
  role: UserRole;
  password: string;
}

export interface AppDeps {
  log: Logger;
  /** Database, secrets and clock: what credentials are checked against. */
  services: ServiceContext;
  jobs: JobRunner;
  /** Whether the database answers (health check). */
  ping(): Promise<boolean>;
  rateLimiter: RateLimiter;
  rateLimits: { perCredentialPerMinute: number; anonymousPerMinute: number };
  /** Served over https: session cookies are Secure. */
  secureCookies: boolean;
  /**
   * The embedded default's demo workspace and users, listed on its sign-in page, and its Slack sandbox (the web
   * view's Slack page shows what the bot posted there); null in production.
   */
  demo: { workspace: string; users: DemoUser[]; slack?: DemoSlack | null } | null;
  /** What checks webhooks that are signed per app rather than per workspace; unset: refuse them. */
  webhooks?: { quickbooksVerifierToken: string | null };
  /**
   * CRM cards: the HubSpot app's client secret (HubSpot signs card requests with it; unset: HubSpot cards are refused),
   * and the public address card links and signatures use (RECKON_PUBLIC_URL; unset: the address the request reached).
   */
  crm?: { hubspotClientSecret: string | null; publicUrl: string | null };
  /** The bearer token GET /metrics wants (RECKON_METRICS_TOKEN); unset or null: /metrics is off. */
  metricsToken?: string | null;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    deps: AppDeps;
    /** The signed-in caller's context; unset for anonymous requests. */
    ctx?: TenantContext;
    /** The CSRF token a browser session's forms must carry. */
    csrfToken?: string;
    /** A CRM card's request, already authenticated by its CRM's signature or token (auth/crm.ts). */
    crmAuthenticated?: boolean;
  };
};

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return zodProblem(c, result.error);
      const unstorable = unstorableText(result.data);
      if (unstorable) return problem(c, "bad_request", `Invalid request: ${unstorable}`);
    },
  });
  app.use("*", async (c, next) => {
    const requestId = c.req.header("x-request-id")?.slice(0, 100) || crypto.randomUUID();
    const log = deps.log.child({ requestId });
    c.set("requestId", requestId);
    c.set("log", log);
    c.set("deps", deps);
    const started = performance.now();
    await next();
    c.header("x-request-id", requestId);
    const ms = Math.round(performance.now() - started);
    const line = { method: c.req.method, path: c.req.path, status: c.res.status, ms };
    if (c.res.status >= 500 || ms > 1000) log.warn(line, "request");
    else log.debug(line, "request");
  });
  app.use(
    "*",
    crmAuthenticate({
      hubspotClientSecret: deps.crm?.hubspotClientSecret ?? null,
      publicUrl: deps.crm?.publicUrl ?? null,
    }),
    authenticate(),
    rateLimit(),
    csrfProtection(),
  );
  app.onError(handleError);
  app.notFound((c) => problem(c, "not_found", `No route for ${c.req.method} ${c.req.path}. The API lives under /v1.`));

  registerHealthz(app);
  registerMetricsScrape(app);
  registerPortfolio(app);
  registerAccountDetail(app);
  registerAccountForecast(app);
  registerAccountFlags(app);
  registerAccountFlagCreate(app);
  registerFlags(app);
  registerFlagResolve(app);
  registerAccountPaymentRetryRequest(app);
  registerPaymentRetries(app);
  registerPaymentRetry(app);
  registerPaymentRetryApprove(app);
  registerPaymentRetryReject(app);
  registerMetrics(app);
  registerForecast(app);
  registerSyncStatus(app);
  registerSyncRefresh(app);
  registerSyncRunResolve(app);
  registerMe(app);
  registerTokens(app);
  registerUsers(app);
  registerAudit(app);
  registerExports(app);
  registerSettings(app);
  registerSettingsSlack(app);
  registerSettingsUpdate(app);
  registerSettingsFxRates(app);
  registerSettingsFxRateDelete(app);
  registerSettingsItemMappings(app);
  registerSettingsItemMappingDelete(app);
  registerLinksSuggestions(app);
  registerLinksConfirm(app);
  registerConnections(app);
  registerConnectionsUpdate(app);
  registerCrmConnections(app);
  registerCrmCards(app);
  registerWebhooksStripe(app);
  registerWebhooksQuickbooks(app);
  registerWeb(app);
  registerOpenApi(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
