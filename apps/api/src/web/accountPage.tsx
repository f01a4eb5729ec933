// The account detail page (mock-up 2): links, status, usage with trend charts, invoices, payments, reconciliation, sync.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AccountDetail, PaymentRetry } from "@reckon/core";
import type { Child } from "hono/jsx";
import { InvoicesTable, PaymentsTable } from "./accountTables";
import { FlagForm, RetryPanel } from "./actionForms";
import { DiscrepancyList, FindingsTimeline, ProjectionLine } from "./findings";
import {
  accountStatusLabel,
  formatInstant,
  formatMoney,
  formatPeriod,
  formatQuantity,
  plural,
  sourceLabel,
} from "./format";
import { Layout } from "./layout";
import { PartialSyncBanner, ReconnectNotice, StaleBanner } from "./syncBanners";
import { SyncHeader, syncsRunning } from "./syncHeader";
import { TrendChart } from "./trendChart";
import type { Viewer } from "./viewer";

export interface AccountViewProps {
  detail: AccountDetail;
  lastSync: string | null;
  /** Today as YYYY-MM-DD in the tenant's clock (past-due marks, the month in progress). */
  today: string;
  viewer: Viewer | null;
  /** The account's payment retry requests, newest first (the Retry payment panel shows each payment's newest). */
  retries: PaymentRetry[];
  /** May ask finance to retry a payment / flag an issue (the role's permissions). */
  can: { retry: boolean; flag: boolean };
  /** What an action that redirected here did. */
  notice?: string | undefined;
}

export function AccountView({ detail, lastSync, today, viewer, retries, can, notice }: AccountViewProps) {
  const { account, status } = detail;
  return (
    <Layout
      title={`Reckon — ${account.name}`}
      viewer={viewer}
      sync={<SyncHeader lastSync={lastSync} back="" viewer={viewer} running={syncsRunning(detail.sync)} />}
    >
      <p>
        <a href="/">← Portfolio</a>
      </p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ReconnectNotice freshness={detail.freshness} viewer={viewer} />
      <PartialSyncBanner runs={detail.partialSyncs} />
      <StaleBanner freshness={detail.freshness} />
      <section class="card" aria-labelledby="account-name">
        <h2 id="account-name">
          {account.name}{" "}
          {status ? <span class={`badge ${status.status}`}>{accountStatusLabel(status.status)}</span> : null}
        </h2>
        <p class={status?.outlier ? "red" : undefined}>
          {status?.outlier ? <strong>⚠ Outlier: </strong> : null}
          {status ? status.headline : "Not reconciled yet."}
        </p>
        <dl class="facts">
          <dt>Owner</dt>
          <dd>{account.owner ? `${account.owner.name} (${account.owner.email})` : "Unassigned"}</dd>
          {(["quickbooks", "stripe", "amplitude"] as const).map((source) => {
            const link = account.links[source];
            return (
              <>
                <dt>{sourceLabel(source)}</dt>
                <dd>
                  {link ? (
                    <>
                      <code>{link.id}</code>
                      <LinkMethod method={link.method} />
                    </>
                  ) : (
                    <span class="muted">Not linked</span>
                  )}
                </dd>
              </>
            );
          })}
          {status ? (
            <>
              <dt>Discrepancies</dt>
              <dd class={status.discrepancyCount > 0 ? "red" : undefined}>{status.discrepancyCount}</dd>
              <dt>Reconciled</dt>
              <dd>{formatInstant(status.reconciledAt)}</dd>
            </>
          ) : null}
          <AutoReconciled detail={detail} />
        </dl>
        <section id="actions" aria-label="Actions" style="margin-top:.75rem">
          <h3>Retry payment</h3>
          <RetryPanel
            accountId={account.id}
            payments={detail.payments}
            retries={retries}
            viewer={viewer}
            canRequest={can.retry}
          />
          {viewer?.canExport ? <AccountExports accountId={account.id} viewer={viewer} /> : null}
          {can.flag ? (
            <FlagForm
              accountId={account.id}
              currency={detail.invoices[0]?.total.currency ?? detail.payments[0]?.amount.currency ?? "USD"}
              viewer={viewer}
            />
          ) : null}
        </section>
      </section>

      <h2 id="usage">Usage summary</h2>
      {detail.usage.length === 0 ? (
        <p class="muted">No usage from Amplitude for this account.</p>
      ) : (
        <div class="grid2">
          {detail.usage.map((u) => (
            <section class="card chart" aria-label={`Usage: ${u.metric}`}>
              <h3>{u.metric}</h3>
              <p>
                Month to date: <strong>{`${formatQuantity(u.monthToDate)} ${u.unit}`}</strong>
              </p>
              <ProjectionLine forecast={detail.forecast} metric={u.metric} unit={u.unit} />
              <TrendChart metric={u.metric} unit={u.unit} months={u.months} currentPeriod={today.slice(0, 7)} />
            </section>
          ))}
        </div>
      )}

      <h2 id="flags">Open flags{detail.openFlagCount > 0 ? ` (${detail.openFlagCount})` : ""}</h2>
      <OpenFlags flags={detail.flags} />

      <h2 id="discrepancies">Discrepancies</h2>
      <DiscrepancyList discrepancies={detail.discrepancies} />
      <FindingsTimeline timeline={detail.timeline} />

      <h2 id="invoices-heading">Invoices</h2>
      <InvoicesTable invoices={detail.invoices} today={today} />

      <h2 id="payments-heading">Payments</h2>
      <PaymentsTable payments={detail.payments} invoices={detail.invoices} />

      <h2 id="reconciliation">Reconciliation</h2>
      <Timeline results={detail.reconciliation} />

      <h2 id="sync">Last sync per source</h2>
      <SyncTable sources={detail.sync} />
    </Layout>
  );
}

