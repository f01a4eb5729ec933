// The CRM fields the sandbox defines: the standard ones Reckon reads and the write-back fields of
// apps/crm-extension/CARD_API.md ("Write-back fields"). A field not listed here does not exist: writes naming it are
// refused as the real CRMs refuse them.

export type HubspotPropertyType = "string" | "number" | "datetime";

/** HubSpot company properties: name → type. Values travel as strings (or null) whatever the type. */
export const hubspotCompanyProperties: Readonly<Record<string, HubspotPropertyType>> = {
  // Standard company properties (a real portal has ~200; these are the ones Reckon reads or the API always sends).
  name: "string",
  domain: "string",
  website: "string",
  createdate: "datetime",
  hs_lastmodifieddate: "datetime",
  hs_object_id: "number",
  // The explicit link and the write-back fields (CARD_API.md).
  quickbooks_customer_id: "string",
  reckon_billing_status: "string",
  reckon_overdue_amount: "number",
  reckon_overdue_currency: "string",
  reckon_open_flags: "number",
  reckon_last_reconciled: "datetime",
  reckon_forecast_quarter_end: "number",
  reckon_forecast_currency: "string",
  reckon_url: "string",
};

/** HubSpot sets these itself: a write naming one is refused (READ_ONLY_VALUE). */
export const hubspotReadOnlyProperties = new Set(["createdate", "hs_lastmodifieddate", "hs_object_id"]);

/** What a GET without `properties` answers (HubSpot's default set for companies). */
export const hubspotDefaultProperties = ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"];
/** Sent back whatever `properties` asked for. */
export const hubspotAlwaysProperties = ["createdate", "hs_lastmodifieddate", "hs_object_id"];

export type SalesforceField =
  | { type: "id" }
  | { type: "string"; length: number; unique?: boolean }
  | { type: "url"; length: number }
  | { type: "double"; precision: number; scale: number }
  | { type: "datetime" };

/** Salesforce Account fields (API names, as describe answers them): name → type. */
export const salesforceAccountFields: Readonly<Record<string, SalesforceField>> = {
  Id: { type: "id" },
  Name: { type: "string", length: 255 },
  Website: { type: "url", length: 255 },
  CreatedDate: { type: "datetime" },
  LastModifiedDate: { type: "datetime" },
  SystemModstamp: { type: "datetime" },
  QuickBooks_Customer_Id__c: { type: "string", length: 64, unique: true },
  Reckon_Billing_Status__c: { type: "string", length: 40 },
  Reckon_Overdue_Amount__c: { type: "double", precision: 16, scale: 2 },
  Reckon_Overdue_Currency__c: { type: "string", length: 3 },
  Reckon_Open_Flags__c: { type: "double", precision: 6, scale: 0 },
  Reckon_Last_Reconciled__c: { type: "datetime" },
  Reckon_Forecast_Quarter_End__c: { type: "double", precision: 16, scale: 2 },
  Reckon_Forecast_Currency__c: { type: "string", length: 3 },
  Reckon_Url__c: { type: "url", length: 255 },
};

/** Salesforce maintains these: an update naming one is refused (INVALID_FIELD_FOR_INSERT_UPDATE). */
export const salesforceReadOnlyFields = new Set(["CreatedDate", "LastModifiedDate", "SystemModstamp"]);

/** Finds a Salesforce field by name, case-insensitively as SOQL and the REST API do; answers its canonical name. */
export function salesforceFieldName(name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(salesforceAccountFields).find((field) => field.toLowerCase() === lower);
}
