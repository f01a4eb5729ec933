// The tenant's Stripe connection as a PaymentRetrier: the same credentials, request gate and timeout the sync uses.
import { createStripePaymentRetrier, type PaymentRetrier } from "@reckon/connectors";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { TenantContext } from "../context";
import { requestGate } from "../limits/limiter";
import { connectionSchemas } from "../sync/connections";

/** Null when Stripe is not connected. */
export async function stripeRetrierFor(ctx: TenantContext): Promise<PaymentRetrier | null> {
  const [row] = await queryRows<{ settings: Record<string, string>; sealed_secrets: string }>(
    ctx.tenant.db,
    sql`select settings, sealed_secrets from source_connections
        where tenant_id = ${ctx.tenant.tenantId}::uuid and source = 'stripe'`,
  );
  if (!row) return null;
  const settings = connectionSchemas.stripe.settings.parse(row.settings);
  const secrets = connectionSchemas.stripe.secrets.parse(ctx.secrets.open<unknown>(row.sealed_secrets));
  const gate = ctx.limiter
    ? { gate: requestGate(ctx.limiter, { tenantId: ctx.tenant.tenantId, source: "stripe" }) }
    : {};
  const timeoutMs = ctx.sourceTimeoutsMs?.stripe;
  return createStripePaymentRetrier({
    apiKey: secrets.apiKey,
    ...settings,
    ...gate,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
