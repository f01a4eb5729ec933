// Verb (admin): connect a source or replace its connection: settings stored as given, credentials sealed.
import { inTransaction, type SyncSource, syncSourceList } from "@reckon/db";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { type ConnectionInput, connectionSchemas, saveConnection, storedSecrets } from "../sync/connections";
import { type ConnectionInfo, listConnections } from "./listConnections";

export const connectionSourceInput = z.object({ source: z.enum(syncSourceList) }).strict();

/** The envelope; what goes inside depends on the source (connectionSchemas), checked by the verb. */
export const updateConnectionInput = z
  .object({
    settings: z.record(z.string(), z.unknown()),
    secrets: z.record(z.string(), z.unknown()),
  })
  .strict();
export type UpdateConnectionInput = z.input<typeof updateConnectionInput> & { source: SyncSource };

/**
 * Credentials an admin may leave out to keep the stored value, or send as null to remove it. Replacing Stripe's API
 * key without re-typing the signing secret must not quietly switch webhooks off (they would be refused from then on).
 */
const keptWhenOmitted: Partial<Record<SyncSource, readonly string[]>> = { stripe: ["webhookSecret"] };

/** Throws a ZodError whose paths start at settings / secrets when the source's own schema refuses them. */
function parseForSource<S extends SyncSource>(source: S, input: unknown): ConnectionInput<S> {
  const schema = z.object({ settings: connectionSchemas[source].settings, secrets: connectionSchemas[source].secrets });
  return schema.parse(input) as ConnectionInput<S>;
}

export async function updateConnection({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: UpdateConnectionInput;
}): Promise<ConnectionInfo> {
  authorize(ctx.actor, "settings.manage");
  const { source } = connectionSourceInput.parse({ source: input.source });
  const envelope = updateConnectionInput.parse({ settings: input.settings, secrets: input.secrets });
  const kept = keptWhenOmitted[source] ?? [];
  const given = Object.fromEntries(
    Object.entries(envelope.secrets).filter(([key, value]) => !(kept.includes(key) && value === null)),
  );
  const connection = parseForSource(source, { settings: envelope.settings, secrets: given });
  const omitted = kept.filter((key) => !(key in envelope.secrets));
  await inTransaction(ctx.tenant, async (tx) => {
    const txCtx = { ...ctx, tenant: tx };
    const stored = omitted.length > 0 ? await storedSecrets(txCtx, source) : null;
    const keep = Object.fromEntries(omitted.flatMap((key) => (stored?.[key] == null ? [] : [[key, stored[key]]])));
    await saveConnection(txCtx, source, {
      settings: connection.settings,
      secrets: { ...connection.secrets, ...keep },
    } as ConnectionInput<typeof source>);
    await recordAudit(txCtx, {
      action: "connection.updated",
      target: { type: "source_connection", id: source },
      // The setting keys only: no values, and nothing about the credentials.

      details: { source, settings: Object.keys(connection.settings).sort() },
    });
  });
  return (await listConnections({ ctx })).find((c) => c.source === source)!;
}
