// The portfolio grid (mock-up 1): filters in the URL, one row per account, outliers marked, cursor pages.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { PortfolioPage, PortfolioRow } from "@reckon/core";
import type { Child } from "hono/jsx";
import { accountStatusLabel, formatMoney, formatQuantity, paymentLabel } from "./format";
import { Layout } from "./layout";
import { ReconnectNotice, StaleBanner } from "./syncBanners";
import { SyncHeader } from "./syncHeader";
import { Tour, TourRestart } from "./tour";
import type { Viewer } from "./viewer";

/** The grid's filters as the URL carries them (raw text: the verb validates). `limit` has no form field but is kept. */
export const filterKeys = ["q", "status", "owner", "from", "to", "sort", "limit"] as const;
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
      <FilterForm filters={filters} owners={props.owners} ownerField={!ownAccountsOnly} />
      {props.viewer?.canExport && page && page.rows.length > 0 ? (
        <ExportForm filters={filters} viewer={props.viewer} />
      ) : null}
      {page ? <Grid page={page} filters={filters} filtered={filtered} paged={props.paged} /> : null}
      {props.viewer && !props.tourPending ? (
        <footer class="muted page-foot">
          <TourRestart viewer={props.viewer} />
        </footer>
      ) : null}
    </Layout>
  );
}

/** `ownerField` is off for account managers: every row is theirs, so there is no owner to choose. */
function FilterForm(props: { filters: Filters; owners: PortfolioViewProps["owners"]; ownerField: boolean }) {
  const f = props.filters;
  const owners = [...props.owners];
  if (f.owner && !owners.some((o) => o.id === f.owner)) owners.push({ id: f.owner, name: f.owner });
  return (
    <search aria-label="Filter accounts" id="filters">
      <form class="filters card" method="get" action="/">
        <Field id="filter-q" label="Search accounts">
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

function Field(props: { id: string; label: string; children: Child }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

function Grid(props: { page: PortfolioPage; filters: Filters; filtered: boolean; paged: boolean }) {
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
        </table>
      </div>
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
      <td class="nowrap">{row.latestInvoice?.dueOn ?? "—"}</td>
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
