// Verb: a QuickBooks webhook delivery: intuit-signature checked first, then each company's changes recorded and
// one CDC sync queued per company.
import { queryRows, tenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceContext } from "../context";
import type { JobRunner } from "../jobs";
import { intuitSignatureValid } from "./intuitSignature";
import { type QuickbooksChange, quickbooksChanges } from "./payloads";
import type { WebhookAnswer } from "./receiveStripeWebhook";
import { recordWebhookEvents } from "./recordWebhookEvents";

export const receiveQuickbooksWebhookInput = z.object({
  rawBody: z.string().max(5_000_000),
  signature: z.string().max(10_000).optional(),
});

export async function receiveQuickbooksWebhook({
  services,
  jobs,
  verifierToken,
  input,
}: {
  services: ServiceContext;
  jobs: JobRunner;
  /** The Intuit app's verifier token (one per app, not per company); null: QuickBooks webhooks are not set up. */
  verifierToken: string | null;
  input: z.input<typeof receiveQuickbooksWebhookInput>;
}): Promise<WebhookAnswer & { unknownCompanies?: number }> {
  const parsed = receiveQuickbooksWebhookInput.safeParse(input);
  const { rawBody, signature } = parsed.success ? parsed.data : { rawBody: "", signature: undefined };
  if (!parsed.success || !verifierToken || !intuitSignatureValid(rawBody, signature, verifierToken)) {
    return { ok: false, reason: "unauthorized", message: "No valid intuit-signature for this body." };
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: "bad_request", message: "The signed body is not JSON." };
  }
  const changes = quickbooksChanges(body);
  if (!changes) {
    return {
      ok: false,
      reason: "bad_request",
      message: "The signed body is neither Intuit's classic payload (eventNotifications) nor a CloudEvents array.",
    };
  }
  const byRealm = new Map<string, QuickbooksChange[]>();
  for (const change of changes) byRealm.set(change.realmId, [...(byRealm.get(change.realmId) ?? []), change]);
  const realms = await queryRows<{ tenant_id: string; realm_id: string }>(
    services.db,
    sql`select tenant_id, settings->>'realmId' as realm_id from source_connections
        where source = 'quickbooks'
          and settings->>'realmId' in (select json_array_elements_text(${JSON.stringify([...byRealm.keys()])}::json))`,
  );
  const tenantOf = new Map(realms.map((r) => [r.realm_id, r.tenant_id]));
  let accepted = 0;
  let duplicates = 0;
  let unknownCompanies = 0;
  for (const [realmId, realmChanges] of byRealm) {
    const tenantId = tenantOf.get(realmId);
    // A company no workspace connects (disconnected since): acknowledged, so Intuit stops retrying it.
    if (!tenantId) {
      unknownCompanies++;
      continue;
    }
    const receipt = await recordWebhookEvents(
      tenantScope(services.db, tenantId),
      jobs,
      "quickbooks",
      realmChanges.map((change) => ({
        eventId: change.eventId,
        type: change.type,
        objectId: change.entityId,
        detail: { realmId },
        occurredAt: change.occurredAt,
      })),
    );
    accepted += receipt.accepted;
    duplicates += receipt.duplicates;
  }
  return { ok: true, accepted, duplicates, unknownCompanies };
}
