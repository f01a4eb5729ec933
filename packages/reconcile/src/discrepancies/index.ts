// Discrepancies: the model, the checks that find each kind, and the account-less findings (README.md: the contract).

export * from "./accountless";
export * from "./expectedCharges";
export * from "./model";
export * from "./paymentChecks";
export * from "./rateCards";
export * from "./sourceIds";
export * from "./usageChecks";
export { metricDecimalsOf } from "./usageExtras";
