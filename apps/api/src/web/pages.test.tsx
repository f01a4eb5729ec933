// The web views rendered to HTML: money and escaping, who is signed in, CSRF fields, role-dependent parts, sign-in.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AccountDetail, Freshness, PortfolioRow, PortfolioTotals, SourceStatus } from "@reckon/core";
import { describe, expect, it } from "vitest";
import { AccountView } from "./accountPage";
import { LinksView } from "./linksPage";
import { MetricsView, type PortfolioMetricsView } from "./metricsPage";
import { PortfolioView, type PortfolioViewProps } from "./portfolioPage";
import { SignInView } from "./signInPage";
import { SyncHeader } from "./syncHeader";
import { SyncStatusView } from "./syncStatusPage";
import type { Viewer } from "./viewer";

const usd = (minor: string) => ({ minor, currency: "USD" });

const finance: Viewer = {
  name: "Fin Ledger",
  role: "finance",
  workspace: "demo",
  csrfToken: "TOKEN-123",
  canRefresh: true,
  canExport: true,
  ownAccountsOnly: false,
};

/** An account page without its actions (a role that may neither retry nor flag, and no retry requests). */
const readOnly = { retries: [], can: { retry: false, flag: false } };

const fresh: Freshness = {
  sources: (["amplitude", "quickbooks", "stripe"] as const).map((source) => ({
    source,
    state: "connected",
    lastGoodSyncAt: "2025-10-01T14:32:00.000Z",
    stale: false,
    staleOver24h: false,
  })),
  stale: false,
  staleOver24h: false,
};

/** QuickBooks revoked and down since `lastGood`; `over24h` as the verb would say. */
function quickbooksDown(lastGood: string | null, over24h: boolean): Freshness {
  return {
    sources: fresh.sources.map((s) =>
      s.source === "quickbooks"
        ? { ...s, state: "needs_reconnect", lastGoodSyncAt: lastGood, stale: true, staleOver24h: over24h }
        : s,
    ),
    stale: true,
    staleOver24h: over24h,
  };
}

function row(overrides: Partial<PortfolioRow>): PortfolioRow {
  return {
    accountId: "6b84b10f-677d-4a23-b0f1-8feb9cef90d4",
    name: "Acme Corp",
    owner: { id: "11111111-1111-4111-8111-111111111111", name: "Dana Owner" },
    status: "ok",
    usage: { metric: "storage_gb", unit: "GB", monthToDate: "1250.500000" },
    latestInvoice: { number: "INV-456", total: usd("520000"), dueOn: "2025-10-15" },
    paymentStatus: "paid",
    outstanding: usd("0"),
    overdue: usd("0"),
    maxDaysLate: 0,
    discrepancyCount: 0,
    openFlagCount: 0,
    outlier: false,
    headline: "OK: 3 periods reconciled, nothing overdue.",
    reconciledAt: "2025-10-01T14:32:00.000Z",
    ...overrides,
  };
}

