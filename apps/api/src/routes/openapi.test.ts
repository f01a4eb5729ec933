// The OpenAPI document lists every /v1 route with the parameters its zod schema validates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../test/stack";

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  stack = await startTestStack({ accounts: 4, months: 2 });
});
afterAll(() => stack.stop());

describe("GET /v1/openapi.json", () => {
  it("documents the routes and their parameters", async () => {
    const response = await stack.fetch(`/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/healthz",
        "/v1/accounts/{accountId}",
        "/v1/accounts/{accountId}/forecast",
        "/v1/audit",
        "/v1/exports/portfolio.csv",
        "/v1/forecast",
        "/v1/me",
        "/v1/metrics",
        "/v1/portfolio",
        "/v1/sync",
        "/v1/sync/status",
        "/v1/tokens",
        "/v1/users",
      ]),
    );
    const portfolio = doc.paths["/v1/portfolio"]?.get?.parameters?.map((p) => p.name) ?? [];
    expect(portfolio).toEqual(
      expect.arrayContaining(["owner", "status", "q", "from", "to", "sort", "limit", "cursor"]),
    );
    expect(doc.paths["/v1/accounts/{accountId}"]?.get?.parameters?.[0]).toMatchObject({
      name: "accountId",
      in: "path",
    });
  });

  it("is readable as a reference page at /docs/api, with each operation's permission", async () => {
    const response = await stack.fetch("/docs/api", {}, null);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    for (const path of ["/v1/portfolio", "/v1/exports/portfolio.csv", "/v1/audit"]) expect(html).toContain(path);
    expect(html).toContain("exports.create");
    expect(html).not.toContain("<script");
  });
});
