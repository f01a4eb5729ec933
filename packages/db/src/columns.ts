// Column helpers every table shares: the tenant key, money, quantities and UTC timestamps.
import { bigint, char, numeric, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./schema/tenants";

/** Every row belongs to one tenant; queries are scoped by it (see scope.ts). */
export const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

/** Money: integer minor units. Pair it with currency(). */
export const minor = (name: string) => bigint(name, { mode: "bigint" });
/** ISO 4217 code, upper-case. */
export const currency = (name = "currency") => char(name, { length: 3 });
/** A usage quantity: exact decimal, read back as a string. */
export const quantity = (name: string) => numeric(name, { precision: 24, scale: 6 });
/** A UTC instant. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const timestamps = {
  createdAt: instant("created_at").notNull().defaultNow(),
  updatedAt: instant("updated_at").notNull().defaultNow(),
};