describe("PortfolioView", () => {
  it("renders rows with exact money, marks outliers in text, escapes names and pages with the filters", async () => {
    const html = String(
      await PortfolioView({
        filters: { q: "a", status: "at_risk" },
        page: {
          rows: [
            row({}),
            row({ name: "Beta <b>Inc</b>", status: "at_risk", paymentStatus: "overdue", maxDaysLate: 12 }),
          ],
          nextCursor: "CURSOR",
          sort: "name",
          freshness: fresh,
        },
        lastSync: "2025-10-01T14:32:00.000Z",
        owners: [],
        paged: false,
        viewer: finance,
      }),
    );
    expect(html).toContain("$5,200.00");
    expect(html).toContain("1,250.5 GB");
    expect(html).toContain("Overdue 12 days");
    expect(html).toContain("Beta &lt;b&gt;Inc&lt;/b&gt;");
    expect(html.match(/<tr class="outlier"/g)).toHaveLength(1);
    expect(html).toContain('<span class="sr-only">Outlier:</span>');
    expect(html).toContain('href="/?q=a&amp;status=at_risk&amp;cursor=CURSOR"');
    expect(html).toContain("Last sync: <time");
  });

  it("says when nothing matches and how to clear the filters", async () => {
    const html = String(
      await PortfolioView({
        filters: { q: "zzz" },
        page: { rows: [], nextCursor: null, sort: "name", freshness: fresh },
        lastSync: null,
        owners: [],
        paged: false,
        viewer: finance,
      }),
    );
    expect(html).toContain("No accounts match these filters");
    expect(html).toContain('<a href="/">Clear the filters</a>');
  });

  const grid: PortfolioViewProps = {
    filters: {},
    page: { rows: [row({})], nextCursor: null, sort: "name", freshness: fresh },
    lastSync: null,
    owners: [{ id: "11111111-1111-4111-8111-111111111111", name: "Dana Owner" }],
    paged: false,
    viewer: finance,
  };

  it("shows who is signed in, and every POST form carries the session's CSRF token", async () => {
    const html = String(await PortfolioView(grid));
    expect(html).toContain("Signed in as <strong>Fin Ledger</strong> (Finance) in <strong>demo</strong>");
    const forms = html.match(/<form method="post"[\s\S]*?<\/form>/g) ?? [];
    expect(forms.map((f) => /action="([^"]+)"/.exec(f)?.[1])).toEqual([
      "/refresh",
      "/sign-out",
      "/portfolio/export",
      "/tour",
    ]);
    for (const form of forms) expect(form).toContain('<input type="hidden" name="_csrf" value="TOKEN-123"/>');
    expect(html).toContain('id="filter-owner"');
  });

  it("offers Refresh only to roles that may refresh", async () => {
    const viewer: Viewer = { ...finance, name: "Vic Viewer", role: "viewer", canRefresh: false };
    const html = String(await PortfolioView({ ...grid, viewer }));
    expect(html).not.toContain('action="/refresh"');
    expect(html).not.toContain(">Refresh<");
    expect(html).toContain('action="/sign-out"');
  });

  it("tells an account manager they see their own portfolio and offers no owner filter", async () => {
    const viewer: Viewer = { ...finance, name: "Dana Owner", role: "account_manager", ownAccountsOnly: true };
    const html = String(await PortfolioView({ ...grid, viewer }));
    expect(html).toContain("You see your own portfolio");
    expect(html).not.toContain('id="filter-owner"');
    expect(html).toContain('action="/refresh"');
  });
});

