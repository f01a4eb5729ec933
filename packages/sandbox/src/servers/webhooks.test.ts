// The webhook helpers tests replay with: a charge's history in order with its snapshots as they stood, and Intuit
// notifications in both shapes that the receiver's own schemas accept.
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { chargeHistory, quickbooksNotification } from "./webhooks.js";

const scenario = generateScenario({ seed: 31, accounts: 24, months: 3, asOf: "2026-11-25" });
const charges = scenario.stripe.charges;
const snapshot = (event: Stripe.Event) => event.data.object as Stripe.Charge;

describe("chargeHistory", () => {
  it("tells a refunded charge's story oldest first: succeeded before any refund, then refunded in full", () => {
    const refunded = charges.find((c) => c.amount_refunded > 0)!;
    const history = chargeHistory(scenario, refunded.id);
    expect(history.map((e) => e.type)).toEqual([
      "charge.succeeded",
      "payment_intent.succeeded",
      "charge.refunded",
      "refund.created",
    ]);
    expect(history.map((e) => e.created)).toEqual([...history.map((e) => e.created)].sort((a, b) => a - b));
    expect(snapshot(history[0]!)).toMatchObject({ id: refunded.id, amount_refunded: 0, refunded: false });
    expect(snapshot(history[2]!)).toMatchObject({ amount_refunded: refunded.amount_refunded });
    expect(new Set(history.map((e) => e.id)).size).toBe(history.length);
  });

  it("ends a disputed charge with its dispute, and a failed one with its failure; the scenario is left as it was", () => {
    const before = JSON.stringify(scenario);
    const disputed = charges.find((c) => c.disputed)!;
    const failed = charges.find((c) => c.status === "failed")!;
    const disputeHistory = chargeHistory(scenario, disputed.id);
    expect(disputeHistory.at(-1)).toMatchObject({
      type: "charge.dispute.created",
      data: { object: { charge: disputed.id } },
    });
    expect(snapshot(disputeHistory[0]!).disputed).toBe(false);
    expect(chargeHistory(scenario, failed.id).map((e) => e.type)).toEqual([
      "charge.failed",
      "payment_intent.payment_failed",
    ]);
    expect(JSON.stringify(scenario)).toBe(before);
    expect(() => chargeHistory(scenario, "ch_missing")).toThrow(/no Stripe charge/);
  });
});

describe("quickbooksNotification", () => {
  const at = new Date("2026-11-20T10:00:00Z");
  const changes = [
    { name: "Payment", id: "7", operation: "Create", at },
    { name: "Invoice", id: "3", operation: "Update", at },
  ] as const;

  it("writes the classic shape: one company, its entities with operation and lastUpdated", () => {
    const { body } = quickbooksNotification("9130", changes, "classic");
    expect(body).toEqual({
      eventNotifications: [
        {
          realmId: "9130",
          dataChangeEvent: {
            entities: [
              { name: "Payment", id: "7", operation: "Create", lastUpdated: at.toISOString() },
              { name: "Invoice", id: "3", operation: "Update", lastUpdated: at.toISOString() },
            ],
          },
        },
      ],
    });
  });

  it("writes CloudEvents typed qbo.<entity>.<op>.v1, delivered under the first event's id", () => {
    const { body, id } = quickbooksNotification("9130", changes, "cloudevents");
    const events = body as Array<Record<string, unknown>>;
    expect(events.map((e) => [e.type, e.intuitentityid, e.intuitaccountid])).toEqual([
      ["qbo.payment.created.v1", "7", "9130"],
      ["qbo.invoice.updated.v1", "3", "9130"],
    ]);
    expect(id).toBe(events[0]!.id);
  });
});
