// A tenant's CRM connector, built from its crm_connections row: credentials unsealed here only, every request admitted
// by the shared limiter under the CRM's published limits.
import { createHubspotClient, createSalesforceClient } from "@reckon/connectors";
import { type CrmProvider, queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../context";
import { requestGate } from "../limits/limiter";
import type { CrmClient } from "./runCrmWriteback";
import { crmFieldNames } from "./writeBack";

const hubspotSecrets = z.object({ accessToken: z.string().min(1) });
const salesforceSecrets = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

export async function openCrmClient(ctx: TenantContext, provider: CrmProvider): Promise<CrmClient | null> {
  const [row] = await queryRows<{ settings: Record<string, string>; sealed_secrets: string | null }>(
    ctx.tenant.db,
    sql`select settings, sealed_secrets from crm_connections
        where tenant_id = ${ctx.tenant.tenantId}::uuid and provider = ${provider}`,
  );
  if (!row?.sealed_secrets) return null;
  const secrets: unknown = ctx.secrets.open(row.sealed_secrets);
  const gate = ctx.limiter ? requestGate(ctx.limiter, { tenantId: ctx.tenant.tenantId, source: provider }) : undefined;
  if (provider === "hubspot") {
    const { accessToken } = hubspotSecrets.parse(secrets);
    return createHubspotClient({
      accessToken,
      ...(row.settings.baseUrl ? { baseUrl: row.settings.baseUrl } : {}),
      ...(gate ? { gate } : {}),
      explicitIdProperty: crmFieldNames.quickbooksCustomerId.hubspot,
    });
  }
  const { clientId, clientSecret } = salesforceSecrets.parse(secrets);
  // connectCrm refuses write-back credentials without the org's My Domain URL, so it is here.
  return createSalesforceClient({
    loginUrl: row.settings.loginUrl!,
    clientId,
    clientSecret,
    ...(row.settings.apiVersion ? { apiVersion: row.settings.apiVersion } : {}),
    ...(gate ? { gate } : {}),
    explicitIdField: crmFieldNames.quickbooksCustomerId.salesforce,
  });
}
