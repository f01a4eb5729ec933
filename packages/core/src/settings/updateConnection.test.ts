// Source connections on a real (PGlite) database: credentials sealed, never listed, never audited.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AccessDenied } from "../access/actor";
import { stripeWebhookSecret } from "../sync/connections";
import { listConnections } from "./listConnections";
import { type SettingsWorld, settingsWorld } from "./testTenant";
import { updateConnection } from "./updateConnection";

let world: SettingsWorld;
beforeAll(async () => {
  world = await settingsWorld();
});
afterAll(() => world.database.close());

describe("connections", () => {
  const secret = "sk_test_never_shown_4242";

  it("stores settings in the clear and credentials sealed, and lists no credential", async () => {
    const ctx = world.as("admin");
    const saved = await updateConnection({
      ctx,
      input: { source: "stripe", settings: { host: "127.0.0.1", port: "12111" }, secrets: { apiKey: secret } },
    });
    expect(saved).toEqual({
      source: "stripe",
      status: "connected",
      settings: { host: "127.0.0.1", port: "12111" },
      updatedAt: expect.any(String),
    });
    const listed = await listConnections({ ctx });
    expect(listed.map((c) => [c.source, c.status])).toEqual([
      ["amplitude", "not_connected"],
      ["quickbooks", "not_connected"],
      ["stripe", "connected"],
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const [row] = await queryRows<{ sealed_secrets: string }>(
      world.database.db,
      sql`select sealed_secrets from source_connections where tenant_id = ${world.tenant.tenantId}::uuid`,
    );
    expect(row?.sealed_secrets).not.toContain(secret);
    expect(ctx.secrets.open(row!.sealed_secrets)).toEqual({ apiKey: secret });
    const audit = (await world.auditRows()).at(-1);
    expect(audit).toEqual({
      action: "connection.updated",
      target_id: "stripe",
      details: { source: "stripe", settings: ["host", "port"] },
    });
    expect(JSON.stringify(await world.auditRows())).not.toContain(secret);
    // Another tenant sees its own (empty) connections.
    const theirs = await listConnections({ ctx: world.as("admin", world.other) });
    expect(theirs.every((c) => c.status === "not_connected")).toBe(true);
  });

  it("validates settings and secrets against the source's own schema", async () => {
    const ctx = world.as("admin");
    const error = await updateConnection({
      ctx,
      input: { source: "quickbooks", settings: { baseUrl: "not a url" }, secrets: {} },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    const paths = (error as ZodError).issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["settings.baseUrl", "settings.realmId", "secrets.clientId"]));
    await expect(
      updateConnection({
        ctx: world.as("finance"),
        input: { source: "stripe", settings: {}, secrets: { apiKey: "x" } },
      }),
    ).rejects.toBeInstanceOf(AccessDenied);
    expect((await listConnections({ ctx })).find((c) => c.source === "quickbooks")?.status).toBe("not_connected");
  });

  it("keeps Stripe's webhook signing secret when an update leaves it out, replaces it when given, removes it on null", async () => {
    const ctx = world.as("admin", world.other);
    const stripe = (secrets: Record<string, unknown>) =>
      updateConnection({ ctx, input: { source: "stripe", settings: {}, secrets } });
    await stripe({ apiKey: "sk_test_first", webhookSecret: "whsec_first" });
    expect(await stripeWebhookSecret(ctx)).toBe("whsec_first");
    // A new API key alone: webhooks stay on with the stored secret.
    await stripe({ apiKey: "sk_test_rotated" });
    const sealed = async () => {
      const [row] = await queryRows<{ sealed_secrets: string }>(
        world.database.db,
        sql`select sealed_secrets from source_connections where tenant_id = ${world.other.tenantId}::uuid
              and source = 'stripe'`,
      );
      return ctx.secrets.open(row!.sealed_secrets);
    };
    expect(await sealed()).toEqual({ apiKey: "sk_test_rotated", webhookSecret: "whsec_first" });
    await stripe({ apiKey: "sk_test_rotated", webhookSecret: "whsec_second" });
    expect(await stripeWebhookSecret(ctx)).toBe("whsec_second");
    await stripe({ apiKey: "sk_test_rotated", webhookSecret: null });
    expect(await sealed()).toEqual({ apiKey: "sk_test_rotated" });
    expect(await stripeWebhookSecret(ctx)).toBeNull();
    // Still refused as before: an empty secret is not a removal.
    await expect(stripe({ apiKey: "sk_test_rotated", webhookSecret: "" })).rejects.toBeInstanceOf(ZodError);
    // Nothing stored to keep: the first connection without a secret has none.
    await updateConnection({
      ctx: world.as("admin"),
      input: { source: "stripe", settings: {}, secrets: { apiKey: "sk_test_other" } },
    });
    expect(await stripeWebhookSecret(world.as("admin"))).toBeNull();
  });
});
