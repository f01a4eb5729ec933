import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SourceError, type SyncBatch } from "../source";
import { createQuickBooksSource, type QuickBooksTokens } from ".";

const baseUrl = "https://qbo.test/v3/company/";
const tokenUrl = "https://oauth.qbo.test/oauth2/v1/tokens/bearer";
const meta = (at: string) => ({ CreateTime: at, LastUpdatedTime: at });
const customers = Array.from({ length: 5 }, (_, i) => ({
  Id: String(i + 1),
  DisplayName: `Customer ${i + 1}`,
  Active: true,
  MetaData: meta("2026-09-01T10:00:00-07:00"),
}));
const invoice = {
  Id: "130",
  DocNumber: "1001",
  TxnDate: "2026-09-30",
  CustomerRef: { value: "1" },
  Line: [{ Amount: 10.1, DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} }],
  TotalAmt: 10.1,
  Balance: 10.1,
  MetaData: meta("2026-09-30T10:00:00-07:00"),
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Company {
  log: string[];
  validToken: string;
  issued: number;
}

function company(state: Company) {
  return [
    http.post(tokenUrl, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      state.log.push(`refresh ${form.get("refresh_token")}`);
      state.issued += 1;
      state.validToken = `at-${state.issued + 1}`;
      return HttpResponse.json({
        access_token: state.validToken,
        refresh_token: `rt-${state.issued + 1}`,
        expires_in: 3600,
        token_type: "bearer",
      });
    }),
    http.get(`${baseUrl}9130/query`, ({ request }) => {
      if (request.headers.get("authorization") !== `Bearer ${state.validToken}`) {
        state.log.push("401");
        return HttpResponse.json({ fault: { error: [{ message: "AuthenticationFailed" }] } }, { status: 401 });
      }
      const query = new URL(request.url).searchParams.get("query") ?? "";
      state.log.push(query);
      const match = /from (\w+)(?: where .*?)? startposition (\d+) maxresults (\d+)/i.exec(query);
      const entity = match?.[1] ?? "";
      const rows =
        ({ customer: customers, invoice: [invoice], payment: [] } as Record<string, unknown[]>)[entity] ?? [];
      const start = Number(match?.[2] ?? 1);
      const slice = rows.slice(start - 1, start - 1 + Number(match?.[3] ?? 1000));
      const key = entity.charAt(0).toUpperCase() + entity.slice(1);
      return HttpResponse.json({
        QueryResponse: slice.length ? { [key]: slice, startPosition: start, maxResults: slice.length } : {},
        time: "2026-10-10T05:00:00.000-07:00",
      });
    }),
    http.get(`${baseUrl}9130/cdc`, ({ request }) => {
      const url = new URL(request.url);
      state.log.push(`cdc ${url.searchParams.get("entities")} ${url.searchParams.get("changedSince")}`);
      return HttpResponse.json({
        CDCResponse: [
          {
            QueryResponse: [
              { Customer: [{ ...customers[0], DisplayName: "Renamed" }], startPosition: 1, maxResults: 1 },
              { Invoice: [{ Id: "130", status: "Deleted", MetaData: meta("2026-10-10T04:00:00-07:00") }] },
              {},
            ],
          },
        ],
        time: "2026-10-10T05:01:00.000-07:00",
      });
    }),
  ];
}

