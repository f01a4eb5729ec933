// The Salesforce CRM connector: Accounts' write-back fields, the explicit-id query, reads.
export {
  createSalesforceClient,
  defaultSalesforceApiVersion,
  defaultSalesforceTimeoutMs,
  type SalesforceClientConfig,
  salesforceBatchSize,
} from "./client";
export { salesforceConcurrencyBackoffMs, salesforceDailyLimitBackoffMs, toSalesforceError } from "./errors";
