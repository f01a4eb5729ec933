// The card's actions: Retry payment, Flag issue and Link. Each posts what CARD_API.md says, shows the API's message or
// problem detail, and reloads the card after a success.
import { Alert, Button, Form, Heading, Input, Select, Tag, TextArea } from "@hubspot/ui-extensions";
import { describe, expect, it } from "vitest";
import type { LinkedCard } from "../api/types";
import { linkedCard, unlinkedCard } from "./fixtures";
import { fire, textOf } from "./nodes";
import { json, onReckon, problem, requestsTo, serveFakeReckonApi } from "./reckonApi";
import { patiently, renderCard } from "./renderCard";

serveFakeReckonApi();

/** Renders the card and waits until its first answer shows (the account's name, or the unlinked heading). */
async function renderLoaded(heading: string) {
  const renderer = renderCard();
  await renderer.waitFor(() => expect(renderer.find(Heading).text).toBe(heading), patiently);
  return renderer;
}

function withRetryRequested(card: LinkedCard): LinkedCard {
  return {
    ...card,
    payments: card.payments.map((payment) =>
      payment.id === "ch_failed_1" ? { ...payment, retry: { state: "requested", requestId: "rr_1" } } : payment,
    ),
  };
}

describe("Retry payment", () => {
  it("posts the payment id, shows the API's message and reloads the card", async () => {
    const before = linkedCard();
    onReckon("GET", "/card", json(before), json(withRetryRequested(before)));
    onReckon(
      "POST",
      "/payment-retries",
      json({ retry: { id: "rr_1", status: "requested" }, message: "Retry requested: finance approves it today." }, 201),
    );
    const { find, findByTestId, maybeFind, waitFor } = await renderLoaded("Acme Analytics");

    findByTestId(Button, "retry-ch_failed_1").trigger("onClick");

    await waitFor(() => expect(find(Tag, (tag) => tag.text === "Retry requested")).toBeTruthy(), patiently);
    expect(requestsTo("/payment-retries").map((request) => request.body)).toEqual([{ paymentId: "ch_failed_1" }]);
    expect(requestsTo("/card")).toHaveLength(2);
    const notice = find(Alert, { testId: "notice" });
    expect(notice.props.variant).toBe("success");
    expect(textOf(notice)).toBe("Retry requested: finance approves it today.");
    expect(maybeFind(Button, { testId: "retry-ch_failed_1" })).toBeNull();
  });

  it("shows the problem's detail and keeps the card as it was when Reckon refuses", async () => {
    onReckon("GET", "/card", json(linkedCard()));
    onReckon(
      "POST",
      "/payment-retries",
      problem(403, "forbidden", "Your role (account manager) may not retry payments: ask finance."),
    );
    const { find, findByTestId, waitFor } = await renderLoaded("Acme Analytics");

    findByTestId(Button, "retry-ch_failed_1").trigger("onClick");

    await waitFor(() => expect(find(Alert, { testId: "notice" }).props.variant).toBe("danger"), patiently);
    expect(textOf(find(Alert, { testId: "notice" }))).toBe(
      "Your role (account manager) may not retry payments: ask finance.",
    );
    expect(requestsTo("/card")).toHaveLength(1);
    expect(findByTestId(Button, "retry-ch_failed_1").props.disabled).toBe(false);
  });
});

