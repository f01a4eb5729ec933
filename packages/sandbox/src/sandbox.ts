// startSandbox: the provider fakes on ephemeral ports, serving one live scenario, with fault switches.

import { randomBytes } from "node:crypto";
import {
  type CrmSandboxOptions,
  type RunningHubspotSandbox,
  type RunningSalesforceSandbox,
  startHubspotSandbox,
  startSalesforceSandbox,
} from "./crm/start.js";
import type { Scenario } from "./scenario.js";
import { amplitudeApp } from "./servers/amplitude.js";
import { type SandboxChanges, sandboxChanges } from "./servers/changes.js";
import { createFaults, type SandboxFaults } from "./servers/faults.js";
import { type Listening, listen } from "./servers/listen.js";
import { quickbooksApp, quickbooksTokenPath } from "./servers/quickbooks.js";
import { stripeApp } from "./servers/stripe.js";
import { createWebhookSender, type WebhookSender, type WebhookSenderOptions } from "./servers/webhooks.js";
import { type RunningSlackSandbox, type SlackSandboxOptions, startSlackSandbox } from "./slack/start.js";

export interface SandboxOptions {
  /** Interface to bind, 127.0.0.1 unless said otherwise. */
  host?: string;
  /** The sandbox's "now" for rules relative to the present (QuickBooks CDC's 30-day window); the real clock by default. */
  now?: () => Date;
  /** Webhook signing secrets and retry delays; generated secrets and the default (compressed) delays otherwise. */
  webhooks?: Partial<WebhookSenderOptions>;
  /** The Slack workspace: its people default to the scenario's account managers, its channels to #general and
   * #finance. Host and clock are the sandbox's. */
  slack?: Omit<SlackSandboxOptions, "host" | "now">;
  /** The CRM fakes' limits and page sizes (HubSpot's ten-second window, Salesforce's query batch size). */
  crm?: Omit<CrmSandboxOptions, "host" | "now">;
}

export interface RunningSandbox {
  /** For `new Stripe(apiKey, { host, port, protocol })`. */
  stripe: { host: string; port: number; protocol: "http"; apiKey: string; webhookSecret: string };
  quickbooks: {
    /** Ends with /v3/company/ (node-quickbooks' V3_ENDPOINT_BASE_URL). */
    baseUrl: string;
    tokenUrl: string;
    clientId: string;
    clientSecret: string;
    realmId: string;
    /** Valid until first used: refresh tokens rotate. */
    refreshToken: string;
    /** An access token valid from the start (until faults.expireQuickbooksAccessTokens()). */
    accessToken: string;
  };
  amplitude: { baseUrl: string; apiKey: string; secretKey: string };
  /** The Slack Web API and response URLs, with its own records and fault switches (`slack.faults`). */
  slack: RunningSlackSandbox;
  /** HubSpot companies (read, search, batch update), seeded from the scenario, with `writes` and `faults`. */
  hubspot: RunningHubspotSandbox;
  /** Salesforce Accounts (OAuth, SOQL, sObject Collections), seeded from the scenario, with `writes` and `faults`. */
  salesforce: RunningSalesforceSandbox;
  faults: SandboxFaults;
  /** Sends signed webhooks to the URLs `webhooks.configure` was given, retrying like Stripe and Intuit. */
  webhooks: WebhookSender;
  /** Change the data (a charge, a refund, a QuickBooks payment) and send the webhooks that follow. */
  changes: SandboxChanges;
  /** Live: objects pushed into it are served from the next request on. */
  scenario: Scenario;
  stop(): Promise<void>;
}

export async function startSandbox(scenario: Scenario, options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? "127.0.0.1";
  const faults = createFaults();
  const stripeKey =
    "sk_test_51SandboxReckon0000000000000000000000000000000000000000000000000000000000000000000000000000";
  const qbo = {
    clientId: "ABsandboxClientId0000000000000000000000000000000",
    clientSecret: "sandboxClientSecret000000000000000000000",
    refreshToken: "AB11sandboxInitialRefreshToken0000000000000000",
    accessToken: "eyJsandbox.initial-access-token",
  };
  const amplitudeKeys = { apiKey: "sandbox-amplitude-api-key-0000000", secretKey: "sandbox-amplitude-secret-key-000" };
  const webhooks = createWebhookSender({
    stripeSigningSecret: `whsec_sandbox${randomBytes(16).toString("hex")}`,
    intuitVerifierToken: randomBytes(18).toString("base64url"),
    ...options.webhooks,
  });
  const servers: Listening[] = [];
  let slack: RunningSlackSandbox | null = null;
  let hubspot: RunningHubspotSandbox | null = null;
  let salesforce: RunningSalesforceSandbox | null = null;
  try {
    servers.push(await listen(stripeApp(scenario, stripeKey, faults), host));
    servers.push(await listen(quickbooksApp(scenario, qbo, faults, { now: options.now ?? (() => new Date()) }), host));
    servers.push(await listen(amplitudeApp(scenario, amplitudeKeys, faults), host));
    const owners = scenario.tenant.owners.map((owner) => ({ email: owner.email, realName: owner.name }));
    slack = await startSlackSandbox({
      ...(owners.length > 0 ? { users: owners } : {}),
      ...options.slack,
      host,
      ...(options.now ? { now: options.now } : {}),
    });
    const crm: CrmSandboxOptions = { ...options.crm, host, ...(options.now ? { now: options.now } : {}) };
    hubspot = await startHubspotSandbox(scenario, crm);
    salesforce = await startSalesforceSandbox(scenario, crm);
  } catch (error) {
    await Promise.all([
      ...servers.map((server) => server.close()),
      ...[slack, hubspot, salesforce].map((running) => running?.stop()),
    ]);
    throw error;
  }
  const [stripe, quickbooks, amplitude] = servers as [Listening, Listening, Listening];
  const origin = (server: Listening) => `http://${host.includes(":") ? `[${host}]` : host}:${server.port}`;
  return {
    stripe: {
      host,
      port: stripe.port,
      protocol: "http",
      apiKey: stripeKey,
      webhookSecret: webhooks.stripeSigningSecret,
    },
    quickbooks: {
      baseUrl: `${origin(quickbooks)}/v3/company/`,
      tokenUrl: `${origin(quickbooks)}${quickbooksTokenPath}`,
      clientId: qbo.clientId,
      clientSecret: qbo.clientSecret,
      realmId: scenario.quickbooks.realmId,
      refreshToken: qbo.refreshToken,
      accessToken: qbo.accessToken,
    },
    amplitude: { baseUrl: origin(amplitude), ...amplitudeKeys },
    slack,
    hubspot,
    salesforce,
    faults,
    webhooks,
    changes: sandboxChanges(scenario, webhooks),
    scenario,
    stop: async () => {
      webhooks.close();
      await Promise.all([...servers.map((server) => server.close()), slack.stop(), hubspot.stop(), salesforce.stop()]);
    },
  };
}
