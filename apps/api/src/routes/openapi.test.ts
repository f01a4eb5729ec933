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
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/healthz",
        "/v1/accounts/{accountId}",
        "/v1/accounts/{accountId}/forecast",
        "/v1/forecast",
        "/v1/metrics",
        "/v1/portfolio",
        "/v1/sync",
        "/v1/sync/status",
      ].sort(),
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
});
