// The CRM connectors' shared interface, errors and limits.
export { CrmCallError } from "./errors";
export { type CrmRequestLimit, crmRequestLimits, hubspotSearchIntervalMs } from "./limits";
export type {
  CrmClient,
  CrmFieldValue,
  CrmProvider,
  CrmRecordSummary,
  CrmRecordUpdate,
  CrmUpdateResult,
} from "./types";
