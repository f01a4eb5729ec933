// State 5 of CARD_API.md, full data: every section of a linked company's card, and who sees which action.
import {
  Button,
  Flex,
  Heading,
  LineChart,
  StatisticsItem,
  StatusTag,
  Table,
  TableRow,
  Tag,
  Text,
} from "@hubspot/ui-extensions";
import { describe, expect, it } from "vitest";
import { linkedCard } from "./fixtures";
import { rowsOf, textOf } from "./nodes";
import { json, onReckon, serveFakeReckonApi } from "./reckonApi";
import { patiently, renderCard } from "./renderCard";

serveFakeReckonApi();

describe("full data", () => {
  async function renderFull(card = linkedCard()) {
    onReckon("GET", "/card", json(card));
    const renderer = renderCard();
    await renderer.waitFor(() => expect(renderer.find(Heading).text).toBe(card.account.name), patiently);
    return renderer;
  }

  it("shows the reconciliation status, its headline and the account's owner", async () => {
    const { find, findByTestId } = await renderFull();
    expect(findByTestId(StatusTag, "reconciliation-status").text).toBe("Discrepancy");
    expect(findByTestId(StatusTag, "reconciliation-status").props.variant).toBe("danger");
    expect(findByTestId(Text, "status-headline").text).toBe(
      "Usage billed for 9,000 events but 12,400 were used in September",
    );
    expect(find(Tag, (tag) => tag.text === "Outlier")).toBeTruthy();
    expect(find(Text, (text) => text.text?.startsWith("2 discrepancies") ?? false).text).toContain("Oct 2, 2026");
    expect(textOf(find(Text, (text) => text.text?.startsWith("Owner:") ?? false))).toContain(
      "Alex Owner (alex@example.com)",
    );
  });

  it("shows usage month to date and the 12-month trend", async () => {
    const { findByTestId } = await renderFull();
    expect(findByTestId(StatisticsItem, "usage-events").props.number).toBe("4,200.5 events");
    const chart = findByTestId(LineChart, "usage-trend-events");
    const points = chart.props.data as Array<{ period: string; quantity: number }>;
    expect(points).toHaveLength(12);
    expect(points[0]).toEqual({ period: "2025-01", quantity: 1000 });
    expect(points[11]).toEqual({ period: "2025-12", quantity: 12000 });
    expect(chart.props.axes.x.field).toBe("period");
    expect(chart.props.axes.y.field).toBe("quantity");
  });

  it("shows the forecast to quarter end with its band, commitment, backtest error and alerts", async () => {
    const { find, findByTestId } = await renderFull();
    const [row] = rowsOf(findByTestId(Table, "forecast-table")).slice(1);
    expect(row).toContain("events (2026-Q4)");
    expect(row).toContain("38,000 events");
    expect(row).toContain("band 34,000 to 42,000");
    expect(row).toContain("30,000 events");
    expect(row).toContain("8.3% MAPE");
    expect(find(Tag, (tag) => tag.text === "events: Projected above committed volume").props.variant).toBe("warning");
  });

  it("marks overdue invoices and formats money from minor units", async () => {
    const { findByTestId } = await renderFull();
    expect(findByTestId(Text, "overdue-total").text).toBe("Overdue: $1,234.50");
    const invoices = findByTestId(Table, "invoices-table");
    const [overdue, paid] = invoices.findAll(TableRow).slice(1);
    expect(textOf(overdue)).toContain("1043");
    expect(textOf(overdue)).toContain("Sep 15, 2026");
    expect(overdue?.find(Tag).text).toBe("Overdue");
    expect(overdue?.find(Tag).props.variant).toBe("error");
    expect(textOf(paid)).toContain("qb-inv-1001");
    expect(textOf(paid)).toContain("$999.00");
    expect(paid?.find(Tag).text).toBe("Paid");
  });

  it("formats each currency with its own digits", async () => {
    const yen = { minor: "15000", currency: "JPY" };
    const { findByTestId } = await renderFull(
      linkedCard({
        overdue: yen,
        invoices: [
          {
            id: "inv-jp",
            number: "JP-1",
            issuedOn: "2026-09-01",
            dueOn: null,
            total: yen,
            balance: yen,
            overdue: true,
          },
        ],
      }),
    );
    expect(findByTestId(Text, "overdue-total").text).toBe("Overdue: ¥15,000");
    expect(textOf(findByTestId(Table, "invoices-table"))).toContain("on receipt");
  });

  it("offers Retry payment only on payments whose retry is available", async () => {
    const { findAll, findByTestId } = await renderFull();
    const retryButtons = findAll(Button, (button) => button.text === "Retry payment");
    expect(retryButtons.map((button) => button.props.testId)).toEqual(["retry-ch_failed_1"]);
    const [failed, succeeded] = findByTestId(Table, "payments-table").findAll(TableRow).slice(1);
    expect(textOf(failed)).toContain("$1,234.50");
    expect(textOf(failed)).toContain("Your card was declined. (card_declined)");
    expect(failed?.find(StatusTag).text).toBe("Failed");
    expect(succeeded?.find(StatusTag).text).toBe("Succeeded");
    expect(succeeded?.maybeFind(Button)).toBeNull();
  });

  it("hides Retry payment and Flag issue from a viewer who may do neither", async () => {
    const { findAll, findByTestId, maybeFind } = await renderFull(
      linkedCard({ actions: { retry: false, flag: false } }),
    );
    expect(findAll(Button)).toHaveLength(0);
    expect(textOf(findByTestId(Table, "payments-table"))).toContain("Your Reckon role cannot retry payments.");
    expect(maybeFind(Button, { testId: "open-flag-form" })).toBeNull();
  });

  it("shows a retry that is already on its way instead of the button", async () => {
    const [failed, succeeded] = linkedCard().payments;
    const requested = { ...failed!, retry: { state: "requested" as const, requestId: "rr_1" } };
    const { find, maybeFind } = await renderFull(linkedCard({ payments: [requested, succeeded!] }));
    expect(maybeFind(Button, (button) => button.text === "Retry payment")).toBeNull();
    expect(find(Tag, (tag) => tag.text === "Retry requested")).toBeTruthy();
  });

  it("lists open flags with their reason's label, amount and note", async () => {
    const { find, findByTestId } = await renderFull();
    expect(find(Heading, (heading) => heading.text?.startsWith("Open flags") ?? false).text).toBe("Open flags (1)");
    const flag = findByTestId(Flex, "flag-flag-1");
    expect(flag.find(Text).text).toBe("Wrong amount: $450.00");
    expect(textOf(flag)).toContain("Customer says September was double-billed");
    expect(textOf(flag)).toContain("Raised by Alex Owner Sep 20, 2026");
    expect(find(Button, { testId: "open-flag-form" }).text).toBe("Flag issue");
  });

  it("shows the last sync per source and which need reconnecting", async () => {
    const { findByTestId } = await renderFull();
    const [stripe, quickbooks, amplitude] = findByTestId(Table, "sync-table").findAll(TableRow).slice(1);
    expect(textOf(stripe)).toContain("Stripe");
    expect(textOf(stripe)).toContain("Succeeded");
    expect(stripe?.maybeFind(Tag)).toBeNull();
    expect(textOf(quickbooks)).toContain("QuickBooks");
    expect(quickbooks?.find(Tag).text).toBe("Reconnect needed");
    expect(textOf(amplitude)).toContain("never ran");
  });
});
