// The header's sync line: when the data was last synced, and a Refresh button (a plain form POST, no script) for the
// roles allowed to refresh.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { SourceStatus } from "@reckon/core";
import { formatInstant } from "./format";
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

/** `back` is the portfolio query string to return to after the refresh is queued. */
export function SyncHeader(props: { lastSync: string | null; back: string; viewer: Viewer | null }) {
  const viewer = props.viewer;
  return (
    <div class="sync">
      <span>
        Last sync: {props.lastSync ? <time datetime={props.lastSync}>{formatInstant(props.lastSync)}</time> : "not yet"}
      </span>
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
