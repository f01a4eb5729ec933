// The whole schema, one aggregate per file.
export * from "./access";
export * from "./accounts";
export * from "./audit";
export * from "./crm";
export * from "./discrepancies";
export * from "./flags";
export * from "./fxRates";
export * from "./invoices";
export * from "./paymentRetries";
export * from "./payments";
export * from "./rateCards";
export * from "./reconciliation";
export * from "./slack";
export * from "./sync";
export * from "./tenants";
export * from "./usage";
export * from "./webhooks";
