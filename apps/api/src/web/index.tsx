// The server-rendered web view: the portfolio grid at /, account detail at /accounts/:id, a manual refresh, and
// signing in and out. Everything but the sign-in page needs a signed-in user.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { OpenAPIHono } from "@hono/zod-openapi";
import {
  type AccountDetail,
  can,
  getAccountDetail,
  getPortfolioMetrics,
  getPortfolioTotals,
  getSyncStatus,
  InvalidCursor,
  listAccountOwners,
  listPaymentRetries,
  listPortfolio,
  listPortfolioInput,
  type PortfolioPage,
  requestSync,
  setTourDismissed,
  tenantTimeZone,
  tourPending,
} from "@reckon/core";
import { ZodError } from "zod";
import type { AppEnv } from "../app";
import { AccountView } from "./accountPage";
import { actionNotices } from "./actionForms";
import { registerActionRoutes } from "./actionRoutes";
import { localeFrom, withFormatting } from "./format";
import { MessagePage } from "./layout";
import { registerLinksPage } from "./linksPage";
import { MetricsView, type PortfolioMetricsView } from "./metricsPage";
import { type Filters, filterKeys, PortfolioView, portfolioHref } from "./portfolioPage";
import { registerSessionRoutes } from "./sessionRoutes";
import { registerSlackPage } from "./slackPage";
import { lastFinishedSync, syncsRunning } from "./syncHeader";
import { registerSyncStatusPage } from "./syncStatusPage";
import { signInHref, viewerOf } from "./viewer";

const notices: Record<string, string> = {
  refresh: "Refresh queued: the sources sync and reconcile in the background; reload in a moment for fresh numbers.",
};

const fieldLabels: Record<string, string> = {
  q: "Client",
  quarter: "Quarter due",
  status: "Status",
  owner: "Owner",
  from: "Due from",
  to: "Due to",
  sort: "Sort",
  limit: "Page size",
  cursor: "Page",
};

