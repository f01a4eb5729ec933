// The Amplitude Export API fake: GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH answers a zip of gzipped JSON
// lines, one file per hour of *upload* time. Behaviour follows amplitude/amplitude-docs
// content/collections/api/en/export.md: HTTP Basic auth (api key : secret key), range by server_upload_time in UTC,
// `end` is the last hour included, at most 365 days a request, 404 when there is no data in the range.
import { gzipSync, strToU8, zipSync } from "fflate";
import { Hono } from "hono";
import type { AmplitudeExportEvent, Scenario } from "../scenario.js";
import { hold, malformedArchive, truncated } from "./faultAnswers.js";
import type { FaultState } from "./faults.js";
import { logRequests } from "./listen.js";

const hourParam = /^(\d{4})(\d{2})(\d{2})T(\d{2})$/;
const defaultProjectId = 187520;

/** "20261101T05" -> Date of that hour (UTC), or null when malformed. */
function parseHour(value: string | undefined): Date | null {
  const match = value ? hourParam.exec(value) : null;
  if (!match) return null;
  const [, y, m, d, h] = match.map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d, h));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || h > 23) return null;
  return date;
}

/** "YYYY-MM-DD HH" of an upload time, comparable as a string. */
const uploadHour = (event: AmplitudeExportEvent) =>
  `${event.server_upload_time.slice(0, 10)} ${event.server_upload_time.slice(11, 13)}`;
const hourKey = (date: Date) => `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 13)}`;

export function amplitudeApp(
  scenario: Scenario,
  keys: { apiKey: string; secretKey: string },
  faults: FaultState,
): Hono {
  const app = new Hono();
  logRequests(app, "amplitude", faults);
  app.use("*", async (c, next) => {
    const injected = faults.take("amplitude");
    if (injected?.kind === "rate_limit") {
      if (injected.retryAfterSeconds !== null) c.header("Retry-After", String(injected.retryAfterSeconds));
      return c.json({ error: "Too many requests. Please slow down." }, 429);
    }
    if (injected?.kind === "failure") return c.text("Internal Server Error", injected.status as 500);
    if (injected?.kind === "delay") await hold(injected.delayMs);
    if (injected?.kind === "malformed" && injected.body !== "truncated") return malformedArchive(c, injected.body);
    const expected = `Basic ${Buffer.from(`${keys.apiKey}:${keys.secretKey}`).toString("base64")}`;
    if (c.req.header("Authorization") !== expected) {
      c.header("WWW-Authenticate", 'Basic realm="Amplitude"');
      return c.json({ error: "Invalid API key or secret key" }, 401);
    }
    await next();
    if (injected?.kind === "malformed") c.res = await truncated(c.res);
  });
  app.get("/api/2/export", (c) => {
    const start = parseHour(c.req.query("start"));
    const end = parseHour(c.req.query("end"));
    if (!start || !end) return c.text("Invalid start or end: expected YYYYMMDDTHH, e.g. 20220201T05", 400);
    if (end < start) return c.text("end must not be before start", 400);
    if (end.getTime() - start.getTime() > 365 * 86_400_000)
      return c.text("The max period you can query at once is 365 days", 400);
    const from = hourKey(start);
    const to = hourKey(end);
    const byHour = new Map<string, string[]>();
    for (const event of scenario.amplitude.events) {
      const hour = uploadHour(event);
      if (hour < from || hour > to) continue;
      const rows = byHour.get(hour);
      if (rows) rows.push(JSON.stringify(event));
      else byHour.set(hour, [JSON.stringify(event)]);
    }
    if (byHour.size === 0) return c.text("Raw data files were not found.", 404);
    const projectId = scenario.amplitude.events.find((event) => event.app !== undefined)?.app ?? defaultProjectId;
    const files: Record<string, Uint8Array> = {};
    for (const [hour, rows] of [...byHour].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const name = `${projectId}/${projectId}_${hour.slice(0, 10)}_${Number(hour.slice(11, 13))}#0.json.gz`;
      files[name] = gzipSync(strToU8(`${rows.join("\n")}\n`));
    }
    // The hourly files are gzipped already: store them in the zip without compressing again.
    const archive = zipSync(files, { level: 0 });
    return c.body(
      archive.buffer.slice(archive.byteOffset, archive.byteOffset + archive.byteLength) as ArrayBuffer,
      200,
      {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${projectId}.zip"`,
      },
    );
  });
  app.all("*", (c) => c.text("Not Found", 404));
  return app;
}
