// The portfolio grid (mock-up 1): filters in the URL, one row per account, outliers marked, cursor pages.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  type BaseTotal,
  type PortfolioPage,
  type PortfolioRow,
  type PortfolioTotals,
  quarterOfDay,
  type SourceStatus,
  shiftQuarter,
} from "@reckon/core";

import type { Child } from "hono/jsx";
import {
  accountStatusLabel,
  formatDay,
  formatMoney,
  formatQuantity,
  paymentLabel,
  plural,
  sourceLabel,
} from "./format";
import { Layout } from "./layout";
import { ReconnectNotice, StaleBanner } from "./syncBanners";
import { SyncHeader } from "./syncHeader";
import { Tour, TourRestart } from "./tour";
import type { Viewer } from "./viewer";

/** The grid's filters as the URL carries them (raw text: the verb validates). `limit` has no form field but is kept. */
export const filterKeys = ["q", "status", "owner", "quarter", "from", "to", "sort", "limit"] as const;
export type Filters = Partial<Record<(typeof filterKeys)[number], string>>;

const sortOptions: Array<[string, string]> = [
  ["name", "Name (A–Z)"],
  ["-name", "Name (Z–A)"],
  ["status", "Status (at risk first)"],
  ["-outstanding", "Outstanding (largest first)"],
  ["due", "Due date (soonest first)"],
  ["-due", "Due date (latest first)"],
  ["-usage", "Usage (highest first)"],
  ["-discrepancies", "Discrepancies (most first)"],
];

const statusOptions: Array<[string, string]> = [
  ["", "All"],
  ["ok", "OK"],
  ["attention", "Attention"],
  ["at_risk", "At risk"],
];

/** "/?q=acme&status=at_risk" with empty filters left out, plus any extra parameters. */
export function portfolioHref(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

export interface PortfolioViewProps {
  filters: Filters;
  /** Null when the filters were rejected (then `error` says why). */
  page: PortfolioPage | null;
  /** Every page's totals, for the row under the grid. */
  totals?: PortfolioTotals | null;
  /** Each source's connection and last run: an empty portfolio says which to connect or wait for. */
  sources?: SourceStatus[];
  /** Today in UTC (YYYY-MM-DD): the quarter choices are counted from it. */
  today?: string;
  error?: string;
  notice?: string;
  lastSync: string | null;
  /** Sources syncing right now (the header shows their progress). */
  running?: Array<{ source: string; records: number }>;
  /** Owners to offer in the owner select. */
  owners: Array<{ id: string; name: string }>;
  /** True when this page was reached through a cursor (offer the way back to the first page). */
  paged: boolean;
  viewer: Viewer | null;
  /** The viewer has not dismissed the first-login tour yet. */
  tourPending?: boolean;
}

export function PortfolioView(props: PortfolioViewProps) {
  const tour = props.viewer && props.tourPending ? <Tour viewer={props.viewer} /> : null;
  const { filters, page } = props;
  const filtered = filterKeys.some((key) => key !== "sort" && key !== "limit" && filters[key]);
  const ownAccountsOnly = props.viewer?.ownAccountsOnly ?? false;
  return (
    <Layout
      title="Reckon — Portfolio"
      viewer={props.viewer}
      sync={
        <SyncHeader
          lastSync={props.lastSync}
          back={portfolioHref(filters).slice(2)}
          viewer={props.viewer}
          running={props.running ?? []}
        />
      }
    >
      {tour}
      {page ? <ReconnectNotice freshness={page.freshness} viewer={props.viewer} /> : null}
      {page ? <StaleBanner freshness={page.freshness} /> : null}
      {ownAccountsOnly ? (
        <p class="note" id="own-portfolio">
          You see your own portfolio: the accounts you own. Ask an admin if an account is missing.
        </p>
      ) : null}
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.error ? (
        <div class="error" role="alert">
          <strong>These filters can't be used:</strong> {props.error} <a href="/">Clear all filters</a>
        </div>
      ) : null}
      <FilterForm
        filters={filters}
        owners={props.owners}
        ownerField={!ownAccountsOnly}
        today={props.today ?? new Date().toISOString().slice(0, 10)}
      />
      {props.viewer?.canExport && page && page.rows.length > 0 ? (
        <ExportForm filters={filters} viewer={props.viewer} />
      ) : null}
      {page && page.rows.length === 0 && !filtered && !props.paged ? (
        <EmptyPortfolio sources={props.sources ?? []} viewer={props.viewer} />
      ) : page ? (
        <Grid page={page} totals={props.totals ?? null} filters={filters} filtered={filtered} paged={props.paged} />
      ) : null}
      {props.viewer && !props.tourPending ? (
        <footer class="muted page-foot">
          <TourRestart viewer={props.viewer} />
        </footer>
      ) : null}
    </Layout>
  );
}

