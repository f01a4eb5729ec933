// Payment retries: an account manager asks, finance approves in Slack or the API, Stripe is charged exactly once.
export * from "./attachPaymentRetryMessage";
export * from "./decidePaymentRetry";
export * from "./listPaymentRetries";
export * from "./paymentRetry";
export { type PaymentRetryJobResult, PaymentRetryPending, runPaymentRetryJob } from "./paymentRetryJob";
export * from "./requestPaymentRetry";
export * from "./runPaymentRetry";
