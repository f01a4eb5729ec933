// The webhook bodies Reckon accepts, as zod schemas: Stripe's event envelope and both QuickBooks shapes.
import { createHash } from "node:crypto";
import { z } from "zod";

const id = z.string().min(1).max(255);
const idOrObject = z.union([id, z.object({ id })]).nullish();

/** The fields of a Stripe event Reckon reads; the rest of the object is re-fetched, never trusted from the body. */
export const stripeEventEnvelope = z.object({
  id,
  type: z.string().min(1).max(255),
  created: z.number().int().nonnegative(),
  data: z.object({
    object: z.object({
      id: id.optional(),
      object: z.string().max(100).optional(),
      charge: idOrObject,
      latest_charge: idOrObject,
    }),
  }),
});
export type StripeEventEnvelope = z.infer<typeof stripeEventEnvelope>;

const idOf = (value: z.infer<typeof idOrObject>): string | null =>
  value == null ? null : typeof value === "string" ? value : value.id;

/** The charge a payment event concerns (a charge itself, a payment intent's latest charge, a refund's or dispute's). */
export function chargeOfEvent(event: StripeEventEnvelope): string | null {
  const object = event.data.object;
  switch (object.object) {
    case "charge":
      return object.id ?? null;
    case "payment_intent":
      return idOf(object.latest_charge);
    case "refund":
    case "dispute":
      return idOf(object.charge);
    default:
      return null;
  }
}

/**
 * The classic payload (developer.intuit.com, "Webhooks"): notifications per company, each entity change with
 * name, id, operation and lastUpdated.
 */
export const quickbooksClassicPayload = z.object({
  eventNotifications: z
    .array(
      z.object({
        realmId: id,
        dataChangeEvent: z.object({
          entities: z
            .array(
              z.object({
                name: z.string().min(1).max(100),
                id,
                operation: z.string().min(1).max(50),
                lastUpdated: z.string().max(100).optional(),
                deletedId: z.string().max(255).optional(),
              }),
            )
            .max(1000),
        }),
      }),
    )
    .min(1)
    .max(1000),
});

/** The CloudEvents payload Intuit is moving webhooks to: an array of events typed `qbo.<entity>.<op>.v1`. */
export const quickbooksCloudEvents = z
  .array(
    z.object({
      specversion: z.literal("1.0"),
      id,
      source: z.string().max(500).optional(),
      type: z.string().regex(/^qbo\.[a-z]+\.[a-z]+\.v\d+$/i, "must be qbo.<entity>.<operation>.v<N>"),
      time: z.string().max(100).optional(),
      intuitentityid: id,
      intuitaccountid: id,
    }),
  )
  .min(1)
  .max(1000);

/** One QuickBooks entity change, whichever payload it came in. */
export interface QuickbooksChange {
  realmId: string;
  eventId: string;
  type: string;
  entityId: string;
  occurredAt: Date | null;
}

const dateOrNull = (text: string | undefined): Date | null => {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms) : null;
};

/** The changes in a parsed body, or null when it is neither shape. */
export function quickbooksChanges(body: unknown): QuickbooksChange[] | null {
  const cloud = quickbooksCloudEvents.safeParse(body);
  if (cloud.success) {
    return cloud.data.map((event) => ({
      realmId: event.intuitaccountid,
      eventId: event.id,
      type: event.type,
      entityId: event.intuitentityid,
      occurredAt: dateOrNull(event.time),
    }));
  }
  const classic = quickbooksClassicPayload.safeParse(body);
  if (!classic.success) return null;
  return classic.data.eventNotifications.flatMap((notification) =>
    notification.dataChangeEvent.entities.map((entity) => {
      const type = `qbo.${entity.name.toLowerCase()}.${entity.operation.toLowerCase()}.classic`;
      // Classic events carry no id: the change itself (company, entity, operation, time) is its identity.
      const key = [notification.realmId, entity.name, entity.id, entity.operation, entity.lastUpdated ?? ""].join("|");
      return {
        realmId: notification.realmId,
        eventId: `classic:${createHash("sha256").update(key).digest("hex").slice(0, 40)}`,
        type,
        entityId: entity.id,
        occurredAt: dateOrNull(entity.lastUpdated),
      };
    }),
  );
}
