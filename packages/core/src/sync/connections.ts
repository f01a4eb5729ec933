// A tenant's source connections: settings in the clear, credentials sealed, and the connector built from them.
import {
  type AnySource,
  createAmplitudeSource,
  createQuickBooksSource,
  createStripeSource,
  type QuickBooksTokens,
  SourceError,
  type TokenLock,
} from "@reckon/connectors";
import { inTransaction, queryRows, type SyncSource } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../context";
import { requestGate } from "../limits/limiter";

export const connectionSchemas = {
  stripe: {
    settings: z.object({
      host: z.string().optional(),
      port: z.coerce.number().optional(),
      protocol: z.enum(["http", "https"]).optional(),
    }),
    secrets: z.object({
      apiKey: z.string().min(1),
      /** The endpoint's signing secret (`whsec_...`): webhooks without it are refused, the scheduled sync still runs. */
      webhookSecret: z.string().min(1).optional(),
    }),
  },
  quickbooks: {
    settings: z.object({ baseUrl: z.string().url(), tokenUrl: z.string().url(), realmId: z.string().min(1) }),
    secrets: z.object({
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      refreshToken: z.string().min(1),
      accessToken: z.string().nullable().default(null),
    }),
  },
  amplitude: {
    settings: z.object({ baseUrl: z.string().url() }),
    secrets: z.object({ apiKey: z.string().min(1), secretKey: z.string().min(1) }),
  },
} as const;

export type ConnectionInput<S extends SyncSource> = {
  settings: z.input<(typeof connectionSchemas)[S]["settings"]>;
  secrets: z.input<(typeof connectionSchemas)[S]["secrets"]>;
};

/** Creates or replaces a source connection, sealing its secrets. */
export async function saveConnection<S extends SyncSource>(ctx: TenantContext, source: S, input: ConnectionInput<S>) {
  const settings = connectionSchemas[source].settings.parse(input.settings);
  const secrets = connectionSchemas[source].secrets.parse(input.secrets);
  const stringSettings = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)]));
  await queryRows(
    ctx.tenant.db,
    sql`insert into source_connections (tenant_id, source, settings, sealed_secrets, status)
        values (${ctx.tenant.tenantId}::uuid, ${source}, ${JSON.stringify(stringSettings)}::jsonb, ${ctx.secrets.seal(secrets)}, 'connected')
        on conflict (tenant_id, source) do update
          set settings = excluded.settings, sealed_secrets = excluded.sealed_secrets, status = 'connected', updated_at = now()`,
  );
}

async function loadConnection(ctx: TenantContext, source: SyncSource) {
  const [row] = await queryRows<{ settings: Record<string, string>; sealed_secrets: string }>(
    ctx.tenant.db,
    sql`select settings, sealed_secrets from source_connections
        where tenant_id = ${ctx.tenant.tenantId}::uuid and source = ${source}`,
  );
  return row ?? null;
}

async function metricByEventType(ctx: TenantContext): Promise<Record<string, string>> {
  const rows = await queryRows<{ key: string; event_type: string }>(
    ctx.tenant.db,
    sql`select key, event_type from metrics where tenant_id = ${ctx.tenant.tenantId}::uuid`,
  );
  return Object.fromEntries(rows.map((r) => [r.event_type, r.key]));
}

async function groupType(ctx: TenantContext): Promise<string> {
  const [row] = await queryRows<{ amplitude_group_type: string }>(
    ctx.tenant.db,
    sql`select amplitude_group_type from tenants where id = ${ctx.tenant.tenantId}::uuid`,
  );
  return row?.amplitude_group_type ?? "org_id";
}

/** A connection's stored credentials, opened (for a verb that keeps some of them), or null when not connected. */
export async function storedSecrets(ctx: TenantContext, source: SyncSource): Promise<Record<string, unknown> | null> {
  const row = await loadConnection(ctx, source);
  if (!row) return null;
  const secrets = ctx.secrets.open<unknown>(row.sealed_secrets);
  return secrets !== null && typeof secrets === "object" ? (secrets as Record<string, unknown>) : null;
}

/** The Stripe endpoint's webhook signing secret, or null when Stripe is not connected or has none. */
export async function stripeWebhookSecret(ctx: TenantContext): Promise<string | null> {
  const row = await loadConnection(ctx, "stripe");
  if (!row) return null;
  const secrets = connectionSchemas.stripe.secrets.safeParse(ctx.secrets.open<unknown>(row.sealed_secrets));
  return secrets.success ? (secrets.data.webhookSecret ?? null) : null;
}

/**
 * QuickBooks rotates the refresh token on every refresh and the old one dies at once: when storing the new one fails
 * (the database restarting), the stored token is dead and only this process knows the live one. It is kept here,
 * per tenant, so the job's retry hands it to the next connector, which stores it before anything else.
 */
const unsavedQuickbooksTokens = new Map<string, { tokens: QuickBooksTokens; replaces: string }>();

/**
 * QuickBooks refreshes one at a time per tenant, across processes: the connection row is locked (select for update)
 * while the token endpoint is asked, so a second sync waits and then finds the rotated tokens instead of refreshing
 * with a dead one. Rotated tokens are sealed and stored before the lock is released, and only then used.
 */
