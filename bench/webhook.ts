// Webhook to reconciliation: the whole stack (API, in-process jobs, sandbox) on PostgreSQL; each round the sandbox
// records a declined Stripe charge against an open invoice and delivers its signed webhook over HTTP to the real
// route, and the clock runs until that account's reconciliation holds the failed-payment finding naming the charge.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { fmt, log, type Percentiles, percentiles, round } from "./report";
import { startBenchStack } from "./stack";

export interface WebhookResult {
  accounts: number;
  deliveries: number;
  /** Rounds whose finding never appeared within the give-up time (counted as failures, not in the percentiles). */
  missed: number;
  /** Sandbox change (charge stored, webhook about to be sent) to the account's finding stored. */
  latencyMs: Percentiles;
}

/** Long enough to see a slow result, short enough that a broken path ends the bench. */
const giveUpMs = 30_000;

export async function webhookLag(databaseUrl: string, options: { accounts: number; deliveries: number }) {
  log(`webhook -> reconciliation: starting the stack (${fmt(options.accounts)} demo accounts on PostgreSQL) ...`);
  const stack = await startBenchStack(databaseUrl, options.accounts, "webhook");
  const { runtime } = stack;
  try {
    const db = runtime.services.db;
    const sandbox = runtime.demo!.sandbox;
    // Accounts with a Stripe customer and an open invoice: a declined charge naming it is a failed-payment finding.
    const targets = await queryRows<{ account_id: string; customer_id: string; invoice_id: string; balance: string }>(
      db,
      sql`select distinct on (a.id) a.id as account_id, a.stripe_customer_id as customer_id, i.source_id as invoice_id,
                 i.balance_minor::text as balance
          from accounts a join invoices i on i.tenant_id = a.tenant_id and i.customer_source_id = a.quickbooks_customer_id
          where a.stripe_customer_id is not null and i.balance_minor > 0 and not i.deleted
          order by a.id, i.issued_on desc`,
    );
    if (targets.length === 0) throw new Error("bench: no account with a Stripe customer and an open invoice");
    const samples: number[] = [];
    let missed = 0;
    for (let n = 0; n < options.deliveries; n++) {
      const target = targets[n % targets.length]!;
      const started = performance.now();
      const change = sandbox.changes.addCharge({
        customerId: target.customer_id,
        amount: Number(target.balance),
        failed: true,
        metadata: { quickbooks_invoice_id: target.invoice_id },
      });
      const chargeId = change.charge.id;
      let reflected = false;
      while (performance.now() - started < giveUpMs) {
        const [found] = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from discrepancies
              where account_id = ${target.account_id}::uuid and kind = 'failed_payment' and resolved_at is null
                and source_ids ? ${chargeId}`,
        );
        if (found && found.n > 0) {
          reflected = true;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (reflected) samples.push(performance.now() - started);
      else missed++;
      await change.delivered;
    }
    await runtime.services.jobs.drain();
    const result: WebhookResult = {
      accounts: options.accounts,
      deliveries: options.deliveries,
      missed,
      latencyMs: percentiles(samples.length > 0 ? samples : [Number.NaN]),
    };
    log(`  ${fmt(samples.length)} of ${fmt(options.deliveries)} reflected, p95 ${round(result.latencyMs.p95)} ms`);
    return result;
  } finally {
    await stack.stop();
  }
}
