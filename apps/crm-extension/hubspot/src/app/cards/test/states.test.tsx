// The states CARD_API.md says the card must render before its full data: loading, error, unlinked, partial sync.
import { Alert, Button, Heading, LoadingSpinner, Table, Text } from "@hubspot/ui-extensions";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { UNAVAILABLE } from "../api/reckonClient";
import { linkedCard, unlinkedCard } from "./fixtures";
import { rowsOf, textOf } from "./nodes";
import { json, onReckon, problem, requestsTo, serveFakeReckonApi } from "./reckonApi";
import { companyProperties, patiently, renderCard } from "./renderCard";

serveFakeReckonApi();

describe("loading", () => {
  it("shows a spinner until Reckon answers, then the card", async () => {
    let answer: (response: Response) => void = () => {};
    const answered = new Promise<Response>((resolve) => {
      answer = resolve;
    });
    onReckon("GET", "/card", () => answered);

    const { find, maybeFind, waitFor } = renderCard();

    expect(find(LoadingSpinner).props.label).toBe("Loading billing data from Reckon");
    expect(maybeFind(Heading)).toBeNull();
    answer(HttpResponse.json(linkedCard()));
    await waitFor(() => expect(find(Heading).text).toBe("Acme Analytics"), patiently);
    expect(maybeFind(LoadingSpinner)).toBeNull();
  });

  it("asks for this company's card with its name, domain and QuickBooks id as hints", async () => {
    onReckon("GET", "/card", json(linkedCard()));
    const { find, mocks, waitFor } = renderCard({ recordId: 9001 });
    await waitFor(() => expect(find(Heading).text).toBe("Acme Analytics"), patiently);

    expect(mocks.actions.fetchCrmObjectProperties.calls).toEqual([[["name", "domain", "quickbooks_customer_id"]]]);
    const [request] = requestsTo("/card");
    expect(request?.recordId).toBe("9001");
    expect(request?.query.get("name")).toBe(companyProperties.name);
    expect(request?.query.get("domain")).toBe(companyProperties.domain);
    expect(request?.query.get("quickbooksCustomerId")).toBe(companyProperties.quickbooks_customer_id);
  });

  it("leaves out hints the record does not have", async () => {
    onReckon("GET", "/card", json(unlinkedCard()));
    const { find, waitFor } = renderCard({
      properties: { name: "Acme Analytics", domain: "", quickbooks_customer_id: "" },
    });
    await waitFor(() => expect(find(Text, { testId: "unlinked-message" })).toBeTruthy(), patiently);

    const query = requestsTo("/card")[0]?.query;
    expect(query?.get("name")).toBe("Acme Analytics");
    expect(query?.has("domain")).toBe(false);
    expect(query?.has("quickbooksCustomerId")).toBe(false);
  });
});

describe("error", () => {
  it("shows the problem's detail as the API wrote it", async () => {
    const detail = "Your HubSpot user is not mapped to a Reckon user: ask a Reckon admin to map 123:1.";
    onReckon("GET", "/card", problem(403, "forbidden", detail));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(textOf(find(Alert, { testId: "load-error" }))).toContain(detail), patiently);
    expect(find(Alert, { testId: "load-error" }).props.variant).toBe("danger");
  });

  it("says Reckon is unavailable when the answer carries no detail", async () => {
    onReckon("GET", "/card", () => new HttpResponse("Bad gateway", { status: 502 }));
    const { find, waitFor } = renderCard();
    await waitFor(() => expect(textOf(find(Alert, { testId: "load-error" }))).toContain(UNAVAILABLE), patiently);
  });

  it("says Reckon is unavailable when the request does not get through, and Try again loads the card", async () => {
    onReckon("GET", "/card", () => HttpResponse.error(), json(linkedCard()));
    const { find, waitFor } = renderCard();
    await waitFor(() => expect(textOf(find(Alert, { testId: "load-error" }))).toContain(UNAVAILABLE), patiently);

    find(Button, (button) => button.text === "Try again").trigger("onClick");
    await waitFor(() => expect(find(Heading).text).toBe("Acme Analytics"), patiently);
    expect(requestsTo("/card")).toHaveLength(2);
  });
});

