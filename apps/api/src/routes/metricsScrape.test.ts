// GET /metrics (Prometheus text behind RECKON_METRICS_TOKEN), and the sync status's next run and last error, in the
// API and on the /sync page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../test/stack";
import type { SyncStatusResponse } from "./syncStatus";

const metricsToken = "scrape-token-0123456789";
let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  stack = await startTestStack({ accounts: 6, months: 2, env: { RECKON_METRICS_TOKEN: metricsToken } });
});
afterAll(() => stack.stop());

/** Parses Prometheus text exposition (0.0.4): every line a comment (# HELP/# TYPE) or `series value`. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (\S+)$/;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
      continue;
    }
    const match = sampleLine.exec(line);
    expect(match, `not a Prometheus sample line: ${line}`).not.toBeNull();
    const value = Number(match![2] === "+Inf" ? Number.POSITIVE_INFINITY : match![2]);
    expect(Number.isNaN(value), line).toBe(false);
    samples.set(match![1]!, value);
  }
  return samples;
}

const scrape = (authorization?: string) =>
  fetch(`${stack.url}/metrics`, authorization ? { headers: { authorization } } : {});

describe("GET /metrics", () => {
  it("refuses a scraper without the metrics token, or with a user's API token", async () => {
    for (const authorization of [undefined, "Bearer wrong-token-0123456789", `Bearer ${stack.as.admin.token}`]) {
      const response = await scrape(authorization);
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("serves Prometheus text with the sync, queue, rate-limit and webhook metrics after a sync", async () => {
    const refresh = await stack.fetch("/v1/sync", { method: "POST" });
    expect(refresh.status).toBe(202);
    await stack.services.jobs.drain();
    const response = await scrape(`Bearer ${metricsToken}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    const samples = parsePrometheus(text);
    for (const name of [
      "sync_run_duration_seconds",
      "job_queue_depth",
      "source_rate_limited_total",
      "webhook_lag_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(samples.get('sync_run_duration_seconds_count{source="quickbooks",status="complete"}')).toBeGreaterThan(0);
    // (429s are counted in packages/core/test/limits.test.ts; here the counter need only be declared.)
    expect([...samples.keys()].some((k) => k.startsWith('job_queue_depth{queue="sync"'))).toBe(true);
  });
});

describe("sync status: next run and last error", () => {
  it("reports the scheduled next run per connected source, and the last error", async () => {
    // A 400 is not retryable: the run fails at once with an "invalid" error (no backoff to wait out here).
    stack.demo!.sandbox.faults.failNext("stripe", 1, 400);
    await stack.fetch("/v1/sync", { method: "POST" });
    await stack.services.jobs.drain();
    const body = (await (await stack.fetch("/v1/sync/status")).json()) as SyncStatusResponse;
    for (const source of body.sources) {
      expect(source.nextRunAt, source.source).not.toBeNull();
      expect(Date.parse(source.nextRunAt!)).toBeGreaterThan(Date.now() - 1000);
    }
    const stripe = body.sources.find((s) => s.source === "stripe")!;
    expect(stripe.lastError).toMatchObject({ kind: "invalid" });
    expect(body.sources.find((s) => s.source === "quickbooks")?.lastError).toBeNull();
  });

  it("shows a per-source table on /sync, linked from the header", async () => {
    const page = await stack.fetch("/sync", { redirect: "manual" }, null);
    expect(page.status).toBe(303);
    const portfolio = await (await stack.fetch("/")).text();
    expect(portfolio).toContain('href="/sync"');
    const html = await (await stack.fetch("/sync")).text();
    for (const label of ["Stripe", "QuickBooks", "Amplitude", "Next run", "Last error", "invalid"]) {
      expect(html).toContain(label);
    }
  });
});
