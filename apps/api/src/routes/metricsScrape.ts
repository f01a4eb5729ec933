// GET /metrics: the process's metrics in Prometheus text format, for a scraper holding RECKON_METRICS_TOKEN.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { metricsContentType, metricsText } from "@reckon/core";
import type { AppEnv } from "../app";
import { sameToken } from "../auth/session";
import { problem } from "../errors";

/**
 * Not in the OpenAPI document, on purpose: it is an operator's endpoint outside /v1, read by Prometheus with its own
 * bearer token rather than a user's API token or session, so it has no role or permission for the role matrix to
 * check, and its answer is Prometheus text, not JSON. Off (404) until RECKON_METRICS_TOKEN is set; the series carry
 * no tenant data (labels are source, status, queue and state only).
 */
export function registerMetricsScrape(app: OpenAPIHono<AppEnv>) {
  app.get("/metrics", async (c) => {
    const expected = c.var.deps.metricsToken ?? null;
    if (expected === null) {
      return problem(
        c,
        "not_found",
        "Metrics are off: set RECKON_METRICS_TOKEN to let a Prometheus scraper read them.",
      );
    }
    const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!sameToken(presented, expected)) {
      c.header("www-authenticate", 'Bearer realm="metrics"');
      return problem(c, "unauthorized", "GET /metrics needs Authorization: Bearer <RECKON_METRICS_TOKEN>.");
    }
    return c.body(await metricsText(), 200, { "content-type": metricsContentType });
  });
}
