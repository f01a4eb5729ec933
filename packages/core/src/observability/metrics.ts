// Process metrics for a Prometheus scraper: sync durations, queue depth, provider 429s, webhook lag.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** One registry per process (not prom-client's global one), so only the metrics named here are exposed. */
export const metricsRegistry = new Registry();

const syncRunDuration = new Histogram({
  name: "sync_run_duration_seconds",
  help: "Wall time of one source sync run, by source and final status.",
  labelNames: ["source", "status"] as const,
  // A webhook-triggered incremental run is seconds; a first full QuickBooks pull of a large tenant is many minutes.
  buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
  registers: [metricsRegistry],
});

const rateLimited = new Counter({
  name: "source_rate_limited_total",
  help: "Provider answers of 429 (rate limited), by source.",
  labelNames: ["source"] as const,
  registers: [metricsRegistry],
});

const webhookLag = new Histogram({
  name: "webhook_lag_seconds",
  help: "Time from a provider's event (its own timestamp) to our receiving its webhook, by source.",
  labelNames: ["source"] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900],
  registers: [metricsRegistry],
});

/** One row of queue depth: how many jobs of a queue are in a state (waiting, active, delayed, ...). */
export interface QueueDepth {
  queue: string;
  state: string;
  count: number;
}

export type QueueDepthReader = () => Promise<QueueDepth[]>;

const depthReaders = new Set<QueueDepthReader>();

new Gauge({
  name: "job_queue_depth",
  help: "Jobs per queue and state, read from the job runner at scrape time.",
  labelNames: ["queue", "state"] as const,
  registers: [metricsRegistry],
  // Read on scrape rather than tracked on every enqueue: the runner (Redis under BullMQ) is the truth, shared by all
  // processes, and a scrape every 15-60 s costs one count per queue.
  async collect() {
    this.reset();
    const rows = (await Promise.all([...depthReaders].map((read) => read().catch(() => [])))).flat();
    for (const row of rows) this.inc({ queue: row.queue, state: row.state }, row.count);
  },
});

/** Records a finished sync run (`status` as stored on the run: complete, partial or failed). */
export function observeSyncRun(source: string, status: string, seconds: number): void {
  if (Number.isFinite(seconds) && seconds >= 0) syncRunDuration.observe({ source, status }, seconds);
}

/** Counts one 429 from a provider. */
export function countRateLimited(source: string): void {
  rateLimited.inc({ source });
}

/** Records how late a webhook arrived relative to the provider's event time; a negative lag (clock skew) counts as 0. */
export function observeWebhookLag(source: string, seconds: number): void {
  if (Number.isFinite(seconds)) webhookLag.observe({ source }, Math.max(0, seconds));
}

/** Registers where queue depth is read from on scrape; returns the function that unregisters it (on close). */
export function readQueueDepthFrom(reader: QueueDepthReader): () => void {
  depthReaders.add(reader);
  return () => {
    depthReaders.delete(reader);
  };
}

/** The Content-Type of `metricsText()`: Prometheus text exposition format 0.0.4. */
export const metricsContentType = metricsRegistry.contentType;

/** Every metric in Prometheus text format. */
export function metricsText(): Promise<string> {
  return metricsRegistry.metrics();
}