async function collect(iterable: AsyncIterable<SyncBatch>) {
  const batches: SyncBatch[] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

describe("createQuickBooksSource", () => {
  const now = new Date("2026-10-10T12:00:00Z");

  function make(state: Company, tokens: QuickBooksTokens[], accessToken: string | null = null) {
    return createQuickBooksSource({
      clientId: "client",
      clientSecret: "secret",
      realmId: "9130",
      refreshToken: "rt-1",
      accessToken,
      baseUrl,
      tokenUrl,
      pageSize: 2,
      onTokens: async (t) => {
        state.log.push(`persist ${t.refreshToken}`);
        tokens.push(t);
      },
    });
  }

  it("refreshes first without an access token, persists the rotated tokens, then pages through everything", async () => {
    const state: Company = { log: [], validToken: "none", issued: 0 };
    const tokens: QuickBooksTokens[] = [];
    server.use(...company(state));
    const batches = await collect(make(state, tokens).pull(null, { now }));
    expect(state.log.slice(0, 3)).toEqual([
      "refresh rt-1",
      "persist rt-2",
      "select * from customer where Active in (true, false) startposition 1 maxresults 2",
    ]);
    expect(tokens).toEqual([{ accessToken: "at-2", refreshToken: "rt-2", expiresAt: expect.any(Date) }]);
    expect(batches.map((b) => b.label)).toEqual([
      "Customer page 1",
      "Customer page 2",
      "Customer page 3",
      "Invoice page 1",
      "Payment page 1",
      expect.stringMatching(/^changes since 2026-10-10T11:55:00/),
    ]);
    expect(batches.flatMap((b) => b.customers).map((c) => c.name)).toEqual([
      "Customer 1",
      "Customer 2",
      "Customer 3",
      "Customer 4",
      "Customer 5",
      "Renamed",
    ]);
    expect(batches.flatMap((b) => b.invoices).map((i) => [i.sourceId, i.totalMinor, i.deleted])).toEqual([
      ["130", 1010n, false],
      ["130", 0n, true],
    ]);
    // A crash after page 2 resumes at row 5, not at the start.
    expect(JSON.parse(batches[1]?.cursor ?? "")).toMatchObject({ phase: "full", entity: "Customer", start: 5 });
    expect(JSON.parse(batches.at(-1)?.cursor ?? "")).toEqual({ phase: "cdc", since: "2026-10-10T12:01:00.000Z" });
  });

  it("refreshes on a 401 and retries the call once with the new token", async () => {
    const state: Company = { log: [], validToken: "fresh-elsewhere", issued: 0 };
    const tokens: QuickBooksTokens[] = [];
    server.use(...company(state));
    const batches = await collect(
      make(state, tokens, "at-stale").pull(
        '{"phase":"full","entity":"Payment","start":1,"since":"2026-10-10T11:00:00Z"}',
        { now },
      ),
    );
    expect(state.log.slice(0, 4)).toEqual([
      "401",
      "refresh rt-1",
      "persist rt-2",
      "select * from payment startposition 1 maxresults 2",
    ]);
    expect(batches).toHaveLength(2);
  });

  it("asks CDC from the cursor minus an overlap, and falls back to a full sync past CDC's 30 days", async () => {
    const state: Company = { log: [], validToken: "at-1", issued: 0 };
    server.use(...company(state));
    await collect(make(state, [], "at-1").pull('{"phase":"cdc","since":"2026-10-10T11:00:00.000Z"}', { now }));
    expect(state.log).toEqual(["cdc Customer,Invoice,Payment 2026-10-10T10:55:00.000Z"]);
    state.log.length = 0;
    const batches = await collect(
      make(state, [], "at-1").pull('{"phase":"cdc","since":"2026-09-01T00:00:00.000Z"}', { now }),
    );
    expect(batches[0]?.label).toBe("Customer page 1");
  });

  it("asks again from the newest change when CDC cuts an answer at 1000 objects", async () => {
    const asked: string[] = [];
    const changed = (i: number) => ({
      Id: String(i),
      DisplayName: `C${i}`,
      MetaData: meta(new Date(Date.UTC(2026, 9, 10, 10, 0, i)).toISOString()),
    });
    server.use(
      http.get(`${baseUrl}9130/cdc`, ({ request }) => {
        const since = new URL(request.url).searchParams.get("changedSince") ?? "";
        asked.push(since);
        const rows =
          asked.length === 1 ? Array.from({ length: 1000 }, (_, i) => changed(i)) : [changed(999), changed(1000)];
        return HttpResponse.json({
          CDCResponse: [{ QueryResponse: [{ Customer: rows }] }],
          time: "2026-10-10T12:00:00Z",
        });
      }),
    );
    const state: Company = { log: [], validToken: "at-1", issued: 0 };
    const batches = await collect(
      make(state, [], "at-1").pull('{"phase":"cdc","since":"2026-10-10T10:00:00.000Z"}', { now }),
    );
    const newestCut = new Date(Date.UTC(2026, 9, 10, 10, 0, 999)).toISOString();
    expect(asked).toEqual(["2026-10-10T09:55:00.000Z", new Date(Date.parse(newestCut) - 5 * 60_000).toISOString()]);
    expect(batches.map((b) => JSON.parse(b.cursor).since)).toEqual([newestCut, "2026-10-10T12:00:00.000Z"]);
    expect(batches.flatMap((b) => b.customers)).toHaveLength(1002);
  });

  it("classifies invalid_grant from the token endpoint's error field as revoked, not retryable", async () => {
    const refused: string[] = [];
    server.use(
      http.post(tokenUrl, async ({ request }) => {
        refused.push(new URLSearchParams(await request.text()).get("refresh_token") ?? "");
        return HttpResponse.json(
          { error: "invalid_grant", error_description: "Token has been expired or revoked." },
          { status: 400 },
        );
      }),
    );
    const pulled = collect(make({ log: [], validToken: "none", issued: 0 }, []).pull(null, { now }));
    await expect(pulled).rejects.toMatchObject({ name: "SourceError", kind: "revoked", retryable: false });
    expect(refused).toEqual(["rt-1"]);
  });

  it("reads other token endpoint failures by status: a 400 unsupported_grant_type is invalid, a 503 transient", async () => {
    for (const [body, status, kind] of [
      [{ error: "unsupported_grant_type" }, 400, "invalid"],
      [{ error: "temporarily_unavailable" }, 503, "transient"],
    ] as const) {
      server.use(http.post(tokenUrl, () => HttpResponse.json(body, { status })));
      const pulled = collect(make({ log: [], validToken: "none", issued: 0 }, []).pull(null, { now }));
      await expect(pulled).rejects.toMatchObject({ kind });
    }
  });

  it("keeps rotated tokens whose save failed and stores them before any call, without refreshing again", async () => {
    const state: Company = { log: [], validToken: "none", issued: 0 };
    server.use(...company(state));
    let saveFails = true;
    const stored: string[] = [];
    const source = createQuickBooksSource({
      clientId: "client",
      clientSecret: "secret",
      realmId: "9130",
      refreshToken: "rt-1",
      baseUrl,
      tokenUrl,
      pageSize: 2,
      onTokens: async (t) => {
        if (saveFails) throw new Error("database unavailable");
        stored.push(t.refreshToken);
      },
    });
    await expect(collect(source.pull(null, { now }))).rejects.toMatchObject({ kind: "transient", retryable: true });
    // The new access token was never used while unsaved.
    expect(state.log).toEqual(["refresh rt-1"]);
    saveFails = false;
    await collect(source.pull(null, { now }));
    expect(stored).toEqual(["rt-2"]);
    expect(state.log.filter((line) => line.startsWith("refresh"))).toEqual(["refresh rt-1"]);
  });

  it("starts from unsaved tokens handed over from an earlier connector: stores them first, never the dead token", async () => {
    const state: Company = { log: [], validToken: "at-2", issued: 1 };
    server.use(...company(state));
    const stored: string[] = [];
    const source = createQuickBooksSource({
      clientId: "client",
      clientSecret: "secret",
      realmId: "9130",
      refreshToken: "rt-1",
      baseUrl,
      tokenUrl,
      pageSize: 2,
      unsavedTokens: { accessToken: "at-2", refreshToken: "rt-2", expiresAt: new Date(now.getTime() + 3_600_000) },
      onTokens: async (t) => {
        stored.push(t.refreshToken);
      },
    });
    await collect(source.pull(null, { now }));
    expect(stored).toEqual(["rt-2"]);
    expect(state.log.some((line) => line.startsWith("refresh"))).toBe(false);
  });

  describe("request timeout", () => {
    const hangingQuery = (seen: string[]) =>
      http.get(`${baseUrl}9130/query`, async ({ request }) => {
        seen.push(new URL(request.url).searchParams.get("query") ?? "");
        await delay("infinite");
        return HttpResponse.json({});
      });

    it("cuts off a query that never answers: a transient, retryable failure naming the wait", async () => {
      const seen: string[] = [];
      server.use(hangingQuery(seen));
      const source = createQuickBooksSource({
        clientId: "client",
        clientSecret: "secret",
        realmId: "9130",
        refreshToken: "rt-1",
        accessToken: "at-1",
        baseUrl,
        tokenUrl,
        timeoutMs: 150,
        onTokens: async () => {},
      });
      const started = performance.now();
      const error = await collect(source.pull(null, { now })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toMatchObject({ kind: "transient", retryable: true, status: null });
      expect((error as SourceError).message).toBe("quickbooks: query Customer: no answer within 0.15 s");
      expect(performance.now() - started).toBeLessThan(5_000);
      // One request, abandoned: the connector does not retry by itself (the job layer does, with backoff).
      expect(seen).toHaveLength(1);
    });

    it("cuts off a token refresh that never answers, and leaves other requests their own deadline", async () => {
      let refreshes = 0;
      server.use(
        http.post(tokenUrl, async () => {
          refreshes += 1;
          if (refreshes === 1) await delay("infinite");
          return HttpResponse.json({ access_token: "at-2", refresh_token: "rt-2", expires_in: 3600 });
        }),
      );
      const make = () =>
        createQuickBooksSource({
          clientId: "client",
          clientSecret: "secret",
          realmId: "9130",
          refreshToken: "rt-1",
          baseUrl,
          tokenUrl,
          timeoutMs: 150,
          onTokens: async () => {},
        });
      await expect(collect(make().pull(null, { now }))).rejects.toMatchObject({
        kind: "transient",
        message: "quickbooks: token refresh: no answer within 0.15 s",
      });
      // The next attempt's requests answer in time: each request gets a fresh deadline.
      const state: Company = { log: [], validToken: "at-2", issued: 1 };
      server.use(...company(state).slice(1));
      const batches = await collect(make().pull(null, { now }));
      expect(batches.map((b) => b.label)).toContain("Invoice page 1");
      expect(refreshes).toBe(2);
    });
  });
});
