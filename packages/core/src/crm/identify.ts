// Who a CRM card's request acts as: the tenant that connected the portal or org, and the Reckon user mapped to the
// CRM user (or, the first time, the tenant's user with the CRM user's email, mapped from then on).
import { type CrmProvider, queryRows, tenantScope } from "@reckon/db";
import { sql } from "drizzle-orm";
import { secretHash } from "../access/credentials";
import { actAsIdentity } from "../access/identities";
import { recordAudit } from "../audit/recordAudit";
import { type ServiceContext, systemContext, type TenantContext } from "../context";
import { salesforceId18 } from "./connectCrm";

export interface CrmCaller {
  /** HubSpot portal id or Salesforce org id, as the CRM vouched for it. */
  orgId: string;
  userId: string;
  email: string | null;
}

export type CrmIdentity =
  | { ok: true; ctx: TenantContext }
  | {
      ok: false;
      /** not_connected: no tenant connected this portal or org (or the Salesforce token is unknown or for another org). */
      reason: "not_connected" | "not_mapped";
      /** The identity an admin maps (`<org>:<user>`). */
      externalId: string;
    };

const externalIdPattern = /^[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9_.@-]{1,128}$/;

/** A HubSpot card request whose v3 signature the caller has already checked with the app's client secret. */
export async function identifyHubspotCaller(
  base: ServiceContext,
  caller: CrmCaller,
  requestId?: string,
): Promise<CrmIdentity> {
  const [connection] = await queryRows<{ tenant_id: string }>(
    base.db,
    sql`select tenant_id from crm_connections where provider = 'hubspot' and external_id = ${caller.orgId}`,
  );
  return actAsCrmUser(base, "hubspot", connection?.tenant_id ?? null, caller, requestId);
}

/** A Salesforce card request: its Named Credential's token names the tenant and the org it was issued for. */
export async function identifySalesforceCaller(
  base: ServiceContext,
  token: string,
  caller: CrmCaller,
  requestId?: string,
): Promise<CrmIdentity> {
  const orgId = salesforceId18(caller.orgId);
  const userId = salesforceId18(caller.userId);
  const [connection] = await queryRows<{ tenant_id: string; external_id: string }>(
    base.db,
    sql`select tenant_id, external_id from crm_connections
        where provider = 'salesforce' and card_token_hash = ${secretHash(token)}`,
  );
  const tenantId = connection && connection.external_id === orgId ? connection.tenant_id : null;
  return actAsCrmUser(base, "salesforce", tenantId, { ...caller, orgId, userId }, requestId);
}

async function actAsCrmUser(
  base: ServiceContext,
  provider: CrmProvider,
  tenantId: string | null,
  caller: CrmCaller,
  requestId: string | undefined,
): Promise<CrmIdentity> {
  const externalId = `${caller.orgId}:${caller.userId}`;
  if (!tenantId || !externalIdPattern.test(externalId)) return { ok: false, reason: "not_connected", externalId };
  const mapped = await actAsIdentity(base, { provider, externalId }, requestId);
  if (mapped) {
    // An identity maps in one tenant only; a portal reconnected to another tenant must not carry old mappings along.
    return mapped.tenant.tenantId === tenantId
      ? { ok: true, ctx: mapped }
      : { ok: false, reason: "not_mapped", externalId };
  }
  if (!caller.email) return { ok: false, reason: "not_mapped", externalId };
  // The first visit: the CRM vouches for its user's email; the tenant's active user with that email is mapped.
  const [user] = await queryRows<{ id: string }>(
    base.db,
    sql`select id from users where tenant_id = ${tenantId}::uuid and lower(email) = lower(${caller.email})
          and disabled_at is null`,
  );
  if (!user) return { ok: false, reason: "not_mapped", externalId };
  const inserted = await queryRows<{ user_id: string }>(
    base.db,
    sql`insert into user_identities (tenant_id, provider, external_id, user_id)
        values (${tenantId}::uuid, ${provider}, ${externalId}, ${user.id}::uuid)
        on conflict do nothing returning user_id`,
  );
  if (inserted.length > 0) {
    await recordAudit(systemContext(base, tenantScope(base.db, tenantId)), {
      action: "identity.mapped",
      target: { type: "user", id: user.id },
      details: { provider, externalId, by: "email" },
    });
  }
  const ctx = await actAsIdentity(base, { provider, externalId }, requestId);
  return ctx && ctx.tenant.tenantId === tenantId ? { ok: true, ctx } : { ok: false, reason: "not_mapped", externalId };
}
