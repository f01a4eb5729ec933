// The sync status page at /sync: per source, its connection, last run (state, counts), last error and next run.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { getSyncStatus, type SourceStatus } from "@reckon/core";
import type { AppEnv } from "../app";
import { formatInstant, sourceLabel } from "./format";
import { Layout } from "./layout";
import { lastFinishedSync, SyncHeader, syncsRunning } from "./syncHeader";
import { signInHref, type Viewer, viewerOf } from "./viewer";

const Instant = (props: { at: string | null; none: string }) =>
  props.at ? <time datetime={props.at}>{formatInstant(props.at)}</time> : props.none;

function countsText(counts: Record<string, number>): string {
  const parts = ["customers", "invoices", "payments", "usage"]
    .filter((key) => (counts[key] ?? 0) > 0)
    .map((key) => `${counts[key]} ${key}`);
  return parts.length > 0 ? parts.join(", ") : "no changes";
}

export function SyncStatusView(props: { sources: SourceStatus[]; viewer: Viewer | null }) {
  return (
    <Layout
      title="Reckon — Sync status"
      viewer={props.viewer}
      sync={
        <SyncHeader
          lastSync={lastFinishedSync(props.sources)}
          back=""
          viewer={props.viewer}
          running={syncsRunning(props.sources)}
        />
      }
    >
      <section class="card" aria-labelledby="sync-status">
        <h2 id="sync-status">Sync status by source</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">State</th>
              <th scope="col">Last run</th>
              <th scope="col">Records</th>
              <th scope="col">Last error</th>
              <th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            {props.sources.map((source) => (
              <tr>
                <th scope="row">{sourceLabel(source.source)}</th>
                <td>
                  {source.connection === "needs_reconnect" ? (
                    <strong class="red">needs reconnecting</strong>
                  ) : source.connected ? (
                    (source.lastRun?.status ?? "never run")
                  ) : (
                    "not connected"
                  )}
                  {source.action ? <span class="headline">{source.action}</span> : null}
                </td>
                <td>
                  <Instant at={source.lastRun?.finishedAt ?? source.lastRun?.startedAt ?? null} none="—" />
                  {source.lastRun ? ` (${source.lastRun.mode})` : null}
                </td>
                <td>{source.lastRun ? countsText(source.lastRun.counts) : "—"}</td>
                <td>
                  {source.lastError ? (
                    <>
                      <Instant at={source.lastError.at} none="" />: {source.lastError.kind}: {source.lastError.message}
                    </>
                  ) : (
                    "none in the last 7 days"
                  )}
                </td>
                <td>
                  <Instant at={source.nextRunAt} none="not scheduled" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

export function registerSyncStatusPage(app: OpenAPIHono<AppEnv>) {
  app.get("/sync", async (c) => {
    const ctx = c.var.ctx;
    if (!ctx) return c.redirect(signInHref(c.req.url), 303);
    c.header("cache-control", "no-store");
    const sources = await getSyncStatus({ ctx, jobs: c.var.deps.jobs });
    return c.html(<SyncStatusView sources={sources} viewer={viewerOf(ctx, c.var.csrfToken, c.var.deps)} />);
  });
}