describe("portfolio totals, quarters and empty states", () => {
  const totals = (converted: boolean): PortfolioTotals => {
    const base = (minor: string) => ({
      total: usd(minor),
      converted,
      complete: true,
      label: converted ? "converted to USD at rates of 2025-09-30" : "in USD",
    });
    return {
      accounts: 1234,
      baseCurrency: "USD",
      asOf: "2025-10-01",
      byCurrency: [
        {
          currency: "EUR",
          accounts: 4,
          invoiced: { minor: "1000", currency: "EUR" },
          outstanding: { minor: "500", currency: "EUR" },
          overdue: { minor: "0", currency: "EUR" },
        },
        { currency: "USD", accounts: 1230, invoiced: usd("520000"), outstanding: usd("1000"), overdue: usd("1000") },
      ],
      invoiced: base("521100"),
      outstanding: base("1550"),
      overdue: base("1000"),
    };
  };
  const page = { rows: [row({})], nextCursor: null, sort: "name", freshness: fresh };
  const view = async (props: Partial<PortfolioViewProps>) =>
    String(
      await PortfolioView({ filters: {}, page, lastSync: null, owners: [], paged: false, viewer: finance, ...props }),
    );

  it("totals every page in the base currency, and marks and explains a converted sum", async () => {
    const plain = await view({ totals: totals(false) });
    expect(plain).toContain('<tfoot><tr id="portfolio-totals"><th scope="row">Total: 1,234 accounts, every page');
    expect(plain).toContain("$5,211.00");
    expect(plain).toContain("Totals in USD, the base currency of this workspace.");
    expect(plain).not.toContain('href="#totals-note"');
    const converted = await view({ totals: totals(true) });
    expect(converted.match(/href="#totals-note"/g)).toHaveLength(3);
    expect(converted).toContain("Totals converted to USD at rates of 2025-09-30. Per currency: EUR invoiced €10.00");
    expect(await view({ totals: null })).not.toContain("portfolio-totals");
  });

  it("offers the quarters around today, keeps the chosen one, and formats due days in the reader's locale", async () => {
    const html = await view({ today: "2025-11-20", filters: { quarter: "2024-Q2" } });
    const options = [...html.matchAll(/<option value="(\d{4}-Q\d)"( selected="")?>([^<]+)</g)].map((m) => [
      m[1],
      !!m[2],
      m[3],
    ]);
    expect(options).toEqual([
      ["2024-Q2", true, "2024 Q2"],
      ["2025-Q3", false, "2025 Q3 (last)"],
      ["2025-Q4", false, "2025 Q4 (current)"],
      ["2026-Q1", false, "2026 Q1"],
      ["2026-Q2", false, "2026 Q2"],
    ]);
    expect(html).toContain('<time datetime="2025-10-15">Oct 15, 2025</time>');
  });

  const source = (
    name: SourceStatus["source"],
    connection: SourceStatus["connection"],
    run?: string,
  ): SourceStatus => ({
    source: name,
    connected: connection !== "not_connected",
    connection,
    action: null,
    lastRun: run
      ? {
          id: "r",
          mode: "full",
          status: run,
          counts: {},
          errors: [],
          startedAt: "2025-10-01T00:00:00Z",
          finishedAt: null,
        }
      : null,
    cursorUpdatedAt: null,
    lastError: null,
    nextRunAt: null,
  });
  const empty = { rows: [], nextCursor: null, sort: "name", freshness: fresh };
  const admin: Viewer = { ...finance, name: "Ada Admin", role: "admin" };

  it("with nothing connected, says to connect a source: the steps for an admin, whom to ask for anyone else", async () => {
    const none = (["amplitude", "quickbooks", "stripe"] as const).map((s) => source(s, "not_connected"));
    const forAdmin = await view({ page: empty, sources: none, viewer: admin });
    expect(forAdmin).toContain("Connect a source to see your portfolio");
    expect(forAdmin).toContain("<code>PUT /v1/connections/{source}</code>");
    expect(forAdmin).toContain('<a href="/links">map the accounts</a>');
    const forFinance = await view({ page: empty, sources: none });
    expect(forFinance).toContain("Ask an admin of your workspace to connect them");
    expect(forFinance).not.toContain("PUT /v1/connections");
    expect(forFinance).not.toContain("No accounts match these filters");
  });

  it("with sources connected and no accounts, says a sync is running or where to look, and what is still unconnected", async () => {
    const running = [source("quickbooks", "connected", "running"), source("stripe", "not_connected")];
    expect(await view({ page: empty, sources: running })).toContain("A sync is running: accounts appear here");
    const idle = [source("quickbooks", "connected", "succeeded"), source("stripe", "not_connected")];
    const html = await view({ page: empty, sources: idle, viewer: admin });
    expect(html).toContain("1 source connected, but no account has been reconciled");
    expect(html).toContain('<a href="/links">Map accounts</a> for customers that belong to no account');
    expect(html).toContain("Not connected yet: Stripe.");
  });
});

