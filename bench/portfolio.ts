// After ingest: link and reconcile the whole tenant, then time portfolio pages (owner, whole tenant, status filter).
import { linkAccounts, listPortfolio, reconcileTenant, type TenantContext } from "@reckon/core";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { fmt, log, type Percentiles, percentiles, timed } from "./report";

export interface ReconcileResult {
  linkMs: number;
  analyzeMs: number;
  reconcileMs: number;
  accounts: number;
  accountsPerSec: number;
  discrepancies: number;
  linked: { accounts: number; withStripe: number; withAmplitude: number; withOwner: number };
  statuses: Record<string, number>;
}

export async function reconcileAll(ctx: TenantContext): Promise<ReconcileResult> {
  const t = ctx.tenant.tenantId;
  log("link accounts ...");
  const link = await timed(() => linkAccounts({ ctx }));
  const [linked] = await queryRows<{ accounts: number; stripe: number; amplitude: number; owner: number }>(
    ctx.db,
    sql`select count(*)::int as accounts, count(stripe_customer_id)::int as stripe,
               count(amplitude_group_id)::int as amplitude, count(owner_id)::int as owner
        from accounts where tenant_id = ${t}::uuid`,
  );
  // Fresh statistics, as autovacuum would gather shortly after a bulk load.
  const analyze = await timed(() => queryRows(ctx.db, sql`analyze`));
  log(`reconcile ${fmt(linked?.accounts ?? 0)} accounts ...`);
  const reconciled = await timed(() => reconcileTenant({ ctx, input: {} }));
  const statuses = await queryRows<{ status: string; n: number }>(
    ctx.db,
    sql`select status, count(*)::int as n from account_summaries where tenant_id = ${t}::uuid group by status order by status`,
  );
  return {
    linkMs: link.ms,
    analyzeMs: analyze.ms,
    reconcileMs: reconciled.ms,
    accounts: reconciled.value.accounts,
    accountsPerSec: (reconciled.value.accounts / reconciled.ms) * 1000,
    discrepancies: reconciled.value.discrepancies,
    linked: {
      accounts: linked?.accounts ?? 0,
      withStripe: linked?.stripe ?? 0,
      withAmplitude: linked?.amplitude ?? 0,
      withOwner: linked?.owner ?? 0,
    },
    statuses: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
  };
}

export interface QueryResult {
  name: string;
  description: string;
  runs: number;
  rowsPerPage: number;
  latency: Percentiles;
}

type Input = Parameters<typeof listPortfolio>[0]["input"];

/** Runs `inputFor(k)` `runs` times after a few warm-up calls; `onPage` sees each page (to follow cursors). */
async function measure(
  ctx: TenantContext,
  name: string,
  description: string,
  runs: number,
  inputFor: (k: number) => Input,
  onPage: (nextCursor: string | null) => void = () => {},
): Promise<QueryResult> {
  for (let k = 0; k < 5; k++) await listPortfolio({ ctx, input: inputFor(k) });
  const sample: number[] = [];
  let rows = 0;
  for (let k = 0; k < runs; k++) {
    const input = inputFor(k);
    const started = performance.now();
    const page = await listPortfolio({ ctx, input });
    sample.push(performance.now() - started);
    rows += page.rows.length;
    onPage(page.nextCursor);
  }
  const latency = percentiles(sample);
  log(`  ${name}: p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms`);
  return { name, description, runs, rowsPerPage: rows / runs, latency };
}

export async function portfolioQueries(ctx: TenantContext, runs: number): Promise<QueryResult[]> {
  const owners = await queryRows<{ id: string }>(
    ctx.db,
    sql`select id from users where tenant_id = ${ctx.tenant.tenantId}::uuid order by email`,
  );
  log(`portfolio queries (${runs} runs each) ...`);
  const statuses = ["ok", "attention", "at_risk"] as const;
  let cursor: string | null = null;
  return [
    await measure(ctx, "owner page", "an owner's first page of 50, by name (owners rotate)", runs, (k) => ({
      owner: owners[k % owners.length]!.id,
      limit: 50,
    })),
    await measure(
      ctx,
      "tenant page",
      "whole tenant, 50 by name, walking the keyset cursor (wraps at the end)",
      runs,
      () => ({ sort: "name", limit: 50, ...(cursor ? { cursor } : {}) }),
      (next) => {
        cursor = next;
      },
    ),
    await measure(ctx, "status + outstanding", "status filter (rotating), 50 by outstanding desc", runs, (k) => ({
      status: statuses[k % statuses.length]!,
      sort: "-outstanding",
      limit: 50,
    })),
  ];
}
