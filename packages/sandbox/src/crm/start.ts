// The HubSpot and Salesforce fakes on ephemeral ports, seeded from a scenario, with their write records and faults.
import type { Scenario } from "../scenario.js";
import { listen } from "../servers/listen.js";
import { type CrmFaults, type CrmWriteRecords, createCrmControl } from "./control.js";
import { type HubspotState, hubspotApp } from "./hubspot.js";
import { seedCompanies } from "./hubspotStore.js";
import { type SalesforceState, salesforceApp } from "./salesforce.js";
import { salesforceId } from "./salesforceIds.js";
import { type AccountRow, seedAccounts } from "./salesforceStore.js";
import { type CrmSeedRecord, crmSeed } from "./seed.js";

export interface CrmSandboxOptions {
  host?: string;
  /** The clock record timestamps (updatedAt, LastModifiedDate) follow; the real clock by default. */
  now?: () => Date;
  hubspot?: {
    /** Requests per rolling 10 s per token (default 190, HubSpot Pro/Enterprise). */
    tenSecondlyLimit?: number;
    /** Search requests per second per token (default 4). */
    searchPerSecond?: number;
    /** How far a search can page (default 10,000 results, as HubSpot). */
    searchResultCap?: number;
  };
  salesforce?: {
    /** Records per query page at most (default 2,000 as Salesforce; smaller so tests page). */
    queryBatchSize?: number;
    /** API calls the org may make per 24 h (default 100,000). */
    dailyLimit?: number;
  };
}

/** A seeded record with the id the CRM gave it. */
export type CrmSeededRecord = CrmSeedRecord & { recordId: string };

interface RunningCrm {
  /** Every record as seeded, with its id: which QuickBooks customer it copies, whether its explicit id is set. */
  seeded: CrmSeededRecord[];
  writes: CrmWriteRecords;
  faults: CrmFaults;
  stop(): Promise<void>;
}

export interface RunningHubspotSandbox extends RunningCrm {
  /** For `new Client({ accessToken, basePath })` of @hubspot/api-client. */
  baseUrl: string;
  /** A private-app access token the portal accepts. */
  accessToken: string;
  portalId: number;
  /** A company's properties now (null when there is none). */
  company(id: string): Record<string, string | null> | null;
  /** Deletes a company (as a user archiving it): writes to it then fail. */
  deleteCompany(id: string): void;
}

export interface RunningSalesforceSandbox extends RunningCrm {
  /** jsforce's `loginUrl` (the org's My Domain URL, where the token endpoint is). */
  loginUrl: string;
  /** What the token answer names as `instance_url`: the same server. */
  instanceUrl: string;
  /** The connected app's consumer key and secret (client credentials flow enabled). */
  clientId: string;
  clientSecret: string;
  /** A refresh token the token endpoint accepts (refresh_token grant). */
  refreshToken: string;
  orgId: string;
  userId: string;
  /** The REST API version the connectors are tested at ("62.0"); any vNN.N path is served. */
  apiVersion: string;
  /** An Account's fields now (null when there is none). */
  account(id: string): AccountRow | null;
  /** Moves an Account to the recycle bin: updates then answer ENTITY_IS_DELETED. */
  deleteAccount(id: string): void;
  /** API calls counted today, and the org's allowance (Sforce-Limit-Info). */
  readonly usage: { used: number; max: number };
}

const origin = (host: string, port: number) => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

export async function startHubspotSandbox(
  scenario: Scenario,
  options: CrmSandboxOptions = {},
): Promise<RunningHubspotSandbox> {
  const host = options.host ?? "127.0.0.1";
  const accessToken = "pat-na1-5a4d1b2c-sandbox-0000-0000-reckon00000";
  const control = createCrmControl();
  const seed = crmSeed(scenario, "hubspot");
  const companies = seedCompanies(seed);
  const state: HubspotState = {
    companies: new Map(companies.map((company) => [company.id, company])),
    tokens: new Set([accessToken]),
    expired: new Set(),
    control,
    options: {
      tenSecondlyLimit: options.hubspot?.tenSecondlyLimit ?? 190,
      searchPerSecond: options.hubspot?.searchPerSecond ?? 4,
      searchResultCap: options.hubspot?.searchResultCap ?? 10_000,
    },
    now: options.now ?? (() => new Date()),
  };
  control.onExpireTokens(() => {
    for (const token of state.tokens) if (!control.revoked) state.expired.add(token);
    state.tokens.clear();
  });
  control.onReset(() => {
    state.expired.clear();
    state.tokens.add(accessToken);
  });
  const server = await listen(hubspotApp(state), host);
  return {
    baseUrl: origin(host, server.port),
    accessToken,
    portalId: 24_681_357,
    seeded: seed.map((record, i) => ({ ...record, recordId: companies[i]!.id })),
    writes: control.writes,
    faults: control.faults,
    company: (id) => {
      const company = state.companies.get(id);
      return company ? { ...company.properties } : null;
    },
    deleteCompany: (id) => {
      state.companies.delete(id);
    },
    stop: () => server.close(),
  };
}

export async function startSalesforceSandbox(
  scenario: Scenario,
  options: CrmSandboxOptions = {},
): Promise<RunningSalesforceSandbox> {
  const host = options.host ?? "127.0.0.1";
  const control = createCrmControl();
  const seed = crmSeed(scenario, "salesforce");
  const rows = seedAccounts(seed);
  const refreshToken = "5Aep861sandboxRefreshToken0000000000000000000000000000000000000000000000000000";
  let serverOrigin = "";
  const state: SalesforceState = {
    rows,
    deleted: new Set(),
    client: {
      id: "3MVG9sandbox.Reckon.ConnectedApp.ConsumerKey0000000000000000000000000000000000000",
      secret: "SANDBOXCONSUMERSECRET0000000000000000000000000000000000000000000",
    },
    orgId: salesforceId("00D", "5g0", 91),
    userId: salesforceId("005", "5g0", 17),
    origin: () => serverOrigin,
    tokens: new Set(),
    refreshTokens: new Set([refreshToken]),
    usage: { used: 0, max: options.salesforce?.dailyLimit ?? 100_000 },
    queryBatchSize: options.salesforce?.queryBatchSize ?? 2000,
    control,
    now: options.now ?? (() => new Date()),
  };
  control.onExpireTokens(() => state.tokens.clear());
  control.onReset(() => {
    state.usage.used = 0;
  });
  const server = await listen(salesforceApp(state), host);
  serverOrigin = origin(host, server.port);
  const ids = [...rows.keys()];
  return {
    loginUrl: serverOrigin,
    instanceUrl: serverOrigin,
    clientId: state.client.id,
    clientSecret: state.client.secret,
    refreshToken,
    orgId: state.orgId,
    userId: state.userId,
    apiVersion: "62.0",
    seeded: seed.map((record, i) => ({ ...record, recordId: ids[i]! })),
    writes: control.writes,
    faults: control.faults,
    account: (id) => {
      const row = state.rows.get(id);
      return row ? { ...row } : null;
    },
    deleteAccount: (id) => {
      if (state.rows.delete(id)) state.deleted.add(id);
    },
    get usage() {
      return { ...state.usage };
    },
    stop: () => server.close(),
  };
}