/** `ownerField` is off for account managers: every row is theirs, so there is no owner to choose. */
function FilterForm(props: {
  filters: Filters;
  owners: PortfolioViewProps["owners"];
  ownerField: boolean;
  today: string;
}) {
  const f = props.filters;
  const owners = [...props.owners];
  if (f.owner && !owners.some((o) => o.id === f.owner)) owners.push({ id: f.owner, name: f.owner });
  return (
    <search aria-label="Filter accounts" id="filters">
      <form class="filters card" method="get" action="/">
        <Field id="filter-q" label="Client">
          <input id="filter-q" type="search" name="q" value={f.q ?? ""} placeholder="Account name" maxlength={200} />
        </Field>
        <Field id="filter-status" label="Status">
          <select id="filter-status" name="status">
            {statusOptions.map(([value, label]) => (
              <option value={value} selected={(f.status ?? "") === value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {props.ownerField ? (
          <Field id="filter-owner" label="Owner">
            <select id="filter-owner" name="owner">
              <option value="">All owners</option>
              {owners.map((o) => (
                <option value={o.id} selected={f.owner === o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field id="filter-quarter" label="Quarter due">
          <select id="filter-quarter" name="quarter">
            <option value="">Any quarter</option>
            {quarterChoices(props.today, f.quarter).map(([value, label]) => (
              <option value={value} selected={f.quarter === value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-from" label="Due from">
          <input id="filter-from" type="date" name="from" value={f.from ?? ""} />
        </Field>
        <Field id="filter-to" label="Due to">
          <input id="filter-to" type="date" name="to" value={f.to ?? ""} />
        </Field>
        <Field id="filter-sort" label="Sort by">
          <select id="filter-sort" name="sort">
            {sortOptions.map(([value, label]) => (
              <option value={value} selected={(f.sort ?? "name") === value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {f.limit ? <input type="hidden" name="limit" value={f.limit} /> : null}
        <div class="actions">
          <button type="submit">Apply filters</button>
          <a href="/">Clear</a>
        </div>
      </form>
    </search>
  );
}

/** Export CSV / PDF of what the filters select (the same filters, posted with the session's CSRF token). */
function ExportForm(props: { filters: Filters; viewer: Viewer }) {
  return (
    <form method="post" action="/portfolio/export" class="inline" id="export" aria-label="Export">
      <input type="hidden" name="_csrf" value={props.viewer.csrfToken} />
      {filterKeys
        .filter((key) => key !== "limit" && props.filters[key])
        .map((key) => (
          <input type="hidden" name={key} value={props.filters[key]} />
        ))}
      <button type="submit" name="format" value="csv" class="secondary">
        Export CSV
      </button>
      <button type="submit" name="format" value="pdf" class="secondary">
        Export PDF
      </button>
      <span class="muted">A session may export up to 100 records.</span>
    </form>
  );
}

/** The quarter before, this one and the next two ("2026-Q4 (this quarter)"), plus the one in the URL if it is another. */
function quarterChoices(today: string, chosen: string | undefined): Array<[string, string]> {
  const quarter = quarterOfDay(today);
  const current = quarter.label;
  const previous = shiftQuarter(quarter, -1).label;
  const labels = [-1, 0, 1, 2].map((n) => shiftQuarter(quarter, n).label);
  if (chosen && /^\d{4}-Q[1-4]$/.test(chosen) && !labels.includes(chosen)) labels.push(chosen);
  return labels.sort().map((label) => {
    const note = label === current ? " (current)" : label === previous ? " (last)" : "";
    return [label, `${label.replace("-", " ")}${note}`];
  });
}

function Field(props: { id: string; label: string; children: Child }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

function Grid(props: {
  page: PortfolioPage;
  totals: PortfolioTotals | null;
  filters: Filters;
  filtered: boolean;
  paged: boolean;
}) {
  const { rows, nextCursor } = props.page;
  if (rows.length === 0) {
    return (
      <div class="card empty">
        <p>
          <strong>No accounts match these filters.</strong>
        </p>
        <p>
          <a href="/">Clear the filters</a> to see every account.
        </p>
      </div>
    );
  }
  const outliers = rows.filter(isOutlier).length;
  return (
    <>
      <div class="scroll">
        <table id="portfolio">
          <caption>
            {rows.length} {rows.length === 1 ? "account" : "accounts"} on this page
            {outliers > 0 ? `, ${outliers} marked ⚠ need attention` : ""}
            {props.filtered ? " (filtered)" : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Owner</th>
              <th scope="col" class="num">
                Usage (MTD)
              </th>
              <th scope="col" class="num">
                Invoice total
              </th>
              <th scope="col">Due date</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Discrepancies
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <Row row={row} />
            ))}
          </tbody>
          {props.totals ? <TotalsRow totals={props.totals} filtered={props.filtered} /> : null}
        </table>
      </div>
      {props.totals ? <TotalsNote totals={props.totals} /> : null}
      <nav class="pager" aria-label="Pages">
        {props.paged ? <a href={portfolioHref(props.filters)}>First page</a> : <span />}
        {nextCursor ? (
          <a rel="next" href={portfolioHref(props.filters, { cursor: nextCursor })}>
            Next page →
          </a>
        ) : (
          <span class="muted">Last page</span>
        )}
      </nav>
    </>
  );
}

function isOutlier(row: PortfolioRow): boolean {
  return row.outlier || row.status === "at_risk";
}

function Row({ row }: { row: PortfolioRow }) {
  const outlier = isOutlier(row);
  return (
    <tr class={outlier ? "outlier" : undefined} data-status={row.status}>
      <th scope="row">
        {outlier ? (
          <span class="flag" title="Outlier: needs attention">
            ⚠<span class="sr-only">Outlier:</span>{" "}
          </span>
        ) : null}
        <a href={`/accounts/${encodeURIComponent(row.accountId)}`}>{row.name}</a>
        <span class="headline">{row.headline}</span>
      </th>
      <td>{row.owner?.name ?? <span class="muted">Unassigned</span>}</td>
      <td class="num">
        {row.usage ? `${formatQuantity(row.usage.monthToDate)} ${row.usage.unit ?? row.usage.metric}` : "—"}
      </td>
      <td class="num">{row.latestInvoice ? formatMoney(row.latestInvoice.total) : "—"}</td>
      <td class="nowrap">
        {row.latestInvoice?.dueOn ? (
          <time datetime={row.latestInvoice.dueOn}>{formatDay(row.latestInvoice.dueOn)}</time>
        ) : (
          "—"
        )}
      </td>
      <td>
        <span class={`badge ${row.status}`}>{accountStatusLabel(row.status)}</span>{" "}
        <span class={row.maxDaysLate > 0 || row.paymentStatus === "failed" ? "red" : undefined}>
          {paymentLabel(row.paymentStatus, row.maxDaysLate)}
        </span>
      </td>
      <td class={row.discrepancyCount > 0 ? "num red" : "num"}>{row.discrepancyCount}</td>
    </tr>
  );
}

/** Every page's sums under the grid, in the base currency; a converted sum carries a mark that the note explains. */
function TotalsRow(props: { totals: PortfolioTotals; filtered: boolean }) {
  const { totals } = props;
  return (
    <tfoot>
      <tr id="portfolio-totals">
        <th scope="row">
          Total: {plural(totals.accounts, "account")}
          {props.filtered ? " (filtered)" : ""}, every page
        </th>
        <td />
        <td />
        <td class="num">
          <BaseAmount total={totals.invoiced} />
        </td>
        <td />
        <td colSpan={2}>
          Outstanding <BaseAmount total={totals.outstanding} />, overdue{" "}
          <span class={BigInt(totals.overdue.total.minor) > 0n ? "red" : undefined}>
            <BaseAmount total={totals.overdue} />
          </span>
        </td>
      </tr>
    </tfoot>
  );
}

function BaseAmount({ total }: { total: BaseTotal }) {
  return (
    <>
      <strong>{formatMoney(total.total)}</strong>
      {total.converted || !total.complete ? (
        <sup>
          <a href="#totals-note" title={total.label} aria-label={`(${total.label})`}>
            *
          </a>
        </sup>
      ) : null}
    </>
  );
}

/** What the totals are in: the base currency, the rates used when converted, what had no rate, and the parts. */
function TotalsNote({ totals }: { totals: PortfolioTotals }) {
  const converted = [totals.invoiced, totals.outstanding, totals.overdue].some((t) => t.converted || !t.complete);
  if (!converted) {
    return <p class="muted totals-note">Totals in {totals.baseCurrency}, the base currency of this workspace.</p>;
  }
  const labels = [...new Set([totals.invoiced, totals.outstanding, totals.overdue].map((t) => t.label))];
  return (
    <div class="muted totals-note" id="totals-note">
      <p>
        * Totals {labels.join("; ")}. Per currency:{" "}
        {totals.byCurrency.map((c, index) => (
          <>
            {index > 0 ? "; " : ""}
            {c.currency} invoiced {formatMoney(c.invoiced)}, outstanding {formatMoney(c.outstanding)}
          </>
        ))}
        .
      </p>
    </div>
  );
}

/** No accounts and no filters: what to do next, from where the sources stand. */
function EmptyPortfolio(props: { sources: SourceStatus[]; viewer: Viewer | null }) {
  const admin = props.viewer?.role === "admin";
  const unconnected = props.sources.filter((s) => s.connection !== "connected");
  const syncing = props.sources.some((s) => s.lastRun?.status === "running");
  if (unconnected.length === props.sources.length) {
    return (
      <div class="card empty" id="empty-portfolio">
        <h2>Connect a source to see your portfolio</h2>
        <p>
          Reckon reads invoices from QuickBooks, payments from Stripe and usage from Amplitude. None is connected to
          this workspace yet.
        </p>
        {admin ? (
          <ol>
            <li>
              Connect each one with <code>PUT /v1/connections/&#123;source&#125;</code> (see the{" "}
              <a href="/docs/api">API reference</a>); credentials are stored encrypted.
            </li>
            <li>
              The first sync starts at once; follow it on <a href="/sync">Sync status</a>.
            </li>
            <li>
              Then <a href="/links">map the accounts</a> it could not link on its own.
            </li>
          </ol>
        ) : (
          <p>Ask an admin of your workspace to connect them; this page fills in after the first sync.</p>
        )}
      </div>
    );
  }
  return (
    <div class="card empty" id="empty-portfolio">
      <h2>No accounts yet</h2>
      {syncing ? (
        <p>A sync is running: accounts appear here as it reconciles them. Reload in a moment.</p>
      ) : (
        <p>
          {plural(props.sources.length - unconnected.length, "source")} connected, but no account has been reconciled.
          Accounts are made from QuickBooks customers; see <a href="/sync">Sync status</a> for the last run
          {admin ? (
            <>
              {" "}
              and <a href="/links">Map accounts</a> for customers that belong to no account
            </>
          ) : null}
          .
        </p>
      )}
      {unconnected.length > 0 ? (
        <p class="muted">Not connected yet: {unconnected.map((s) => sourceLabel(s.source)).join(", ")}.</p>
      ) : null}
    </div>
  );
}
