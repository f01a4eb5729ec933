// The web view's actions, the same verbs as the API, Slack and the CRM cards: Retry payment and Flag issue from the
// account page, and finance's pages of approvals waiting and open flags. Plain forms and redirects (no JavaScript).
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { OpenAPIHono } from "@hono/zod-openapi";
import {
  announceToSlack,
  can,
  createFlag,
  decidePaymentRetry,
  exportPortfolioCsv,
  exportPortfolioInput,
  exportPortfolioPdf,
  type Flag,
  listFlags,
  listPaymentRetries,
  type PaymentRetry,
  type Permission,
  quarterOfLabel,
  requestPaymentRetry,
  resolveFlag,
  type TenantContext,
} from "@reckon/core";

import type { Context } from "hono";
import { ZodError } from "zod";
import type { AppEnv } from "../app";
import { actionNotices, retryStatusText } from "./actionForms";
import { currencyExponent, formatInstant, formatMoney } from "./format";
import { Layout, MessagePage } from "./layout";
import { signInHref, type Viewer, viewerOf } from "./viewer";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Guarded = { ctx: TenantContext; viewer: Viewer | null } | Response;

/** The signed-in caller, when their role allows `permission`; otherwise the page that says why not. */
export async function guard(c: Context<AppEnv>, permission: Permission, what: string): Promise<Guarded> {
  const ctx = c.var.ctx;
  if (!ctx) return c.redirect(signInHref(c.req.url), 303);
  const viewer = viewerOf(ctx, c.var.csrfToken, c.var.deps);
  if (!can(ctx.actor, permission)) {
    return c.html(
      <MessagePage
        title={`${what} is not for your role`}
        message="Your role does not allow this. Ask an admin of your workspace if you need it."
        viewer={viewer}
      />,
      403,
    );
  }
  return { ctx, viewer };
}

export function refusal(
  c: Context<AppEnv>,
  viewer: Viewer | null,
  status: 400 | 404 | 409,
  title: string,
  message: string,
  back: string,
) {
  return c.html(
    <MessagePage title={title} message={message} viewer={viewer} back={{ href: back, label: "Back" }} />,
    status,
  );
}

export const field = (body: Record<string, unknown>, key: string) =>
  typeof body[key] === "string" ? (body[key] as string) : "";

/** "1234.5" in the account's currency as minor units; null when it is not an amount with at most its decimals. */
export function amountToMinor(text: string, currency: string): string | null {
  const digits = currencyExponent(currency);
  const match = /^(\d{1,15})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match || (match[2] ?? "").length > digits) return null;
  const minor = BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt((match[2] ?? "").padEnd(digits, "0") || "0");
  return minor > 0n ? minor.toString() : null;
}

