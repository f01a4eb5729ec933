// The fault suite's webhook endpoint: the sandbox's sender POSTs signed deliveries here and they go through the core
// verbs the API's routes call (signature first, then dedup by event id, then the job that re-fetches and applies).
// The API app itself cannot be used from packages/core (it depends on core), so this stands in for its two routes.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { queryRows, type SyncSource } from "@reckon/db";
import type { RunningSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import type { ServiceContext, TenantContext } from "../../src/context";
import type { JobRunner } from "../../src/jobs/runner";
import { receiveQuickbooksWebhook } from "../../src/webhooks/receiveQuickbooksWebhook";
import { receiveStripeWebhook, type WebhookAnswer } from "../../src/webhooks/receiveStripeWebhook";
import { until } from "./privateServices";

export interface WebhookAnswerLog {
  target: "stripe" | "quickbooks";
  slug: string;
  status: number;
  answer: WebhookAnswer;
}

export interface WebhookEndpoint {
  /** Points a tenant's sandbox sender here: Stripe by the tenant's slug, as the API's route takes it. */
  connect(slug: string, sandbox: RunningSandbox): void;
  /** Every answer given, oldest first. */
  readonly answers: readonly WebhookAnswerLog[];
  url: string;
  close(): Promise<void>;
}

const statusOf = (answer: WebhookAnswer) => (answer.ok ? 200 : answer.reason === "unauthorized" ? 401 : 400);

export async function startWebhookEndpoint(services: ServiceContext, jobs: JobRunner): Promise<WebhookEndpoint> {
  // One Intuit app in production; here each tenant's sandbox signs with its own verifier token.
  const verifierTokens = new Map<string, string>();
  const answers: WebhookAnswerLog[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === "string" ? value : undefined;
    };
    const [, target, slug = ""] = (request.url ?? "").split("/");
    try {
      const answer =
        target === "stripe"
          ? await receiveStripeWebhook({
              services,
              jobs,
              input: { tenantSlug: slug, rawBody, signature: header("stripe-signature") },
            })
          : target === "quickbooks"
            ? await receiveQuickbooksWebhook({
                services,
                jobs,
                verifierToken: verifierTokens.get(slug) ?? null,
                input: { rawBody, signature: header("intuit-signature") },
              })
            : null;
      if (!answer) {
        response.writeHead(404).end();
        return;
      }
      answers.push({ target: target as "stripe" | "quickbooks", slug, status: statusOf(answer), answer });
      response.writeHead(statusOf(answer), { "content-type": "application/json" }).end(JSON.stringify(answer));
    } catch (error) {
      // A 5xx makes the sender retry, as Stripe and Intuit do; the test sees it in the delivery's attempts.
      response.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    answers,
    connect(slug, sandbox) {
      verifierTokens.set(slug, sandbox.webhooks.intuitVerifierToken);
      sandbox.webhooks.configure({ stripe: `${url}/stripe/${slug}`, quickbooks: `${url}/quickbooks/${slug}` });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tenant's recorded webhook events: what dedup kept (one row per event id) and how each was applied. */
export async function webhookRows(ctx: TenantContext) {
  return queryRows<{ source: string; event_id: string; outcome: string; charge_id: string | null; detail: unknown }>(
    ctx.tenant.db,
    sql`select source, event_id, outcome, detail->>'chargeId' as charge_id, detail from webhook_events
        where tenant_id = ${ctx.tenant.tenantId}::uuid order by received_at`,
  );
}

/** The tenant's workspace slug: the Stripe endpoint URL carries it. */
export async function slugOf(ctx: TenantContext): Promise<string> {
  const [row] = await queryRows<{ slug: string }>(
    ctx.tenant.db,
    sql`select slug from tenants where id = ${ctx.tenant.tenantId}::uuid`,
  );
  return row!.slug;
}

/**
 * Waits until `source` has answered `okCount` requests (its sync is mid-way, its next request held by a delay fault),
 * then runs the deliveries one after another. Answers whether the run under way then was still running once the
 * first delivery had been answered: the webhooks landed mid-sync, not before or after it.
 */
export async function deliverMidSync(
  ctx: TenantContext,
  sandbox: RunningSandbox,
  source: SyncSource,
  okCount: number,
  deliveries: ReadonlyArray<() => Promise<unknown>>,
): Promise<boolean> {
  await until(() => sandbox.faults.requestCount(source) >= okCount, `${okCount} ${source} answers`);
  const running = () =>
    queryRows<{ id: string }>(
      ctx.tenant.db,
      sql`select id from sync_runs where tenant_id = ${ctx.tenant.tenantId}::uuid and source = ${source}
            and status = 'running'`,
    );
  const [underWay] = await running();
  let landedMidSync = false;
  for (const [index, deliver] of deliveries.entries()) {
    await deliver();
    if (index === 0) landedMidSync = underWay !== undefined && (await running()).some((r) => r.id === underWay.id);
  }
  return landedMidSync;
}