describe("LinksView", () => {
  it("lists suggested links and unlinked records, each Confirm a CSRF-carrying form naming account and record", async () => {
    const account = { id: "6b84b10f-677d-4a23-b0f1-8feb9cef90d4", name: "Acme <Corp>" };
    const html = String(
      await LinksView({
        viewer: { ...finance, role: "admin" },
        links: {
          suggested: [{ account, source: "stripe", sourceId: "cus_123", sourceName: "ACME corp" }],
          unlinked: [
            {
              source: "quickbooks",
              sourceId: "58",
              name: "Acme Holdings",
              email: "ap@acme.test",
              suggestedAccount: account,
            },
            { source: "amplitude", sourceId: "grp-9", name: null, email: null, suggestedAccount: null },
          ],
          counts: { suggested: 1, unlinked: 2 },
        },
      }),
    );
    expect(html).toContain("Suggested links to confirm (1)");
    expect(html).toContain("Records no account links yet (2)");
    expect(html).toContain("Acme &lt;Corp&gt;");
    const forms = html.match(/<form method="post" action="\/links\/confirm"[\s\S]*?<\/form>/g) ?? [];
    expect(forms).toHaveLength(2);
    for (const form of forms) {
      expect(form).toContain('name="_csrf" value="TOKEN-123"');
      expect(form).toContain(`name="accountId" value="${account.id}"`);
    }
    expect(forms[0]).toContain('name="sourceId" value="cus_123"');
    expect(forms[1]).toContain('name="source" value="quickbooks"');
    expect(html).toContain("None, or several: link it by id");
  });
});

describe("SignInView", () => {
  const base = { csrfToken: "SIGNIN-TOKEN", next: "/accounts/1", values: { workspace: "demo", email: "" } };

  it("lists the demo users with one sign-in form each, carrying the CSRF token and the way back", async () => {
    const html = String(
      await SignInView({
        ...base,
        demo: {
          workspace: "demo",
          users: [
            { email: "viewer@demo.example.com", name: "Vic Viewer", role: "viewer", password: "pw" },
            { email: "admin@demo.example.com", name: "Ada Admin", role: "admin", password: "pw" },
          ],
        },
      }),
    );
    expect(html).toContain('id="demo-users"');
    // Admin first, then the other roles in the permission table's order.
    expect(html.indexOf("Ada Admin")).toBeLessThan(html.indexOf("Vic Viewer"));
    const forms = html.match(/<form[\s\S]*?<\/form>/g) ?? [];
    expect(forms).toHaveLength(3);
    for (const form of forms) {
      expect(form).toContain('name="_csrf" value="SIGNIN-TOKEN"');
      expect(form).toContain('name="next" value="/accounts/1"');
    }
    expect(html).toContain('name="workspace" value="demo"');
    expect(html).toContain('<span class="sr-only"> as Ada Admin</span>');
  });

  it("says nothing about demo users without a demo, and shows failures without echoing the password", async () => {
    const html = String(
      await SignInView({ ...base, demo: null, values: { workspace: "acme", email: "a@b.c" }, failure: "No match." }),
    );
    expect(html).not.toContain("Demo users");
    expect(html).not.toContain("demo-users");
    expect(html).toContain("No match.");
    expect(html).toContain('value="a@b.c"');
    expect(html).not.toMatch(/name="password"[^>]*value=/);
  });
});

