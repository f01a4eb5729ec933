// @reckon/reconcile: pure reconciliation of usage, invoices and payments; no I/O.

export * from "./account";
export * from "./calendar";
export * from "./decimal";
export * from "./invoiceStatus";
export * from "./money";
export * from "./payments";
export * from "./quantity";
export * from "./records";
export * from "./rollup";
export * from "./usage";
export * from "./forecast";
export * from "./rating";
