// The Reckon API at the network edge (msw), and a stand-in for HubSpot's proxy behind hubspot.fetch.
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { HubSpotFetch } from "../api/reckonClient";
import { API_BASE_URL } from "../config";

export interface RecordedRequest {
  method: string;
  /** The path under the record, e.g. `/card` or `/payment-retries`. */
  path: string;
  recordId: string;
  query: URLSearchParams;
  body: unknown;
}

const server = setupServer();

/** Every request the fake API answered, in order (cleared after each test). */
export const requests: RecordedRequest[] = [];

export function serveFakeReckonApi(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    requests.length = 0;
  });
  afterAll(() => server.close());
}

type Answer = () => Response | Promise<Response>;

/** Answers `method path` under any record with each answer in turn; the last one repeats. */
export function onReckon(method: "GET" | "POST", path: string, ...answers: Answer[]): void {
  let calls = 0;
  const route = `${API_BASE_URL}/v1/crm/hubspot/records/:recordId${path}`;
  const handler = method === "GET" ? http.get : http.post;
  server.use(
    handler(route, async ({ request, params }) => {
      const url = new URL(request.url);
      requests.push({
        method,
        path,
        recordId: String(params.recordId),
        query: url.searchParams,
        body: method === "GET" ? null : await request.json(),
      });
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      if (!answer) throw new Error(`no answer given for ${method} ${path}`);
      return answer();
    }),
  );
}

export const json =
  (body: unknown, status = 200): Answer =>
  () =>
    HttpResponse.json(body as object, { status });

/** An RFC 9457 problem document as the API writes it. */
export const problem =
  (status: number, code: string, detail: string): Answer =>
  () =>
    HttpResponse.json(
      { status, code, detail, requestId: "req_test" },
      { status, headers: { "content-type": "application/problem+json" } },
    );

export const requestsTo = (path: string) => requests.filter((request) => request.path === path);

/**
 * What HubSpot does with hubspot.fetch, minus the signature: it adds who is asking to the query and sends the body as
 * JSON. The card must not rely on anything else.
 */
export function hubspotProxy(caller: { portal: { id: number }; user: { id: number; email: string } }): HubSpotFetch {
  return (resource, options = {}) => {
    const url = new URL(resource);
    url.searchParams.set("portalId", String(caller.portal.id));
    url.searchParams.set("userId", String(caller.user.id));
    url.searchParams.set("userEmail", caller.user.email);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    return fetch(url, {
      method: options.method ?? "GET",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body,
    });
  };
}
