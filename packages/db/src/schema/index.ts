// The whole schema, one aggregate per file.
export * from "./accounts";
export * from "./invoices";
export * from "./payments";
export * from "./reconciliation";
export * from "./sync";
export * from "./tenants";
export * from "./usage";
