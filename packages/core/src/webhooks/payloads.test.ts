// The QuickBooks payload shapes and signature, and which charge a Stripe event concerns.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { intuitSignature, intuitSignatureValid } from "./intuitSignature";
import { chargeOfEvent, quickbooksChanges, stripeEventEnvelope } from "./payloads";

describe("QuickBooks payloads", () => {
  it("reads the classic payload, giving each change a stable id of its own", () => {
    const body = {
      eventNotifications: [
        {
          realmId: "1185883450",
          dataChangeEvent: {
            entities: [
              { name: "Customer", id: "1", operation: "Create", lastUpdated: "2015-10-05T14:42:19-0700" },
              { name: "Payment", id: "7", operation: "Update", lastUpdated: "2015-10-05T14:42:19.000Z" },
            ],
          },
        },
      ],
    };
    const changes = quickbooksChanges(body)!;
    expect(changes.map((c) => [c.realmId, c.type, c.entityId])).toEqual([
      ["1185883450", "qbo.customer.create.classic", "1"],
      ["1185883450", "qbo.payment.update.classic", "7"],
    ]);
    expect(changes[0]!.occurredAt?.toISOString()).toBe("2015-10-05T21:42:19.000Z");
    expect(changes[0]!.eventId).toMatch(/^classic:[0-9a-f]{40}$/);
    expect(quickbooksChanges(body)![0]!.eventId).toBe(changes[0]!.eventId);
    expect(changes[1]!.eventId).not.toBe(changes[0]!.eventId);
  });

  it("reads the CloudEvents array by its own ids", () => {
    const changes = quickbooksChanges([
      {
        specversion: "1.0",
        id: "88cd52a7-a4b0-4ec6-9b0c-5d1d3e2b1a11",
        source: "intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=",
        type: "qbo.invoice.updated.v1",
        datacontenttype: "application/json",
        time: "2025-09-10T21:31:25.179Z",
        intuitentityid: "145",
        intuitaccountid: "310687",
        data: {},
      },
    ]);
    expect(changes).toEqual([
      {
        realmId: "310687",
        eventId: "88cd52a7-a4b0-4ec6-9b0c-5d1d3e2b1a11",
        type: "qbo.invoice.updated.v1",
        entityId: "145",
        occurredAt: new Date("2025-09-10T21:31:25.179Z"),
      },
    ]);
  });

  it("refuses anything else", () => {
    for (const body of [null, {}, [], { eventNotifications: [] }, [{ specversion: "1.0", id: "x", type: "invoice" }]]) {
      expect(quickbooksChanges(body)).toBeNull();
    }
  });

  it("signs as Intuit does (base64 HMAC-SHA256 of the raw body) and checks it", () => {
    const body = '{"eventNotifications":[]}';
    const expected = createHmac("sha256", "verifier").update(body).digest("base64");
    expect(intuitSignature(body, "verifier")).toBe(expected);
    expect(intuitSignatureValid(body, expected, "verifier")).toBe(true);
    expect(intuitSignatureValid(`${body}\n`, expected, "verifier")).toBe(false);
    expect(intuitSignatureValid(body, expected, "other")).toBe(false);
    expect(intuitSignatureValid(body, undefined, "verifier")).toBe(false);
    expect(intuitSignatureValid(body, "short", "verifier")).toBe(false);
  });
});

describe("Stripe events", () => {
  const event = (object: Record<string, unknown>) =>
    stripeEventEnvelope.parse({ id: "evt_1", type: "x", created: 1, data: { object } });
  it("names the charge a payment event concerns", () => {
    expect(chargeOfEvent(event({ object: "charge", id: "ch_1" }))).toBe("ch_1");
    expect(chargeOfEvent(event({ object: "payment_intent", id: "pi_1", latest_charge: "ch_2" }))).toBe("ch_2");
    expect(chargeOfEvent(event({ object: "refund", id: "re_1", charge: { id: "ch_3" } }))).toBe("ch_3");
    expect(chargeOfEvent(event({ object: "dispute", id: "dp_1", charge: "ch_4" }))).toBe("ch_4");
    expect(chargeOfEvent(event({ object: "customer", id: "cus_1" }))).toBeNull();
  });
});
