// The whole schema, one aggregate per file.
export * from "./access";
export * from "./accounts";
export * from "./audit";
export * from "./discrepancies";
export * from "./fxRates";
export * from "./invoices";
export * from "./payments";
export * from "./rateCards";
export * from "./reconciliation";
export * from "./sync";
export * from "./tenants";
export * from "./usage";
export * from "./webhooks";
