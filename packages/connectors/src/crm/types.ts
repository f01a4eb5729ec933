// The interface Reckon's CRM write-back and link sweep use, implemented for HubSpot and Salesforce.

export type CrmProvider = "hubspot" | "salesforce";

/** A CRM field value as Reckon writes it: text, a number in major units, a flag, or null to clear the field. */
export type CrmFieldValue = string | number | boolean | null;

/** The fields to set on one record, by the CRM's own names (HubSpot property / Salesforce field API name). */
export interface CrmRecordUpdate {
  recordId: string;
  fields: Record<string, CrmFieldValue>;
}

/** How one record fared. `error.code` is the CRM's own (OBJECT_NOT_FOUND, ENTITY_IS_DELETED, STRING_TOO_LONG, ...). */
export interface CrmUpdateResult {
  recordId: string;
  ok: boolean;
  error?: { code: string; message: string };
}

/** What the link sweep and the card's suggestions read of a record. */
export interface CrmRecordSummary {
  recordId: string;
  name: string | null;
  /** The website's domain, lower case, without "www." ("acme.io"). */
  domain: string | null;
  /** The explicit-id field (the account's QuickBooks customer id), trimmed; null when empty. */
  explicitId: string | null;
}

/**
 * One tenant's connection to one CRM. Every request goes through the configured RequestGate; none is retried here
 * (the job layer retries, honouring `retryAfterMs`). Whole-request failures throw a SourceError (a CrmCallError):
 * `rate_limited` with `retryAfterMs`, `unauthorized` (credentials refused: reconnect), `transient`, `invalid`.
 */
export interface CrmClient {
  readonly provider: CrmProvider;
  /**
   * Writes the fields, batched (HubSpot batch update ≤100 a request; Salesforce sObject Collections ≤200,
   * allOrNone false). Answers one result per update, in order; records the CRM refuses are answered `ok: false`, not
   * thrown. Updates naming the same record are merged (later fields win) and share one result.
   */
  updateRecords(updates: CrmRecordUpdate[]): Promise<CrmUpdateResult[]>;
  /** Pages of the records whose explicit-id field is set (HubSpot search HAS_PROPERTY; Salesforce SOQL, queryMore). */
  listLinkedRecords(): AsyncIterable<CrmRecordSummary[]>;
  /** One record, or null when the CRM has none by that id (deleted or never existed). */
  getRecord(recordId: string): Promise<CrmRecordSummary | null>;
}
