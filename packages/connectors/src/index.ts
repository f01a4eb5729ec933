// @reckon/connectors: the Stripe, QuickBooks and Amplitude sources behind the interfaces in source.ts.
export { type AmplitudeSourceConfig, createAmplitudeSource } from "./amplitude";
export { currencyExponent, decimalToMinor } from "./decimal";
export { parseRetryAfter } from "./errors";
export { openGate, type RequestGate } from "./gate";
export { createQuickBooksSource, type QuickBooksSourceConfig, type QuickBooksTokens } from "./quickbooks";
export * from "./records";
export * from "./source";
export { createStripeSource, type StripeSourceConfig } from "./stripe";
export {
  checkStripeWebhook,
  type StripeWebhookCheck,
  signStripeWebhook,
  stripeWebhookToleranceSeconds,
} from "./stripe/webhook";