export function registerActionRoutes(app: OpenAPIHono<AppEnv>) {
  for (const path of ["/approvals", "/flags"]) {
    app.use(path, async (c, next) => {
      await next();
      c.header("cache-control", "no-store");
    });
  }

  app.post("/portfolio/export", async (c) => {
    const caller = await guard(c, "exports.create", "Exporting");
    if (caller instanceof Response) return caller;
    const body = await c.req.parseBody();
    const format = field(body, "format") === "pdf" ? "pdf" : "csv";
    const filters = Object.fromEntries(
      ["q", "status", "owner", "from", "to", "sort"].flatMap((key) => {
        const value = field(body, key).trim();
        return value ? [[key, value]] : [];
      }),
    );
    // The grid's quarter is its due-date range: exported as that range (the export names its dates).
    const quarter = field(body, "quarter").trim();
    if (/^\d{4}-Q[1-4]$/.test(quarter) && !filters.from && !filters.to) {
      const { start, end } = quarterOfLabel(quarter);
      Object.assign(filters, { from: start, to: end });
    }
    const input = exportPortfolioInput.safeParse(filters);
    if (!input.success) {
      const words = input.error.issues.map((i) => `${String(i.path[0] ?? "filters")}: ${i.message}`).join("; ");
      return refusal(c, caller.viewer, 400, "Not exported", `These filters can't be exported (${words}).`, "/");
    }
    const result =
      format === "pdf"
        ? await exportPortfolioPdf({ ctx: caller.ctx, input: input.data })
        : await exportPortfolioCsv({ ctx: caller.ctx, input: input.data });
    if (!result.ok) {
      const message =
        result.reason === "not_found"
          ? "Nothing to export."
          : `This export holds ${result.requested > 100 ? "more than 100" : result.requested} records; a session may export 100 and ${result.remaining} are left. Narrow the filters (owner, status, search, dates) and export again.`;
      return refusal(c, caller.viewer, 409, "Not exported", message, "/");
    }
    return c.body(result.body as ReadableStream, 200, {
      "content-type": result.contentType,
      "content-disposition": `attachment; filename="${result.filename}"`,
      "cache-control": "no-store",
    });
  });

  app.post("/accounts/:id/payment-retries", async (c) => {
    const caller = await guard(c, "payments.retry.request", "Retry payment");
    if (caller instanceof Response) return caller;
    const accountId = c.req.param("id");
    const back = `/accounts/${encodeURIComponent(accountId)}`;
    const paymentId = field(await c.req.parseBody(), "paymentId").trim();
    if (!uuid.test(accountId) || !paymentId || paymentId.length > 255) {
      return refusal(
        c,
        caller.viewer,
        400,
        "Nothing to retry",
        "That form did not name a payment. Reload the page and try again.",
        back,
      );
    }
    const answer = await requestPaymentRetry({ ctx: caller.ctx, input: { accountId, paymentId } });
    if (!answer.ok) {
      const messages = {
        account_not_found: "No account with that id is yours to see.",
        payment_not_found: "That account has no Stripe payment with that id.",
        invoice_not_found: "That account has no such invoice.",
        not_failed: "That payment did not fail, or it has been paid since: there is nothing to retry.",
        not_retryable: "That charge has no Stripe PaymentIntent, so Stripe cannot retry it.",
      } as const;
      const status = answer.reason === "not_failed" || answer.reason === "not_retryable" ? 409 : 404;
      return refusal(c, caller.viewer, status, "Retry not requested", messages[answer.reason], back);
    }
    if (answer.created)
      await announceToSlack(c.var.deps.jobs, caller.ctx.tenant.tenantId, "payment_retry", answer.retry.id);
    return c.redirect(`${back}?notice=${answer.created ? "retry_requested" : "retry_open"}#actions`, 303);
  });

  app.post("/accounts/:id/flags", async (c) => {
    const caller = await guard(c, "flags.create", "Flag issue");
    if (caller instanceof Response) return caller;
    const accountId = c.req.param("id");
    const back = `/accounts/${encodeURIComponent(accountId)}`;
    const body = await c.req.parseBody();
    const currency = field(body, "currency").trim().toUpperCase();
    const amountText = field(body, "amount").trim();
    const amount = amountText ? amountToMinor(amountText, currency || "USD") : undefined;
    if (amount === null) {
      return refusal(
        c,
        caller.viewer,
        400,
        "Not flagged",
        `"${amountText}" is not an amount in ${currency || "the account's currency"}: write it like 1250.50, or leave it empty.`,
        back,
      );
    }
    try {
      const note = field(body, "note").trim();
      const answer = await createFlag({
        ctx: caller.ctx,
        input: {
          accountId,
          reason: field(body, "reason") as Flag["reason"],
          ...(note ? { note } : {}),
          ...(amount ? { amount: { minor: amount, currency } } : {}),
        },
      });
      if (!answer.ok)
        return refusal(c, caller.viewer, 404, "Not flagged", "No account with that id is yours to flag.", back);
      await announceToSlack(c.var.deps.jobs, caller.ctx.tenant.tenantId, "flag", answer.flag.id);
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      const words = error.issues.map((i) => `${String(i.path[0] ?? "form")}: ${i.message}`).join("; ");
      return refusal(c, caller.viewer, 400, "Not flagged", `The flag was not recorded (${words}).`, back);
    }
    return c.redirect(`${back}?notice=flagged#flags`, 303);
  });

  app.get("/approvals", async (c) => {
    const caller = await guard(c, "payments.retry.approve", "Approvals");
    if (caller instanceof Response) return caller;
    const [waiting, recent] = await Promise.all([
      listPaymentRetries({ ctx: caller.ctx, input: { status: "requested", limit: 100 } }),
      listPaymentRetries({ ctx: caller.ctx, input: { limit: 20 } }),
    ]);
    const decided = recent.retries.filter((r) => r.status !== "requested");
    return c.html(
      <ApprovalsPage
        waiting={waiting.retries}
        decided={decided}
        viewer={caller.viewer}
        notice={actionNotices[c.req.query("notice") ?? ""]}
      />,
    );
  });

  for (const decision of ["approve", "reject"] as const) {
    app.post(`/approvals/:id/${decision}`, async (c) => {
      const caller = await guard(c, "payments.retry.approve", "Approving a retry");
      if (caller instanceof Response) return caller;
      const retryId = c.req.param("id");
      if (!uuid.test(retryId))
        return refusal(c, caller.viewer, 400, "Not a request", "That address names no retry request.", "/approvals");
      const reason = field(await c.req.parseBody(), "reason")
        .trim()
        .slice(0, 1000);
      const jobs = c.var.deps.jobs;
      const answer = await decidePaymentRetry({
        ctx: caller.ctx,
        jobs,
        input: { retryId, decision, ...(reason ? { reason } : {}) },
      });
      if (!answer.ok) {
        if (answer.reason === "not_found") {
          return refusal(
            c,
            caller.viewer,
            404,
            "No such request",
            "That retry request does not exist in this workspace.",
            "/approvals",
          );
        }
        return refusal(
          c,
          caller.viewer,
          409,
          "Decided already",
          `That retry was ${retryStatusText(answer.retry)} already; a new retry needs a new request.`,
          "/approvals",
        );
      }
      if (!answer.replayed) await announceToSlack(jobs, caller.ctx.tenant.tenantId, "payment_retry", retryId);
      return c.redirect(`/approvals?notice=${decision === "approve" ? "approved" : "rejected"}`, 303);
    });
  }

  app.get("/flags", async (c) => {
    const caller = await guard(c, "flags.resolve", "Open flags");
    if (caller instanceof Response) return caller;
    const page = await listFlags({ ctx: caller.ctx, input: { status: "open", limit: 100 } });
    return c.html(
      <FlagsPage
        flags={page?.flags ?? []}
        viewer={caller.viewer}
        notice={actionNotices[c.req.query("notice") ?? ""]}
      />,
    );
  });

  app.post("/flags/:id/resolve", async (c) => {
    const caller = await guard(c, "flags.resolve", "Resolving a flag");
    if (caller instanceof Response) return caller;
    const flagId = c.req.param("id");
    if (!uuid.test(flagId))
      return refusal(c, caller.viewer, 400, "Not a flag", "That address names no flag.", "/flags");
    const resolution = field(await c.req.parseBody(), "resolution")
      .trim()
      .slice(0, 2000);
    const answer = await resolveFlag({ ctx: caller.ctx, input: { flagId, ...(resolution ? { resolution } : {}) } });
    if (!answer.ok)
      return refusal(c, caller.viewer, 404, "No such flag", "That flag does not exist in this workspace.", "/flags");
    if (!answer.alreadyResolved) await announceToSlack(c.var.deps.jobs, caller.ctx.tenant.tenantId, "flag", flagId);
    return c.redirect("/flags?notice=resolved", 303);
  });
}

