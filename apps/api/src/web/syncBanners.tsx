// Banners about the data's completeness: a partial sync naming the source and what it missed, stale data from a
// source that is down (more strongly past 24 h), and for admins a source that needs reconnecting, with what to do.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AccountPartialSync, Freshness } from "@reckon/core";
import { formatInstant, sourceLabel } from "./format";
import type { Viewer } from "./viewer";

/** The unresolved partial runs that got some of this account's records. */
export function PartialSyncBanner({ runs }: { runs: AccountPartialSync[] }) {
  if (runs.length === 0) return null;
  return (
    <div class="banner" role="alert" id="partial-sync">
      {runs.map((run) => (
        <p style="margin:.25rem 0">
          <strong>Data from {sourceLabel(run.source)} is incomplete:</strong> the sync started{" "}
          {formatInstant(run.startedAt)} stopped part-way{run.error ? ` (${run.error})` : ""}
          {run.missed.length > 0 ? `; it did not get ${run.missed.join(", ")}` : ""}. This account is left out of
          forecasts until an admin resolves the partial sync.
        </p>
      ))}
    </div>
  );
}

/** Sources that are down: what is shown is their last good data, with when that was. */
export function StaleBanner({ freshness }: { freshness: Freshness }) {
  const down = freshness.sources.filter((s) => s.stale);
  if (down.length === 0) return null;
  return (
    <div class={freshness.staleOver24h ? "error" : "banner"} role="status" id="stale-data">
      {down.map((s) => (
        <p style="margin:.25rem 0">
          <strong>
            {sourceLabel(s.source)} {s.state === "needs_reconnect" ? "is disconnected" : "is not answering"}:
          </strong>{" "}
          {s.lastGoodSyncAt
            ? `showing its data as of ${formatInstant(s.lastGoodSyncAt)}`
            : "no complete sync yet, so its data may be missing"}
          {s.staleOver24h && s.lastGoodSyncAt ? ", more than 24 hours old: do not rely on it for decisions" : ""}.
        </p>
      ))}
    </div>
  );
}

/** For admins: a source whose grant was revoked syncs no more until it is connected again. */
export function ReconnectNotice({ freshness, viewer }: { freshness: Freshness; viewer: Viewer | null }) {
  if (viewer?.role !== "admin") return null;
  const revoked = freshness.sources.filter((s) => s.state === "needs_reconnect");
  if (revoked.length === 0) return null;
  return (
    <div class="error" role="alert" id="needs-reconnect">
      {revoked.map((s) => (
        <p style="margin:.25rem 0">
          <strong>{sourceLabel(s.source)} needs reconnecting.</strong> It refused Reckon's access (the connection was
          revoked or expired), so syncs of it are paused. Connect it again with new credentials (PUT /v1/connections/
          {s.source}); the next sync then picks up where the last one stopped.
        </p>
      ))}
    </div>
  );
}
