// The HubSpot CRM connector: companies' write-back properties, the explicit-id search, reads.
export {
  createHubspotClient,
  defaultHubspotTimeoutMs,
  type HubspotClientConfig,
  hubspotBatchSize,
  hubspotSearchResultCap,
  hubspotValue,
} from "./client";
export { hubspotRetryAfterMs, toHubspotError } from "./errors";
