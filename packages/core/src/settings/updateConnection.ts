// Verb (admin): connect a source or replace its connection: settings stored as given, credentials sealed.
import { inTransaction, type SyncSource, syncSourceList } from "@reckon/db";
import { z } from "zod";
import { authorize } from "../access/actor";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";
import { type ConnectionInput, connectionSchemas, saveConnection } from "../sync/connections";
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
  const connection = parseForSource(source, envelope);
  await inTransaction(ctx.tenant, async (tx) => {
    const txCtx = { ...ctx, tenant: tx };
    await saveConnection(txCtx, source, connection);
    await recordAudit(txCtx, {
      action: "connection.updated",
      target: { type: "source_connection", id: source },
      // The setting keys only: no values, and nothing about the credentials.

      details: { source, settings: Object.keys(connection.settings).sort() },
    });
  });
  return (await listConnections({ ctx })).find((c) => c.source === source)!;
}
