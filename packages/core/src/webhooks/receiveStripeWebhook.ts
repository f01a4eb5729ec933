// Verb: a Stripe webhook delivery for one tenant: signature checked by the SDK first, then recorded and queued.
import { checkStripeWebhook } from "@reckon/connectors";
import { queryRows, tenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type ServiceContext, systemContext } from "../context";
import type { JobRunner } from "../jobs";
import { stripeWebhookSecret } from "../sync/connections";
import { chargeOfEvent, stripeEventEnvelope } from "./payloads";
import { recordWebhookEvents, stripeApplyKey, type WebhookReceipt } from "./recordWebhookEvents";

export const receiveStripeWebhookInput = z.object({
  /** The tenant's slug, from the endpoint URL Stripe was given (`/webhooks/stripe/<slug>`). */
  tenantSlug: z.string().min(1).max(100),
  rawBody: z.string().max(1_000_000),
  signature: z.string().max(10_000).optional(),
});

export type WebhookAnswer =
  | ({ ok: true } & WebhookReceipt)
  | { ok: false; reason: "unauthorized" | "bad_request"; message: string };

const refused = (message: string): WebhookAnswer => ({ ok: false, reason: "unauthorized", message });

export async function receiveStripeWebhook({
  services,
  jobs,
  input,
  receivedAtSeconds,
}: {
  services: ServiceContext;
  jobs: JobRunner;
  input: z.input<typeof receiveStripeWebhookInput>;
  /** Pins the signature's clock in tests; production checks against the wall clock, never a pinned demo clock. */
  receivedAtSeconds?: number;
}): Promise<WebhookAnswer> {
  const parsed = receiveStripeWebhookInput.safeParse(input);
  if (!parsed.success) return refused("This endpoint takes a signed Stripe event.");
  const { tenantSlug, rawBody, signature } = parsed.data;
  const [tenant] = await queryRows<{ id: string }>(services.db, sql`select id from tenants where slug = ${tenantSlug}`);
  // The same answer as a bad signature: an unsigned caller learns nothing about which workspaces exist.
  if (!tenant) return refused("No valid Stripe signature for this endpoint.");
  const ctx = systemContext(services, tenantScope(services.db, tenant.id), "job");
  const secret = await stripeWebhookSecret(ctx);
  if (!secret) return refused("No valid Stripe signature for this endpoint.");
  const check = checkStripeWebhook(rawBody, signature, secret, receivedAtSeconds ? { receivedAtSeconds } : {});
  if (!check.ok) {
    return check.reason === "bad_signature"
      ? refused(check.message)
      : { ok: false, reason: "bad_request", message: check.message };
  }
  const event = stripeEventEnvelope.safeParse(check.event);
  if (!event.success) {
    return { ok: false, reason: "bad_request", message: "The signed body is not a Stripe event (id, type, created)." };
  }
  const { id, type, created, data } = event.data;
  const chargeId = chargeOfEvent(event.data);
  const receipt = await recordWebhookEvents(ctx.tenant, jobs, "stripe", [
    {
      eventId: id,
      type,
      objectId: data.object.id ?? null,
      detail: { object: data.object.object ?? null, chargeId },
      occurredAt: new Date(created * 1000),
      applyKey: stripeApplyKey(id, chargeId),
    },
  ]);
  return { ok: true, ...receipt };
}
