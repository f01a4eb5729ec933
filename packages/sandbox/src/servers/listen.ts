// Starts a Hono app on an ephemeral port and records every request it answers in the sandbox's request log.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { FaultState, SandboxSource } from "./faults.js";

export interface Listening {
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Logs each request with its final status and the time it arrived (what a provider's rate limiter counts); runs
 * before any route so faults and auth failures are logged too.
 */
export function logRequests(app: Hono, source: SandboxSource, faults: FaultState): void {
  app.use("*", async (c, next) => {
    const at = new Date();
    await next();
    const url = new URL(c.req.url);
    faults.log({ source, method: c.req.method, url: url.pathname + url.search, status: c.res.status, at });
  });
}

export function listen(app: Hono, host: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: host }, (info: AddressInfo) => {
      resolve({
        host,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            if ("closeAllConnections" in server) server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
    // Real APIs keep idle connections open far longer than Node's 5 s default. With 5 s on both sides, a client
    // reusing a keep-alive socket just as the server closes it gets ECONNRESET (Node's global agent also idles for
    // 5 s), a failure no real provider produces; so the sandbox, like them, outwaits the client.
    if ("keepAliveTimeout" in server) server.keepAliveTimeout = 65_000;
    server.once("error", reject);
  });
}
