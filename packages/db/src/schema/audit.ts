// The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), one row per sign-in, export, action,
// approval, settings change and token use.
import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant } from "../columns";
import { tenants } from "./tenants";

export const actorKinds = ["user", "system"] as const;

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    // No cascade: deleting a tenant must not erase its history (the trigger would refuse it anyway).
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    actorKind: text("actor_kind", { enum: actorKinds }).notNull(),
    /** The acting user; kept as a plain id so the row outlives the user. */
    actorUserId: uuid("actor_user_id"),
    /** session | token | slack | hubspot | salesforce | job */
    via: text("via").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    requestId: text("request_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    at: instant("at").notNull().defaultNow(),
  },
  (t) => [
    // /v1/audit pages newest first within a tenant, optionally by action or actor.
    index("audit_log_tenant_idx").on(t.tenantId, t.id),
    index("audit_log_action_idx").on(t.tenantId, t.action, t.id),
    index("audit_log_actor_idx").on(t.tenantId, t.actorUserId, t.id),
  ],
);