describe("AccountView", () => {
  const detail: AccountDetail = {
    account: {
      id: "6b84b10f-677d-4a23-b0f1-8feb9cef90d4",
      name: "Acme Corp",
      owner: null,
      links: {
        quickbooks: { id: "58", method: "explicit" },
        stripe: { id: "cus_1", method: "suggested" },
        amplitude: null,
      },
    },
    status: null,
    usage: [{ metric: "storage_gb", unit: "GB", monthToDate: "10", months: [{ period: "2025-10", quantity: "10" }] }],
    invoices: [],
    payments: [],
    reconciliation: [],
    discrepancies: [],
    timeline: [],
    sync: [
      {
        source: "stripe",
        connected: true,
        connection: "connected",
        action: null,
        lastRun: {
          id: "r1",
          mode: "incremental",
          status: "partial",
          counts: {},
          errors: [{ kind: "rate_limited", message: "429 after 3 pages" }],
          startedAt: "2025-10-01T14:30:00.000Z",
          finishedAt: "2025-10-01T14:31:00.000Z",
        },
        cursorUpdatedAt: null,
        lastError: null,
        nextRunAt: null,
      },
    ],
    partialSync: true,
    partialSyncs: [
      {
        runId: "r1",
        source: "stripe",
        startedAt: "2025-10-01T14:30:00.000Z",
        missed: ["everything after customers page 3"],
        error: "429 after 3 pages",
      },
    ],
    freshness: fresh,
    forecast: null,
    flags: [],
    openFlagCount: 0,
  };

  it("says the last sync and whether the account reconciled on its own, and if not what is left", async () => {
    const render = async (changes: Partial<AccountDetail>) => {
      const html = String(
        await AccountView({
          detail: { ...detail, ...changes },
          lastSync: null,
          today: "2025-10-20",
          viewer: finance,
          ...readOnly,
        }),
      );
      return /<dd id="auto-reconciled">([\s\S]*?)<\/dd>/.exec(html)?.[1]?.replace(/<[^>]+>/g, "");
    };
    const period = (p: string, status: string) => ({
      period: p,
      status,
      explanation: "",
      details: {},
      computedAt: "2025-10-01T00:00:00.000Z",
    });
    expect(await render({})).toBe("Not yet: no billed period to match");
    const matched = [period("2025-08", "matched"), period("2025-09", "matched"), period("2025-10", "in_progress")];
    expect(await render({ reconciliation: matched, partialSync: false })).toBe("Yes");
    expect(await render({ reconciliation: matched })).toBe("No: a partial sync to resolve (see below)");
    expect(await render({ reconciliation: [period("2025-09", "discrepancy"), ...matched], partialSync: false })).toBe(
      "No: 1 period outside the tolerance (see below)",
    );
    const html = String(
      await AccountView({ detail, lastSync: null, today: "2025-10-20", viewer: finance, ...readOnly }),
    );
    expect(html).toMatch(/<dt>Last sync<\/dt><dd>2025-10-01 14:31 UTC<\/dd>/);
  });

  it("lists the open flags with reason, amount, note and who raised them, and says when there are none", async () => {
    const flagged = {
      ...detail,
      openFlagCount: 1,
      flags: [
        {
          id: "f1",
          account: { id: "a1", name: "Acme Corp" },
          reason: "other" as const,
          note: "Contract says 30 seats <b>",
          amount: usd("125000"),
          status: "open" as const,
          raisedBy: { id: "u1", name: "Lena Fischer" },
          raisedVia: "slack" as const,
          createdAt: "2025-10-01T14:32:00.000Z",
          resolvedBy: null,
          resolvedAt: null,
          resolution: null,
          slackThread: { channelId: "C1", ts: "1.2" },
        },
      ],
    };
    const html = String(
      await AccountView({ detail: flagged, lastSync: null, today: "2025-10-20", viewer: finance, ...readOnly }),
    );
    expect(html).toContain("Open flags (1)");
    expect(html).toContain("$1,250.00");
    expect(html).toContain("Contract says 30 seats &lt;b&gt;");
    expect(html).toContain("Raised by Lena Fischer via slack");
    expect(
      String(await AccountView({ detail, lastSync: null, today: "2025-10-20", viewer: finance, ...readOnly })),
    ).toContain("No open flags.");
  });

  it("shows the partial-sync banner, the suggested link and an SVG trend", async () => {
    const html = String(
      await AccountView({ detail, lastSync: null, today: "2025-10-20", viewer: finance, ...readOnly }),
    );
    expect(html).toContain("Data from Stripe is incomplete:");
    expect(html).toContain("it did not get everything after customers page 3");
    expect(html).toContain("until an admin resolves the partial sync");
    expect(html).not.toContain('id="stale-data"');
    expect(html).toContain("suggested");
    expect(html).toContain('<svg viewBox="0 0 560 220" role="img"');
    expect(html).toContain("to date");
  });

  it("shows discrepancies with money at stake, the projection with its band and alerts, and the timeline", async () => {
    const html = String(
      await AccountView({
        detail: {
          ...detail,
          discrepancies: [
            {
              kind: "under_billed",
              severity: "warning",
              period: "2025-09",
              amount: usd("23600"),
              sourceIds: ["qbo:Invoice:130"],
              explanation: "Invoice 1043 bills 1,200 GB; Amplitude metered 1,318 GB: under-billed by $236.00.",
              firstSeenAt: "2025-10-02T00:00:00.000Z",
            },
          ],
          timeline: [
            {
              at: "2025-10-02T00:00:00.000Z",
              event: "found",
              kind: "under_billed",
              period: "2025-09",
              explanation: "x",
            },
          ],
          forecast: {
            metrics: [
              {
                metric: "storage_gb",
                projection: {
                  quarter: "2025-Q4",
                  projectedTotal: "5200000000",
                  band: { low: "4900000000", high: "5500000000" },
                  confidence: "normal",
                },
                backtest: { mapePercent: 6.2 },
                alerts: [
                  { severity: "warning", explanation: "storage_gb is on track for 118% of the committed volume." },
                ],
              },
            ],
          },
        },
        lastSync: null,
        today: "2025-10-20",
        viewer: finance,
        ...readOnly,
      }),
    );
    expect(html).toContain("Under-billed");
    expect(html).toContain("$236.00 at stake");
    expect(html).toContain("5,200 GB");
    expect(html).toContain("4,900–5,500");
    expect(html).toContain("backtest error 6.2%");
    expect(html).toContain("on track for 118%");
    expect(html).toContain("Timeline: 1 change");
  });
});