async function lockQuickbooksTokens(ctx: TenantContext, work: Parameters<TokenLock>[0]): Promise<void> {
  const tenantId = ctx.tenant.tenantId;
  let minted: { tokens: QuickBooksTokens; replaces: string } | null = null;
  try {
    await inTransaction(ctx.tenant, async (tx) => {
      const [row] = await queryRows<{ sealed_secrets: string }>(
        tx.db,
        sql`select sealed_secrets from source_connections
            where tenant_id = ${tenantId}::uuid and source = 'quickbooks' for update`,
      );
      if (!row) throw new SourceError("quickbooks", "revoked", "quickbooks: the connection was removed");
      const current = connectionSchemas.quickbooks.secrets.parse(ctx.secrets.open<unknown>(row.sealed_secrets));
      const tokens = await work({ refreshToken: current.refreshToken, accessToken: current.accessToken });
      if (!tokens) return;
      minted = { tokens, replaces: current.refreshToken };
      const next = { ...current, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      await queryRows(
        tx.db,
        sql`update source_connections set sealed_secrets = ${ctx.secrets.seal(next)}, updated_at = now()
            where tenant_id = ${tenantId}::uuid and source = 'quickbooks'`,
      );
    });
  } catch (error) {
    // The provider rotated but the store did not take it: only this process knows the live token now.
    if (minted) unsavedQuickbooksTokens.set(tenantId, minted);
    throw error;
  }
  unsavedQuickbooksTokens.delete(tenantId);
}

/** The limiter's gate for this tenant's source, when the process has a limiter. */
function gateFor(ctx: TenantContext, source: SyncSource) {
  return ctx.limiter ? { gate: requestGate(ctx.limiter, { tenantId: ctx.tenant.tenantId, source }) } : {};
}

/** The configured request timeout for a source, when the process has one (else the connector's default). */
function timeoutFor(ctx: TenantContext, source: SyncSource) {
  const timeoutMs = ctx.sourceTimeoutsMs?.[source];
  return timeoutMs === undefined ? {} : { timeoutMs };
}

/** The connector for a tenant's source, or null when the source is not connected. */
export async function connectorFor(ctx: TenantContext, source: SyncSource): Promise<AnySource | null> {
  const row = await loadConnection(ctx, source);
  if (!row) return null;
  const secretsJson = ctx.secrets.open<unknown>(row.sealed_secrets);
  switch (source) {
    case "stripe": {
      const settings = connectionSchemas.stripe.settings.parse(row.settings);
      const secrets = connectionSchemas.stripe.secrets.parse(secretsJson);
      return createStripeSource({
        apiKey: secrets.apiKey,
        ...settings,
        ...gateFor(ctx, "stripe"),
        ...timeoutFor(ctx, "stripe"),
      });
    }
    case "quickbooks": {
      const settings = connectionSchemas.quickbooks.settings.parse(row.settings);
      const secrets = connectionSchemas.quickbooks.secrets.parse(secretsJson);
      const unsaved = unsavedQuickbooksTokens.get(ctx.tenant.tenantId);
      return createQuickBooksSource({
        ...settings,
        ...secrets,
        ...gateFor(ctx, "quickbooks"),
        ...timeoutFor(ctx, "quickbooks"),
        // Only while the stored token is still the one they replace (a reconnect in between supersedes them).
        unsavedTokens: unsaved?.replaces === secrets.refreshToken ? unsaved.tokens : null,
        tokenLock: (work) => lockQuickbooksTokens(ctx, work),
      });
    }
    case "amplitude": {
      const settings = connectionSchemas.amplitude.settings.parse(row.settings);
      const secrets = connectionSchemas.amplitude.secrets.parse(secretsJson);
      return createAmplitudeSource({
        ...settings,
        ...secrets,
        ...gateFor(ctx, "amplitude"),
        ...timeoutFor(ctx, "amplitude"),
        groupType: await groupType(ctx),
        eventMetrics: await metricByEventType(ctx),
      });
    }
  }
}

/** Where each source answers and with which credentials: the shape a running sandbox reports. */
export interface SourceEndpoints {
  stripe: { host: string; port: number; protocol: "http" | "https"; apiKey: string; webhookSecret?: string };
  quickbooks: {
    baseUrl: string;
    tokenUrl: string;
    realmId: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
  };
  amplitude: { baseUrl: string; apiKey: string; secretKey: string };
}

/** Connects all three sources at once (the embedded default and tests point them at the sandbox). */
export async function connectSources(ctx: TenantContext, endpoints: SourceEndpoints): Promise<void> {
  const { stripe, quickbooks, amplitude } = endpoints;
  await saveConnection(ctx, "stripe", {
    settings: { host: stripe.host, port: stripe.port, protocol: stripe.protocol },
    secrets: { apiKey: stripe.apiKey, ...(stripe.webhookSecret ? { webhookSecret: stripe.webhookSecret } : {}) },
  });
  await saveConnection(ctx, "quickbooks", {
    settings: { baseUrl: quickbooks.baseUrl, tokenUrl: quickbooks.tokenUrl, realmId: quickbooks.realmId },
    secrets: {
      clientId: quickbooks.clientId,
      clientSecret: quickbooks.clientSecret,
      refreshToken: quickbooks.refreshToken,
      accessToken: null,
    },
  });
  await saveConnection(ctx, "amplitude", {
    settings: { baseUrl: amplitude.baseUrl },
    secrets: { apiKey: amplitude.apiKey, secretKey: amplitude.secretKey },
  });
}