/**
 * The mock-up's "Last Sync | Auto-Reconciled": the newest finished sync of any source, and whether every billed period
 * matched within the tolerance with nothing left open (Yes), or what a person still has to look at (No).
 */
export function AutoReconciled({ detail }: { detail: AccountDetail }) {
  const lastSync = detail.sync
    .map((s) => s.lastRun?.finishedAt ?? null)
    .filter((at): at is string => at !== null)
    .sort()
    .at(-1);
  const closed = detail.reconciliation.filter((r) => r.status !== "in_progress");
  const mismatched = closed.filter((r) => r.status !== "matched").length;
  const open = detail.discrepancies.length;
  let answer: Child;
  if (closed.length === 0) answer = <span class="muted">Not yet: no billed period to match</span>;
  else if (mismatched === 0 && open === 0 && !detail.partialSync) answer = <strong class="green">Yes</strong>;
  else {
    const reasons = [
      mismatched > 0 ? `${plural(mismatched, "period")} outside the tolerance` : null,
      open > 0 ? (open === 1 ? "1 open discrepancy" : `${open} open discrepancies`) : null,
      detail.partialSync ? "a partial sync to resolve" : null,
    ].filter(Boolean);
    answer = (
      <span class="red">
        No: {reasons.join(", ")} (<a href="#discrepancies">see below</a>)
      </span>
    );
  }
  return (
    <>
      <dt>Last sync</dt>
      <dd>{lastSync ? formatInstant(lastSync) : <span class="muted">Never</span>}</dd>
      <dt>Auto-reconciled</dt>
      <dd id="auto-reconciled">{answer}</dd>
    </>
  );
}

/** How a link was made: an explicit id needs no note; a suggestion is marked until an admin confirms it. */
function LinkMethod({ method }: { method: string }) {
  if (method === "explicit") return null;
  if (method === "suggested") {
    return (
      <span class="badge attention" title="Matched by name or email domain; an admin has not confirmed it yet">
        suggested
      </span>
    );
  }
  return <span class="muted"> ({method})</span>;
}

function Timeline({ results }: { results: AccountDetail["reconciliation"] }) {
  if (results.length === 0) return <p class="muted">No reconciliation results yet.</p>;
  return (
    <ol class="timeline" id="timeline">
      {results.map((r) => (
        <li class={r.status}>
          <strong>{formatPeriod(r.period)}</strong>{" "}
          <span
            class={r.status === "discrepancy" ? "badge bad" : r.status === "matched" ? "badge ok" : "badge attention"}
          >
            {r.status === "discrepancy" ? "⚠ Discrepancy" : r.status === "matched" ? "Matched" : "In progress"}
          </span>
          <br />
          <span class={r.status === "discrepancy" ? "red" : undefined}>{r.explanation}</span>
        </li>
      ))}
    </ol>
  );
}

function SyncTable({ sources }: { sources: AccountDetail["sync"] }) {
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Last run</th>
            <th scope="col">Finished</th>
            <th scope="col">Records</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => {
            const run = s.lastRun;
            const bad = run && run.status !== "complete" && run.status !== "running";
            const records = run ? Object.values(run.counts).reduce((sum, n) => sum + n, 0) : 0;
            return (
              <tr>
                <th scope="row">{sourceLabel(s.source)}</th>
                <td class={bad ? "red" : undefined}>
                  {!s.connected ? "Not connected" : run ? `${run.status} (${run.mode})` : "Never run"}
                </td>
                <td class="nowrap">{run?.finishedAt ? formatInstant(run.finishedAt) : "—"}</td>
                <td class="num">{run ? plural(records, "record") : "—"}</td>
                <td class={run?.errors.length ? "red" : undefined}>
                  {run?.errors.length ? run.errors.map((e) => `${e.kind}: ${e.message}`).join("; ") : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** People's flags on the account that finance has not resolved: why, how much, who raised it and where. */
function OpenFlags({ flags }: { flags: AccountDetail["flags"] }) {
  if (flags.length === 0) return <p class="muted">No open flags.</p>;
  return (
    <ol class="timeline">
      {flags.map((flag) => (
        <li class="discrepancy">
          <strong>{flag.reason.replaceAll("_", " ")}</strong>
          {flag.amount ? <> · {formatMoney(flag.amount)}</> : null}
          {flag.note ? <p>{flag.note}</p> : null}
          <span class="headline">
            Raised by {flag.raisedBy?.name ?? "Reckon"} via {flag.raisedVia} on {formatInstant(flag.createdAt)}
            {flag.slackThread ? "; discussed in the finance channel's thread" : ""}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** The account's exports: the forecast report (PDF) and its invoices and payments (CSV), posted with the CSRF token. */
function AccountExports({ accountId, viewer }: { accountId: string; viewer: Viewer }) {
  const exports = [
    ["forecast.pdf", "Forecast report (PDF)"],
    ["invoices", "Invoices (CSV)"],
    ["payments", "Payments (CSV)"],
  ] as const;
  return (
    <div class="exports">
      {exports.map(([path, label]) => (
        <form method="post" action={`/v1/exports/accounts/${accountId}/${path}`} class="inline">
          <input type="hidden" name="_csrf" value={viewer.csrfToken} />
          <button type="submit" class="secondary">
            {label}
          </button>
        </form>
      ))}
    </div>
  );
}