describe("Flag issue", () => {
  async function openForm() {
    onReckon("GET", "/card", json(linkedCard()));
    const renderer = await renderLoaded("Acme Analytics");
    renderer.findByTestId(Button, "open-flag-form").trigger("onClick");
    await renderer.waitFor(() => expect(renderer.find(Form)).toBeTruthy(), patiently);
    return renderer;
  }

  it("offers the API's reasons and the amount in the account's currency", async () => {
    const { find } = await openForm();
    expect(find(Select).props.options).toEqual(linkedCard().flagReasons);
    expect(find(Input).props.label).toBe("Amount (USD, optional)");
  });

  it("asks for a reason before sending anything", async () => {
    const { find, waitFor } = await openForm();

    find(Form).trigger("onSubmit");

    await waitFor(() => expect(find(Select).props.error).toBe(true), patiently);
    expect(find(Select).props.validationMessage).toBe("Choose a reason.");
    expect(requestsTo("/flags")).toHaveLength(0);
  });

  it("refuses an amount with more decimals than the currency has", async () => {
    const { find, waitFor } = await openForm();
    fire(find(Select), "onChange", "wrong_amount");
    fire(find(Input), "onChange", "12.345");

    find(Form).trigger("onSubmit");

    await waitFor(() => expect(find(Input).props.validationMessage).toBe("Use at most 2 decimals for USD."), patiently);
    expect(find(Input).props.error).toBe(true);
    expect(find(Select).props.error).toBe(false);
    expect(requestsTo("/flags")).toHaveLength(0);
  });

  it("posts the reason, note and amount in minor units, shows the message, closes the form and reloads", async () => {
    onReckon(
      "POST",
      "/flags",
      json(
        { flag: { id: "flag-2", reason: "missing_invoice" }, message: "Flag raised: finance will look at it." },
        201,
      ),
    );
    const { find, maybeFind, waitFor } = await openForm();
    fire(find(Select), "onChange", "missing_invoice");
    fire(find(TextArea), "onChange", "  Invoice 1044 never arrived  ");
    fire(find(Input), "onChange", "12.5");

    find(Form).trigger("onSubmit");

    await waitFor(() => expect(maybeFind(Form)).toBeNull(), patiently);
    expect(requestsTo("/flags").map((request) => request.body)).toEqual([
      { reason: "missing_invoice", note: "Invoice 1044 never arrived", amount: { minor: "1250", currency: "USD" } },
    ]);
    expect(textOf(find(Alert, { testId: "notice" }))).toBe("Flag raised: finance will look at it.");
    expect(requestsTo("/card")).toHaveLength(2);
  });

  it("sends neither note nor amount when they are left empty", async () => {
    onReckon("POST", "/flags", json({ flag: { id: "flag-3", reason: "other" }, message: "Flag raised." }, 201));
    const { find, maybeFind, waitFor } = await openForm();
    fire(find(Select), "onChange", "other");

    find(Form).trigger("onSubmit");

    await waitFor(() => expect(maybeFind(Form)).toBeNull(), patiently);
    expect(requestsTo("/flags").map((request) => request.body)).toEqual([{ reason: "other" }]);
  });

  it("keeps the form open with what was typed when Reckon refuses", async () => {
    onReckon("POST", "/flags", problem(400, "invalid", "The note is longer than 2,000 characters."));
    const { find, waitFor } = await openForm();
    fire(find(Select), "onChange", "other");
    fire(find(TextArea), "onChange", "too long, says the API");

    find(Form).trigger("onSubmit");

    await waitFor(() => expect(textOf(find(Alert, { testId: "notice" }))).toContain("longer than 2,000"), patiently);
    expect(find(TextArea).props.value).toBe("too long, says the API");
    expect(requestsTo("/card")).toHaveLength(1);
  });
});

describe("Link", () => {
  it("links an admin's chosen account, shows the message and reloads into the linked card", async () => {
    onReckon("GET", "/card", json(unlinkedCard()), json(linkedCard()));
    onReckon(
      "POST",
      "/link",
      json({
        account: { id: "9a4c1f1e-2b7d-4c55-8f0e-3b7a1c2d4e5f", name: "Acme Analytics" },
        message: "Linked to Acme Analytics.",
      }),
    );
    const { find, findByTestId, waitFor } = await renderLoaded("Not linked to Reckon");

    findByTestId(Button, "link-9a4c1f1e-2b7d-4c55-8f0e-3b7a1c2d4e5f").trigger("onClick");

    await waitFor(() => expect(find(Heading).text).toBe("Acme Analytics"), patiently);
    expect(requestsTo("/link").map((request) => request.body)).toEqual([
      { accountId: "9a4c1f1e-2b7d-4c55-8f0e-3b7a1c2d4e5f" },
    ]);
    expect(requestsTo("/link")[0]?.recordId).toBe("4711");
    expect(textOf(find(Alert, { testId: "notice" }))).toBe("Linked to Acme Analytics.");
  });

  it("shows why Reckon would not link", async () => {
    onReckon("GET", "/card", json(unlinkedCard()));
    onReckon("POST", "/link", problem(409, "conflict", "That account is already linked to another HubSpot company."));
    const { find, findByTestId, waitFor } = await renderLoaded("Not linked to Reckon");

    findByTestId(Button, "link-1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f").trigger("onClick");

    await waitFor(() => expect(find(Alert, { testId: "notice" }).props.variant).toBe("danger"), patiently);
    expect(textOf(find(Alert, { testId: "notice" }))).toBe(
      "That account is already linked to another HubSpot company.",
    );
    expect(find(Heading).text).toBe("Not linked to Reckon");
  });
});
