// The header's sync line: when the data was last synced, and a Refresh button (a plain form POST, no script) for the
// roles allowed to refresh.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { SourceStatus } from "@reckon/core";
import { raw } from "hono/html";
import { currentLocale, formatInstant, sourceLabel } from "./format";
import type { Viewer } from "./viewer";

/** The latest finished run across sources, or null when nothing has finished yet. */
export function lastFinishedSync(sources: SourceStatus[]): string | null {
  let latest: string | null = null;
  for (const source of sources) {
    const finished = source.lastRun?.finishedAt;
    if (finished && (latest === null || Date.parse(finished) > Date.parse(latest))) latest = finished;
  }
  return latest;
}

/** The sources syncing right now, with the records their run has stored so far. */
export function syncsRunning(sources: SourceStatus[]): Array<{ source: string; records: number }> {
  return sources
    .filter((s) => s.lastRun?.status === "running")
    .map((s) => ({
      source: s.source,
      records: Object.values(s.lastRun?.counts ?? {}).reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0),
    }));
}

/**
 * `back` is the portfolio query string to return to after the refresh is queued. While a sync runs the line says how
 * far it has come, and (the page's one script) the page reloads every few seconds until it is done.
 */
export function SyncHeader(props: {
  lastSync: string | null;
  back: string;
  viewer: Viewer | null;
  running?: Array<{ source: string; records: number }>;
}) {
  const viewer = props.viewer;
  const running = props.running ?? [];
  return (
    <div class="sync">
      <span>
        Last sync: {props.lastSync ? <time datetime={props.lastSync}>{formatInstant(props.lastSync)}</time> : "not yet"}
      </span>
      {running.length > 0 ? (
        <span role="status" class="syncing">
          Syncing now:{" "}
          {running
            .map((r) => `${sourceLabel(r.source)} (${r.records.toLocaleString(currentLocale())} records so far)`)
            .join(", ")}
          …{raw("<script>setTimeout(function(){location.reload()},4000)</script>")}
        </span>
      ) : null}
      <a href="/sync">Sync status</a>
      {viewer?.canRefresh ? (
        <form method="post" action="/refresh">
          <input type="hidden" name="_csrf" value={viewer.csrfToken} />
          <input type="hidden" name="back" value={props.back} />
          <button type="submit" class="secondary">
            Refresh
          </button>
        </form>
      ) : null}
    </div>
  );
}
