// The HubSpot portal's companies and the rules HubSpot applies to them: property values as strings, datetimes
// normalized, unknown and read-only properties refused, search filters.
import type {
  BatchResponseSimplePublicObject,
  BatchResponseSimplePublicObjectWithErrors,
  CollectionResponseWithTotalSimplePublicObjectForwardPaging,
  ModelError,
  SimplePublicObject,
  StandardError,
} from "@hubspot/api-client/lib/codegen/crm/companies/index.js";
import { hubspotAlwaysProperties, hubspotCompanyProperties, hubspotReadOnlyProperties } from "./fields.js";
import type { CrmSeedRecord } from "./seed.js";

/** An SDK model as it travels in JSON: dates are ISO strings (so tsc checks our answers against @hubspot/api-client). */
export type Wire<T> = T extends Date
  ? string
  : T extends Array<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Wire<T[K]> }
      : T;

export type WireCompany = Wire<SimplePublicObject>;
export type WireBatchResponse = Wire<BatchResponseSimplePublicObject>;
export type WireBatchResponseWithErrors = Wire<BatchResponseSimplePublicObjectWithErrors>;
export type WireSearchResponse = Wire<CollectionResponseWithTotalSimplePublicObjectForwardPaging>;
export type WireStandardError = Wire<StandardError>;
/** HubSpot's error body (the SDK's `Error` model), plus the fields its rate limiter adds. */
export type WireError = Wire<ModelError> & {
  status: "error";
  policyName?: string;
  errorType?: string;
  requestId?: string;
};

export interface HubspotCompany {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
}

/** One refused property value, as HubSpot lists them inside a VALIDATION_ERROR message. */
export interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
}

export function seedCompanies(seed: CrmSeedRecord[], firstId = 18_420_000_001): HubspotCompany[] {
  return seed.map((record, i) => {
    const id = String(firstId + i * 7);
    const at = record.createdAt.toISOString();
    return {
      id,
      properties: {
        name: record.name,
        domain: record.domain,
        website: record.domain ? `https://www.${record.domain}` : null,
        createdate: at,
        hs_lastmodifieddate: at,
        hs_object_id: id,
        quickbooks_customer_id: record.explicitId,
      },
      createdAt: record.createdAt,
      updatedAt: record.createdAt,
    };
  });
}

/** The company as the API answers it, with the properties asked for (and the ones HubSpot always sends). */
export function companyView(company: HubspotCompany, properties: readonly string[]): WireCompany {
  const names = new Set([...properties, ...hubspotAlwaysProperties]);
  const shown: Record<string, string | null> = {};
  for (const name of names) {
    if (!(name in hubspotCompanyProperties)) continue; // HubSpot ignores unknown properties in reads
    shown[name] = company.properties[name] ?? null;
  }
  return {
    id: company.id,
    properties: shown,
    createdAt: company.createdAt.toISOString(),
    updatedAt: company.updatedAt.toISOString(),
    archived: false,
  };
}

function problem(name: string, error: string, message: string): PropertyProblem {
  return { isValid: false, message, error, name, localizedErrorMessage: message };
}

/**
 * A written value as HubSpot stores it, or the problem with it. Values may come as strings, numbers or booleans;
 * datetimes as ms since the epoch or ISO 8601, stored as ISO; "" clears a property.
 */
export function normalizeValue(name: string, value: unknown): { ok: true; value: string } | PropertyProblem {
  const type = hubspotCompanyProperties[name];
  if (!type) return problem(name, "PROPERTY_DOESNT_EXIST", `Property "${name}" does not exist`);
  if (hubspotReadOnlyProperties.has(name)) {
    return problem(name, "READ_ONLY_VALUE", `"${name}" is a read only property; its value cannot be set.`);
  }
  if (value === null || value === undefined || value === "") return { ok: true, value: "" };
  if (typeof value === "object")
    return problem(name, "INVALID_OPTION", `${JSON.stringify(value)} is not a valid value`);
  const text = String(value).trim();
  if (type === "number") {
    if (!/^-?\d+(\.\d+)?$/.test(text)) return problem(name, "INVALID_DECIMAL", `${text} was not a valid number.`);
    return { ok: true, value: text };
  }
  if (type === "datetime") {
    const at = /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
    if (Number.isNaN(at.getTime()) || !/^\d+$|^\d{4}-\d{2}-\d{2}/.test(text)) {
      return problem(name, "INVALID_DATETIME", `${text} is not a valid datetime: use ms since the epoch or ISO 8601.`);
    }
    return { ok: true, value: at.toISOString() };
  }
  return { ok: true, value: String(value) };
}

export interface SearchFilter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
  values?: unknown;
}

/** Whether a company passes one filter; throws a message for a filter HubSpot would refuse. */
export function passes(company: HubspotCompany, filter: SearchFilter): boolean {
  const name = typeof filter.propertyName === "string" ? filter.propertyName : "";
  if (!(name in hubspotCompanyProperties)) throw new Error(`Property "${name}" does not exist`);
  const stored = company.properties[name];
  const present = stored !== null && stored !== undefined && stored !== "";
  const wanted = filter.value === undefined ? undefined : String(filter.value);
  const list = Array.isArray(filter.values) ? filter.values.map(String) : [];
  switch (filter.operator) {
    case "HAS_PROPERTY":
      return present;
    case "NOT_HAS_PROPERTY":
      return !present;
    case "EQ":
      return present && stored.toLowerCase() === (wanted ?? "").toLowerCase();
    case "NEQ":
      return !present || stored.toLowerCase() !== (wanted ?? "").toLowerCase();
    case "IN":
      return present && list.some((v) => v.toLowerCase() === stored.toLowerCase());
    case "GT":
    case "GTE":
    case "LT":
    case "LTE": {
      if (!present || wanted === undefined) return false;
      const numeric = hubspotCompanyProperties[name] === "number";
      const order = numeric ? Number(stored) - Number(wanted) : stored.localeCompare(wanted);
      return { GT: order > 0, GTE: order >= 0, LT: order < 0, LTE: order <= 0 }[filter.operator];
    }
    default:
      throw new Error(`operator ${String(filter.operator)} is not supported by the sandbox`);
  }
}
