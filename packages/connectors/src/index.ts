// @reckon/connectors: the Stripe, QuickBooks and Amplitude sources behind the interfaces in source.ts, the Slack poster,
// and the HubSpot and Salesforce CRM clients behind crm/types.ts.
export { type AmplitudeSourceConfig, createAmplitudeSource } from "./amplitude";
export { defaultAmplitudeTimeoutMs } from "./amplitude/export";
export * from "./crm";
export { currencyExponent, decimalToMinor } from "./decimal";
export { parseRetryAfter } from "./errors";
export { openGate, type RequestGate } from "./gate";
export * from "./hubspot";
export {
  createQuickBooksSource,
  type QuickBooksSourceConfig,
  type QuickBooksTokens,
  type StoredQuickBooksTokens,
  type TokenLock,
} from "./quickbooks";
export { defaultQuickbooksTimeoutMs } from "./quickbooks/client";
export * from "./records";
export * from "./salesforce";
export * from "./slack";
export * from "./source";
export { createStripeSource, defaultStripeTimeoutMs, type StripeSourceConfig } from "./stripe";
export { createStripePaymentRetrier, type PaymentRetrier, type RetryOutcome } from "./stripe/retry";
export {
  checkStripeWebhook,
  type StripeWebhookCheck,
  signStripeWebhook,
  stripeWebhookToleranceSeconds,
} from "./stripe/webhook";
