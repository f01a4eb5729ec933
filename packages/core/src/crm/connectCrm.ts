// Verbs (admin): connect a HubSpot portal or a Salesforce org. The portal or org then belongs to this tenant: its cards
// act here, and Reckon writes summary fields back to it when write-back credentials are given.
import { type CrmProvider, crmProviders, inTransaction, isUniqueViolation, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../access/actor";
import { newSecret, secretHash } from "../access/credentials";
import { recordAudit } from "../audit/recordAudit";
import type { TenantContext } from "../context";

export const crmProviderInput = z.object({ provider: z.enum(crmProviders) }).strict();

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((value) => /^https?:\/\//.test(value), "an http(s) URL");

/** What each CRM's connection holds: the portal or org, where its API is, and the write-back credentials (optional). */
export const crmConnectionSchemas = {
  hubspot: z
    .object({
      /** The HubSpot account (portal / hub) id the app is installed in. */
      portalId: z
        .string()
        .trim()
        .regex(/^\d{1,20}$/, "the HubSpot portal (hub) id, digits only"),
      settings: z.object({ baseUrl: httpUrl.optional() }).strict().default({}),
      /** A private app's (or the OAuth app's) access token with crm.objects.companies.write; omit to turn write-back off. */
      secrets: z
        .object({ accessToken: z.string().trim().min(1) })
        .strict()
        .optional(),
    })
    .strict(),
  salesforce: z
    .object({
      /** The org id (00D..., 15 or 18 characters). */
      orgId: z
        .string()
        .trim()
        .regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, "the Salesforce org id (00D..., 15 or 18 characters)"),
      settings: z
        .object({
          /** The org's My Domain URL (https://<domain>.my.salesforce.com): the client credentials flow needs it. */
          loginUrl: httpUrl.optional(),
          apiVersion: z
            .string()
            .regex(/^\d{2}\.0$/, "an API version such as 62.0")
            .optional(),
        })
        .strict()
        .default({}),
      /** The connected app (client credentials flow) Reckon writes back with; omit to turn write-back off. */
      secrets: z
        .object({ clientId: z.string().trim().min(1), clientSecret: z.string().trim().min(1) })
        .strict()
        .optional(),
      /** Issue a new card token (the old one stops working at once). A first connection, or another org, always does. */
      rotateCardToken: z.boolean().default(false),
    })
    .strict()
    .refine((c) => !c.secrets || c.settings.loginUrl, {
      message: "write-back needs the org's My Domain URL (https://<domain>.my.salesforce.com) as settings.loginUrl",
      path: ["settings", "loginUrl"],
    }),
} as const;

export type CrmConnectionInput<P extends CrmProvider> = z.input<(typeof crmConnectionSchemas)[P]>;

export interface CrmConnectionInfo {
  provider: CrmProvider;
  externalId: string;
  settings: Record<string, string>;
  writeBack: boolean;
  status: "connected" | "needs_reconnect";
  updatedAt: string;
  /** Salesforce: the token for the Named Credential's External Credential, shown once (only when newly issued). */
  cardToken: string | null;
}

export type ConnectCrmResult = { ok: true; connection: CrmConnectionInfo } | { ok: false; reason: "taken" };

/** Normalizes 15-character Salesforce ids to the 18-character form, so either spelling names one org or record. */
export function salesforceId18(id: string): string {
  if (id.length !== 15) return id;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      if (c >= "A" && c <= "Z") bits |= 1 << i;
    }
    suffix += alphabet.charAt(bits);
  }
  return id + suffix;
}

