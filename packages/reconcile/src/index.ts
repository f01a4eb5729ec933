// @reckon/reconcile: pure reconciliation of usage, invoices and payments; no I/O.

export * from "./account";
export * from "./calendar";
export * from "./decimal";
export * from "./discrepancies";
export * from "./forecast";
export * from "./invoiceStatus";
export * from "./metrics";
export * from "./money";
export * from "./payments";
export * from "./quantity";
export * from "./rating";
export * from "./records";
export * from "./rollup";
export * from "./usage";
