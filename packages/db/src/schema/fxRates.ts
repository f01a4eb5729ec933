// Dated FX rates a tenant sets: portfolio totals convert to its base currency with the latest rate on or before a day.
import { date, numeric, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { currency, instant, tenantId } from "../columns";

export const fxRates = pgTable(
  "fx_rates",
  {
    tenantId: tenantId(),
    fromCurrency: currency("from_currency").notNull(),
    toCurrency: currency("to_currency").notNull(),
    effectiveOn: date("effective_on", { mode: "string" }).notNull(),
    /** Units of to_currency for one unit of from_currency, exact. */
    rate: numeric("rate", { precision: 20, scale: 10 }).notNull(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "fx_rates_pkey", columns: [t.tenantId, t.fromCurrency, t.toCurrency, t.effectiveOn] })],
);
