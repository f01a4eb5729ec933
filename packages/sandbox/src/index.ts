// @reckon/sandbox: local fakes of Stripe, QuickBooks Online and Amplitude, a seeded tenant generator, fixture folders.

export { FixtureError, loadFixture, writeFixture } from "./fixture.js";
export { type GenerateOptions, generateScenario } from "./generate/index.js";
export { type RunningSandbox, type SandboxOptions, startSandbox } from "./sandbox.js";
export * from "./scenario.js";
export type { QuickbooksChangeResult, SandboxChanges, StripeChange } from "./servers/changes.js";
export type { SandboxFaults, SandboxRequest, SandboxSource } from "./servers/faults.js";
export {
  createWebhookSender,
  defaultRetryDelaysMs,
  type WebhookDelivery,
  type WebhookSender,
  type WebhookSenderOptions,
} from "./servers/webhooks.js";