describe("stale data and a source that needs reconnecting", () => {
  const admin: Viewer = { ...finance, name: "Ada Admin", role: "admin" };
  const page = (freshness: Freshness) => ({ rows: [row({})], nextCursor: null, sort: "name", freshness });
  const view = (freshness: Freshness, viewer: Viewer) =>
    PortfolioView({ filters: {}, page: page(freshness), lastSync: null, owners: [], paged: false, viewer });

  it("keeps the rows and says whose data is stale and as of when", async () => {
    const html = String(await view(quickbooksDown("2025-10-01T14:32:00.000Z", false), finance));
    expect(html).toContain("Acme Corp");
    expect(html).toContain('<div class="banner" role="status" id="stale-data">');
    expect(html).toContain("QuickBooks is disconnected:");
    expect(html).toContain("showing its data as of");
    expect(html).not.toContain("more than 24 hours old");
    // Only admins get the reconnect instructions.
    expect(html).not.toContain('id="needs-reconnect"');
  });

  it("says so more strongly past 24 hours, and tells an admin how to reconnect", async () => {
    const html = String(await view(quickbooksDown("2025-09-28T10:00:00.000Z", true), admin));
    expect(html).toContain('<div class="error" role="status" id="stale-data">');
    expect(html).toContain("more than 24 hours old");
    expect(html).toContain("QuickBooks needs reconnecting.");
    expect(html).toContain("/v1/connections/quickbooks");
  });

  it("has no stale or reconnect banner while every source is fresh", async () => {
    const html = String(await view(fresh, admin));
    expect(html).not.toContain('id="stale-data"');
    expect(html).not.toContain('id="needs-reconnect"');
  });
});