export async function connectCrm({
  ctx,
  provider,
  input,
}: {
  ctx: TenantContext;
  provider: CrmProvider;
  input: unknown;
}): Promise<ConnectCrmResult> {
  authorize(ctx.actor, "settings.manage");
  const t = ctx.tenant.tenantId;
  const parsed =
    provider === "hubspot"
      ? (() => {
          const h = crmConnectionSchemas.hubspot.parse(input);
          return { externalId: h.portalId, settings: h.settings, secrets: h.secrets ?? null, rotate: false };
        })()
      : (() => {
          const s = crmConnectionSchemas.salesforce.parse(input);
          return {
            externalId: salesforceId18(s.orgId),
            settings: s.settings,
            secrets: s.secrets ?? null,
            rotate: s.rotateCardToken,
          };
        })();
  const [holder] = await queryRows<{ tenant_id: string }>(
    ctx.tenant.db,
    sql`select tenant_id from crm_connections where provider = ${provider} and external_id = ${parsed.externalId}`,
  );
  if (holder && holder.tenant_id !== t) return { ok: false, reason: "taken" };
  return inTransaction(ctx.tenant, async (tx) => {
    const [existing] = await queryRows<{ card_token_hash: string | null; external_id: string }>(
      tx.db,
      sql`select card_token_hash, external_id from crm_connections
          where tenant_id = ${t}::uuid and provider = ${provider} for update`,
    );
    // A token belongs to one org: a first connection, another org, or a rotation issues a new one.
    const newToken = !existing?.card_token_hash || existing.external_id !== parsed.externalId || parsed.rotate;
    const cardToken = provider === "salesforce" && newToken ? newSecret("rk_sf_") : null;
    const tokenHash = cardToken ? secretHash(cardToken) : (existing?.card_token_hash ?? null);
    const settings = Object.fromEntries(
      Object.entries(parsed.settings).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
    );
    const rows = await queryRows<{ status: "connected" | "needs_reconnect"; updated_at: Date | string }>(
      tx.db,
      sql`insert into crm_connections (tenant_id, provider, external_id, settings, sealed_secrets, card_token_hash)
          values (${t}::uuid, ${provider}, ${parsed.externalId}, ${JSON.stringify(settings)}::jsonb,
                  ${parsed.secrets ? ctx.secrets.seal(parsed.secrets) : null}, ${tokenHash})
          on conflict (tenant_id, provider) do update
            set external_id = excluded.external_id, settings = excluded.settings,
                sealed_secrets = excluded.sealed_secrets, card_token_hash = excluded.card_token_hash,
                status = 'connected', updated_at = now()
          returning status, updated_at`,
    );
    await recordAudit(
      { ...ctx, tenant: tx },
      {
        action: "crm_connection.updated",
        target: { type: "crm_connection", id: provider },
        // Which parts changed, never their values.
        details: {
          provider,
          externalId: parsed.externalId,
          writeBack: parsed.secrets !== null,
          cardTokenIssued: cardToken !== null,
        },
      },
    );
    return {
      ok: true,
      connection: {
        provider,
        externalId: parsed.externalId,
        settings,
        writeBack: parsed.secrets !== null,
        status: rows[0]!.status,
        updatedAt: new Date(rows[0]!.updated_at).toISOString(),
        cardToken,
      },
    } as const;
  }).catch((error: unknown) => {
    // Another tenant connected the same portal or org in the meantime (crm_connections_external_key).
    if (isUniqueViolation(error)) return { ok: false, reason: "taken" } as const;
    throw error;
  });
}

/** The tenant's CRM connections, without credentials. */
export async function listCrmConnections({ ctx }: { ctx: TenantContext }): Promise<CrmConnectionInfo[]> {
  authorize(ctx.actor, "settings.manage");
  const rows = await queryRows<{
    provider: CrmProvider;
    external_id: string;
    settings: Record<string, string>;
    sealed_secrets: string | null;
    status: "connected" | "needs_reconnect";
    updated_at: Date | string;
  }>(
    ctx.tenant.db,
    sql`select provider, external_id, settings, sealed_secrets, status, updated_at from crm_connections
        where tenant_id = ${ctx.tenant.tenantId}::uuid order by provider`,
  );
  return rows.map((r) => ({
    provider: r.provider,
    externalId: r.external_id,
    settings: r.settings,
    writeBack: r.sealed_secrets !== null,
    status: r.status,
    updatedAt: new Date(r.updated_at).toISOString(),
    cardToken: null,
  }));
}