describe("unlinked", () => {
  it("shows an admin the suggestions, each with a Link button", async () => {
    onReckon("GET", "/card", json(unlinkedCard()));
    const { find, findAll, findByTestId, maybeFind, waitFor } = renderCard();
    await waitFor(() => expect(find(Heading).text).toBe("Not linked to Reckon"), patiently);

    expect(find(Text, { testId: "unlinked-message" }).text).toBe(
      "This company is not linked to a Reckon account yet. An admin can link it.",
    );
    const rows = rowsOf(findByTestId(Table, "suggestions-table")).slice(1);
    expect(rows[0]).toContain("Acme Analytics Inc.");
    expect(rows[0]).toContain("Domain");
    expect(rows[1]).toContain("ACME Analytics");
    expect(rows[1]).toContain("Name");
    expect(findAll(Button).map((button) => [button.text, button.props.testId])).toEqual([
      ["Link", "link-9a4c1f1e-2b7d-4c55-8f0e-3b7a1c2d4e5f"],
      ["Link", "link-1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"],
    ]);
    expect(maybeFind(Text, { testId: "ask-an-admin" })).toBeNull();
  });

  it("shows others the suggestions without Link, and tells them to ask an admin", async () => {
    onReckon(
      "GET",
      "/card",
      json(unlinkedCard({ canLink: false, viewer: { name: "Avery Manager", role: "account_manager" } })),
    );
    const { find, findAll, findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(find(Heading).text).toBe("Not linked to Reckon"), patiently);

    expect(rowsOf(findByTestId(Table, "suggestions-table"))).toHaveLength(3);
    expect(findAll(Button)).toHaveLength(0);
    expect(find(Text, { testId: "ask-an-admin" }).text).toContain("ask one");
  });

  it("says so when no account looks like this company", async () => {
    onReckon("GET", "/card", json(unlinkedCard({ suggestions: [] })));
    const { find, maybeFind, waitFor } = renderCard();
    await waitFor(() => expect(find(Heading).text).toBe("Not linked to Reckon"), patiently);
    expect(maybeFind(Table)).toBeNull();
    expect(find(Text, (text) => text.text?.includes("found no account") ?? false)).toBeTruthy();
  });
});

describe("partial sync and stale data", () => {
  it("puts the partial-sync warning above the numbers", async () => {
    onReckon(
      "GET",
      "/card",
      json(
        linkedCard({
          banners: {
            partialSync: {
              message: "The last Stripe sync stopped halfway: payments may be missing.",
              missed: ["stripe"],
            },
            stale: null,
          },
        }),
      ),
    );
    const { find, getRootNode, maybeFind, waitFor } = renderCard();
    await waitFor(() => expect(find(Heading).text).toBe("Acme Analytics"), patiently);

    const banner = find(Alert, { testId: "partial-sync-banner" });
    expect(banner.props.variant).toBe("warning");
    expect(textOf(banner)).toContain("The last Stripe sync stopped halfway: payments may be missing.");
    expect(textOf(banner)).toContain("Missed: stripe");
    const text = textOf(getRootNode());
    expect(text.indexOf("stopped halfway")).toBeLessThan(text.indexOf("Invoices"));
    expect(maybeFind(Alert, { testId: "stale-banner" })).toBeNull();
  });

  it("says which sources are down when it shows the last good data", async () => {
    onReckon(
      "GET",
      "/card",
      json(
        linkedCard({
          banners: {
            partialSync: null,
            stale: {
              message: "QuickBooks is not answering.",
              sources: ["quickbooks"],
              lastGoodAt: "2026-10-01T08:00:00Z",
            },
          },
        }),
      ),
    );
    const { find, maybeFind, waitFor } = renderCard();
    await waitFor(() => expect(find(Heading).text).toBe("Acme Analytics"), patiently);

    const banner = find(Alert, { testId: "stale-banner" });
    expect(textOf(banner)).toContain("QuickBooks is not answering.");
    expect(textOf(banner)).toContain("Down: QuickBooks; last good data from Oct 1, 2026");
    expect(maybeFind(Alert, { testId: "partial-sync-banner" })).toBeNull();
  });
});
