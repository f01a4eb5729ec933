import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAmplitudeSource } from "./amplitude";
import { parseRetryAfter } from "./errors";
import { createQuickBooksSource } from "./quickbooks";
import { SourceError, type SyncBatch } from "./source";
import { createStripeSource } from "./stripe";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const now = new Date("2026-10-10T12:00:00Z");

async function firstFailure(pull: AsyncIterable<SyncBatch>): Promise<SourceError> {
  try {
    for await (const _ of pull) {
      // drain
    }
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error("expected the pull to fail");
}

const stripeError = (type: string, status: number, headers: Record<string, string> = {}) =>
  HttpResponse.json({ error: { type, message: "boom" } }, { status, headers });

const pulls = {
  stripe: () =>
    createStripeSource({ apiKey: "sk_test_x", host: "stripe.test", port: 443, protocol: "https" }).pull(null, { now }),
  quickbooks: () =>
    createQuickBooksSource({
      clientId: "id",
      clientSecret: "secret",
      realmId: "9130",
      refreshToken: "rt-1",
      accessToken: "at-1",
      baseUrl: "https://qbo.test/v3/company/",
      tokenUrl: "https://oauth.qbo.test/tokens",
      onTokens: async () => {},
    }).pull(null, { now }),
  amplitude: () =>
    createAmplitudeSource({
      apiKey: "k",
      secretKey: "s",
      baseUrl: "https://amplitude.test",
      groupType: "org_id",
      eventMetrics: {},
    }).pull('{"day":"2026-10-09"}', { now }),
};
const routes = {
  stripe: "https://stripe.test/v1/*",
  quickbooks: "https://qbo.test/v3/company/9130/*",
  amplitude: "https://amplitude.test/api/2/export",
};

describe.each(["stripe", "quickbooks", "amplitude"] as const)("%s failures become SourceErrors by status", (source) => {
  const answer = (status: number, headers: Record<string, string> = {}) =>
    source === "stripe"
      ? stripeError(status === 429 ? "rate_limit_error" : "api_error", status, headers)
      : HttpResponse.json(
          { Fault: { Error: [{ Message: "x", code: "1" }], type: "SystemFault" } },
          { status, headers },
        );

  it("429 with Retry-After seconds is rate_limited with the wait", async () => {
    server.use(http.all(routes[source], () => answer(429, { "Retry-After": "17" })));
    const error = await firstFailure(pulls[source]());
    expect([error.kind, error.retryAfterMs, error.status, error.retryable]).toEqual([
      "rate_limited",
      17_000,
      429,
      true,
    ]);
  });

  it("401 is unauthorized and not retryable", async () => {
    server.use(
      http.all(routes[source], () => answer(401)),
      http.post("https://oauth.qbo.test/tokens", () => HttpResponse.json({ error: "invalid_grant" }, { status: 400 })),
    );
    const error = await firstFailure(pulls[source]());
    // QuickBooks answers a 401 with a refresh; the token endpoint's invalid_grant then says the grant is revoked.
    expect([error.kind, error.retryable]).toEqual([source === "quickbooks" ? "revoked" : "unauthorized", false]);
  });

  it("500 is transient", async () => {
    server.use(http.all(routes[source], () => answer(500)));
    const error = await firstFailure(pulls[source]());
    expect([error.kind, error.status, error.retryable]).toEqual(["transient", 500, true]);
  });

  it("a 400 is invalid", async () => {
    server.use(http.all(routes[source], () => answer(400)));
    expect((await firstFailure(pulls[source]())).kind).toBe("invalid");
  });

  it("a malformed 200 body is invalid", async () => {
    server.use(http.all(routes[source], () => new HttpResponse("<html>oops</html>", { status: 200 })));
    expect((await firstFailure(pulls[source]())).kind).toBe("invalid");
  });

  it("a network failure is transient", async () => {
    server.use(http.all(routes[source], () => HttpResponse.error()));
    expect((await firstFailure(pulls[source]())).kind).toBe("transient");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    const at = new Date("2026-10-10T12:00:00Z");
    expect(parseRetryAfter("120", at)).toBe(120_000);
    expect(parseRetryAfter("Sat, 10 Oct 2026 12:00:30 GMT", at)).toBe(30_000);
    expect(parseRetryAfter("Sat, 10 Oct 2026 11:00:00 GMT", at)).toBe(0);
    expect(parseRetryAfter("soon", at)).toBeNull();
    expect(parseRetryAfter(null, at)).toBeNull();
  });

  it("is honoured as an HTTP date from Amplitude", async () => {
    const later = new Date(Date.now() + 60_000).toUTCString();
    server.use(
      http.get(routes.amplitude, () => new HttpResponse(null, { status: 429, headers: { "Retry-After": later } })),
    );
    const error = await firstFailure(pulls.amplitude());
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});

describe("stripe 5xx with a non-JSON body", () => {
  it("keeps the status the SDK loses and stays transient", async () => {
    server.use(http.all(routes.stripe, () => new HttpResponse("<html>Bad gateway</html>", { status: 502 })));
    const error = await firstFailure(pulls.stripe());
    expect([error.kind, error.status]).toEqual(["transient", 502]);
  });
});