/** The filters a query string carries, blanks dropped (an empty form field means "any"). */
function readFilters(get: (key: string) => string | undefined): Filters {
  const filters: Filters = {};
  for (const key of filterKeys) {
    const value = get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** A sentence for the person who typed the filters; null when the error is not about their input. */
function inputProblem(error: unknown): string | null {
  if (error instanceof InvalidCursor) return `${error.message} (the "Next page" link is out of date).`;
  if (error instanceof ZodError) {
    return error.issues
      .map((issue) => {
        const field = String(issue.path[0] ?? "");
        return `${fieldLabels[field] ?? (field || "Input")}: ${issue.message}.`;
      })
      .join(" ");
  }
  return null;
}

export function registerWeb(app: OpenAPIHono<AppEnv>) {
  // Pages carry a user's data and CSRF token: no cache keeps them.
  for (const path of ["/", "/sign-in", "/accounts/*", "/finance"]) {
    app.use(path, async (c, next) => {
      await next();
      c.header("cache-control", "no-store");
    });
  }
  // Every page formats for its reader: their browser's language, and the tenant's time zone for instants.
  app.use("*", async (c, next) => {
    if (c.req.path.startsWith("/v1/") || c.req.path.startsWith("/webhooks/")) return next();
    const timeZone = c.var.ctx ? await tenantTimeZone(c.var.ctx) : "UTC";
    return withFormatting({ locale: localeFrom(c.req.header("accept-language")), timeZone }, () => next());
  });
  registerSessionRoutes(app);
  registerSyncStatusPage(app);
  registerSlackPage(app);
  registerActionRoutes(app);
  registerLinksPage(app);

  app.get("/", async (c) => {
    const ctx = c.var.ctx;
    if (!ctx) return c.redirect(signInHref(c.req.url), 303);
    const viewer = viewerOf(ctx, c.var.csrfToken, c.var.deps);
    const filters = readFilters((key) => c.req.query(key));
    // An account manager's reads are narrowed to their own accounts: there is no other owner to filter by.
    if (viewer?.ownAccountsOnly) delete filters.owner;
    const cursor = c.req.query("cursor")?.trim() || undefined;
    const sources = await getSyncStatus({ ctx });
    let page: PortfolioPage | null = null;
    let error: string | undefined;
    const input = listPortfolioInput.safeParse({ ...filters, cursor });
    if (!input.success) error = inputProblem(input.error) ?? undefined;
    else {
      try {
        page = await listPortfolio({ ctx, input: input.data });
      } catch (caught) {
        const problem = inputProblem(caught);
        if (problem === null) throw caught;
        error = problem;
      }
    }
    // The totals row covers every page the filters select (its own aggregate over the same summaries).
    const [totals, owners, tour] = await Promise.all([
      page && input.success ? getPortfolioTotals({ ctx, input: input.data }) : null,
      viewer?.ownAccountsOnly ? [] : listAccountOwners({ ctx }),
      tourPending(ctx),
    ]);
    const view = (
      <PortfolioView
        filters={filters}
        page={page}
        totals={totals}
        sources={sources}
        today={ctx.clock().toISOString().slice(0, 10)}
        error={error}
        notice={notices[c.req.query("notice") ?? ""]}
        lastSync={lastFinishedSync(sources)}
        running={syncsRunning(sources)}
        owners={owners}
        paged={cursor !== undefined}
        viewer={viewer}
        tourPending={tour}
      />
    );
    return c.html(view, error ? 400 : 200);
  });

  app.get("/finance", async (c) => {
    const ctx = c.var.ctx;
    if (!ctx) return c.redirect(signInHref(c.req.url), 303);
    const metrics = (await getPortfolioMetrics({ ctx, input: {} })) as unknown as PortfolioMetricsView;
    return c.html(<MetricsView metrics={metrics} viewer={viewerOf(ctx, c.var.csrfToken, c.var.deps)} />);
  });

  app.post("/tour", async (c) => {
    const ctx = c.var.ctx;
    if (!ctx) return c.redirect(signInHref("/"), 303);
    const body = await c.req.parseBody();
    await setTourDismissed(ctx, body.tour !== "restart");
    return c.redirect(body.tour === "restart" ? "/#tour" : "/", 303);
  });

  app.post("/refresh", async (c) => {
    const ctx = c.var.ctx;
    if (!ctx) return c.redirect(signInHref("/"), 303);
    if (!can(ctx.actor, "sync.refresh")) {
      const page = (
        <MessagePage
          title="Refresh is not for your role"
          message="Your role can read the portfolio but not refresh its sources. Ask an admin of your workspace if you need to."
          viewer={viewerOf(ctx, c.var.csrfToken, c.var.deps)}
        />
      );
      return c.html(page, 403);
    }
    await requestSync({ ctx, jobs: c.var.deps.jobs, input: { reason: "manual" } });
    // Back to the same grid: only known filter keys survive, and the target is always our own "/".
    const body = await c.req.parseBody();
    const back = new URLSearchParams(typeof body.back === "string" ? body.back.slice(0, 1000) : "");
    const filters = readFilters((key) => back.get(key) ?? undefined);
    return c.redirect(portfolioHref(filters, { notice: "refresh" }), 303);
  });

  app.get("/accounts/:id", async (c) => {
    const ctx = c.var.ctx;
    if (!ctx) return c.redirect(signInHref(c.req.url), 303);
    const viewer = viewerOf(ctx, c.var.csrfToken, c.var.deps);
    let detail: AccountDetail | null;
    try {
      detail = await getAccountDetail({ ctx, input: { accountId: c.req.param("id") } });
    } catch (caught) {
      if (!(caught instanceof ZodError)) throw caught;
      const page = (
        <MessagePage title="Not an account id" message="That address does not name an account." viewer={viewer} />
      );
      return c.html(page, 400);
    }
    // Another owner's account, for an account manager, is the same "not found" as an unknown id: nothing leaks.
    if (!detail) {
      const page = (
        <MessagePage
          title="Account not found"
          message="No account with that id; it may have been removed or merged."
          viewer={viewer}
        />
      );
      return c.html(page, 404);
    }
    const today = ctx.clock().toISOString().slice(0, 10);
    const retries = await listPaymentRetries({ ctx, input: { accountId: detail.account.id, limit: 50 } });
    return c.html(
      <AccountView
        detail={detail}
        lastSync={lastFinishedSync(detail.sync)}
        today={today}
        viewer={viewer}
        retries={retries.retries}
        can={{ retry: can(ctx.actor, "payments.retry.request"), flag: can(ctx.actor, "flags.create") }}
        notice={actionNotices[c.req.query("notice") ?? ""]}
      />,
    );
  });
}