export function Notice({ text }: { text: string | undefined }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}

function ApprovalsPage(props: {
  waiting: PaymentRetry[];
  decided: PaymentRetry[];
  viewer: Viewer | null;
  notice?: string | undefined;
}) {
  return (
    <Layout title="Reckon — Approvals" viewer={props.viewer}>
      <p>
        <a href="/">← Portfolio</a>
      </p>
      <Notice text={props.notice} />
      <h2 id="waiting">Payment retries waiting for finance ({props.waiting.length})</h2>
      {props.waiting.length === 0 ? (
        <p class="muted">
          Nothing is waiting. Account managers ask for retries from the account page, Slack or their CRM.
        </p>
      ) : (
        <ul class="plain">
          {props.waiting.map((retry) => (
            <li class="card">
              <p>
                <a href={`/accounts/${retry.account.id}`}>{retry.account.name}</a>:{" "}
                <strong>{formatMoney(retry.amount)}</strong>
                {retry.failure.code
                  ? ` failed (${retry.failure.code}${retry.failure.message ? `: ${retry.failure.message.replace(/\.$/, "")}` : ""})`
                  : " failed"}
                {retry.invoiceId ? `, invoice ${retry.invoiceId}` : ""}.
              </p>
              <p class="muted">
                Asked by {retry.requestedBy?.name ?? "someone"} via {retry.requestedVia},{" "}
                {formatInstant(retry.requestedAt)}
                {retry.note ? `: “${retry.note}”` : ""}
              </p>
              <div class="actions">
                <form method="post" action={`/approvals/${retry.id}/approve`} class="inline">
                  <input type="hidden" name="_csrf" value={props.viewer?.csrfToken ?? ""} />
                  <button type="submit">Approve</button>
                </form>
                <form method="post" action={`/approvals/${retry.id}/reject`} class="inline">
                  <input type="hidden" name="_csrf" value={props.viewer?.csrfToken ?? ""} />
                  <label for={`reason-${retry.id}`} class="sr-only">
                    Reason for rejecting
                  </label>
                  <input id={`reason-${retry.id}`} name="reason" placeholder="Reason (optional)" maxlength={1000} />
                  <button type="submit" class="secondary">
                    Reject
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2 id="decided">Recently decided</h2>
      {props.decided.length === 0 ? (
        <p class="muted">No decisions yet.</p>
      ) : (
        <ul class="plain">
          {props.decided.map((retry) => (
            <li>
              <a href={`/accounts/${retry.account.id}`}>{retry.account.name}</a> {formatMoney(retry.amount)}:{" "}
              {retryStatusText(retry)}
              {retry.outcome?.chargeId ? ` (charge ${retry.outcome.chargeId})` : ""}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function FlagsPage(props: { flags: Flag[]; viewer: Viewer | null; notice?: string | undefined }) {
  return (
    <Layout title="Reckon — Open flags" viewer={props.viewer}>
      <p>
        <a href="/">← Portfolio</a>
      </p>
      <Notice text={props.notice} />
      <h2>Open flags ({props.flags.length})</h2>
      {props.flags.length === 0 ? (
        <p class="muted">No open flags. People flag issues from the account page, Slack or their CRM.</p>
      ) : (
        <ul class="plain">
          {props.flags.map((flag) => (
            <li class="card">
              <p>
                <a href={`/accounts/${flag.account.id}`}>{flag.account.name}</a>:{" "}
                <strong>{flag.reason.replaceAll("_", " ")}</strong>
                {flag.amount ? `, ${formatMoney(flag.amount)}` : ""}
                {flag.note ? ` — ${flag.note}` : ""}
              </p>
              <p class="muted">
                Raised by {flag.raisedBy?.name ?? "someone"} via {flag.raisedVia}, {formatInstant(flag.createdAt)}
              </p>
              <form method="post" action={`/flags/${flag.id}/resolve`} class="inline">
                <input type="hidden" name="_csrf" value={props.viewer?.csrfToken ?? ""} />
                <label for={`resolution-${flag.id}`} class="sr-only">
                  Resolution
                </label>
                <input
                  id={`resolution-${flag.id}`}
                  name="resolution"
                  placeholder="What was done (optional)"
                  maxlength={2000}
                />
                <button type="submit">Resolve</button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
