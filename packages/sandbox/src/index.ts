// @reckon/sandbox: local fakes of Stripe, QuickBooks Online, Amplitude, Slack, HubSpot and Salesforce, a seeded tenant
// generator, fixture folders.

export type { CrmApiRequest, CrmFaults, CrmRecordWrite, CrmWriteRecords, CrmWriteRequest } from "./crm/control.js";
export { hubspotCompanyProperties, salesforceAccountFields } from "./crm/fields.js";
export type { CrmSeedRecord } from "./crm/seed.js";
export {
  type CrmSandboxOptions,
  type CrmSeededRecord,
  type RunningHubspotSandbox,
  type RunningSalesforceSandbox,
  startHubspotSandbox,
  startSalesforceSandbox,
} from "./crm/start.js";
export { FixtureError, loadFixture, writeFixture } from "./fixture.js";
export { type GenerateOptions, generateScenario } from "./generate/index.js";
export { type RunningSandbox, type SandboxOptions, startSandbox } from "./sandbox.js";
export * from "./scenario.js";
export type { QuickbooksChangeResult, SandboxChanges, StripeChange } from "./servers/changes.js";
export type { SandboxFaults, SandboxRequest, SandboxSource } from "./servers/faults.js";
export {
  chargeHistory,
  createWebhookSender,
  defaultRetryDelaysMs,
  type QuickbooksEntityChange,
  quickbooksNotification,
  stripeEvent,
  type WebhookDelivery,
  type WebhookSender,
  type WebhookSenderOptions,
} from "./servers/webhooks.js";
export {
  createSlackDriver,
  type SlackDelivery,
  type SlackDeliveryOptions,
  type SlackDriver,
  type SlackDriverOptions,
  signSlackRequest,
} from "./slack/driver.js";
export type { SlackApiRequest, SlackFaults } from "./slack/faults.js";
export type { ResponseUrlContext } from "./slack/interactions.js";
export { mrkdwnToHtml } from "./slack/mrkdwn.js";
export type {
  SlackMessage,
  SlackMessageVersion,
  SlackPostedVia,
  SlackRecordedView,
  SlackRecords,
  SlackResponsePost,
  SlackView,
} from "./slack/records.js";
export { type RenderOptions, renderBlocksHtml, renderMessageHtml, slackBlocksCss } from "./slack/render.js";
export { type RunningSlackSandbox, type SlackSandboxOptions, startSlackSandbox } from "./slack/start.js";
export type {
  SlackBotIdentity,
  SlackChannel,
  SlackChannelSeed,
  SlackTeam,
  SlackUser,
  SlackUserSeed,
  SlackWorkspace,
  SlackWorkspaceSeed,
} from "./slack/workspace.js";