describe("SyncStatusView", () => {
  it("says which source needs reconnecting and what to do, beside the ones that sync", async () => {
    const run = {
      id: "r1",
      mode: "incremental",
      status: "complete",
      counts: { invoices: 3 },
      errors: [],
      startedAt: "2025-10-01T14:30:00.000Z",
      finishedAt: "2025-10-01T14:32:00.000Z",
    };
    const html = String(
      await SyncStatusView({
        viewer: finance,
        sources: [
          {
            source: "quickbooks",
            connected: true,
            connection: "needs_reconnect",
            action: "QuickBooks refused the connection: an admin connects it again (PUT /v1/connections/quickbooks).",
            lastRun: { ...run, status: "partial" },
            cursorUpdatedAt: null,
            lastError: { runId: "r1", at: "2025-10-01T14:31:00.000Z", kind: "revoked", message: "invalid_grant" },
            nextRunAt: null,
          },
          {
            source: "stripe",
            connected: true,
            connection: "connected",
            action: null,
            lastRun: run,
            cursorUpdatedAt: null,
            lastError: null,
            nextRunAt: "2025-10-01T14:37:00.000Z",
          },
        ],
      }),
    );
    expect(html).toContain("needs reconnecting");
    expect(html).toContain("an admin connects it again");
    expect(html).toContain("revoked: invalid_grant");
    expect(html.match(/needs reconnecting/g)).toHaveLength(1);
    expect(html).toContain("3 invoices");
  });
});

describe("finance metrics page", () => {
  const total = (minor: string) => ({ base: "USD", totalMinor: minor, converted: false, label: "in USD" });
  const metrics: PortfolioMetricsView = {
    asOf: "2025-10-20",
    window: { from: "2025-07-23", to: "2025-10-20" },
    accounts: 3,
    baseCurrency: "USD",
    totals: { openReceivables: total("1500000"), mrr: total("420000") },
    aging: {
      portfolio: [
        {
          currency: "USD",
          buckets: { current: "500000", "1-30": "400000", "31-60": "300000", "61-90": "200000", "90+": "100000" },
          totalMinor: "1500000",
          invoiceCount: 9,
        },
      ],
    },
    receivables: [
      {
        currency: "USD",
        dso: { standard: { ok: true, text: "41.2 days" }, countback: { ok: true, text: "38.0 days" } },
        cei: { ok: true, text: "87.5%" },
      },
    ],
    mrr: [
      {
        currency: "USD",
        months: [
          { period: "2025-08", mrrMinor: "400000", activeAccounts: 3 },
          { period: "2025-09", mrrMinor: "420000", activeAccounts: 3 },
        ],
        total: {
          startMinor: "380000",
          newMinor: "50000",
          expansionMinor: "10000",
          reactivationMinor: "0",
          contractionMinor: "5000",
          churnMinor: "15000",
          endMinor: "420000",
        },
      },
    ],
  };

  it("shows each total once, the aging buckets as bars with the oldest in red, and MRR movements", async () => {
    const html = String(await MetricsView({ metrics, viewer: finance }));
    expect(html.match(/<dt>Open receivables<\/dt>/g)).toHaveLength(1);
    expect(html.match(/<dt>MRR<\/dt>/g)).toHaveLength(1);
    expect(html).toContain("$15,000.00");
    expect(html).toContain("41.2 days (countback 38.0 days)");
    expect(html).toContain("87.5%");
    // Five aging bars and two MRR bars, each with its exact amount in its tooltip.
    expect(html.match(/<rect /g)).toHaveLength(7);
    expect(html).toContain("<title>Over 90 days: $1,000.00</title>");
    expect(html.match(/fill="#b42318"/g)).toHaveLength(2);
    expect(html).toContain("-$150.00");
    expect(html).toContain("Movements over the 12 months (USD)");
  });
});

describe("sync header", () => {
  it("says how far a running sync has come and reloads until it is done; says nothing extra when idle", async () => {
    const running = String(
      await SyncHeader({
        lastSync: "2025-10-01T14:32:00.000Z",
        back: "",
        viewer: finance,
        running: [{ source: "quickbooks", records: 1234 }],
      }),
    );
    expect(running).toContain("Syncing now: QuickBooks (1,234 records so far)");
    expect(running).toContain("location.reload()");
    const idle = String(await SyncHeader({ lastSync: null, back: "", viewer: finance, running: [] }));
    expect(idle).not.toContain("Syncing now");
    expect(idle).not.toContain("<script");
  });
});
