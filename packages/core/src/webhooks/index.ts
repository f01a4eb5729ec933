// Webhooks from the sources: verify, record (deduplicated by event id), apply through the job system.
export * from "./applyQuickbooksEvents";
export * from "./applyStripeEvent";
export { intuitSignature, intuitSignatureValid } from "./intuitSignature";
export { quickbooksChanges, quickbooksClassicPayload, quickbooksCloudEvents, stripeEventEnvelope } from "./payloads";
export * from "./receiveQuickbooksWebhook";
export * from "./receiveStripeWebhook";
export type { WebhookReceipt } from "./recordWebhookEvents";
