// The Salesforce org's Accounts and the rules it applies to an update: field types and lengths, read-only and unique
// fields, rows that no longer exist, and the SaveResult each record gets.
import type { SalesforceField } from "./fields.js";
import { salesforceAccountFields, salesforceFieldName, salesforceReadOnlyFields } from "./fields.js";
import { salesforceId } from "./salesforceIds.js";
import type { CrmSeedRecord } from "./seed.js";

export type AccountRow = Record<string, string | number | null>;

/** Salesforce's answer to one record of a collection (its SaveResult; `id` only when it was saved). */
export interface SaveResult {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
}

/** An error refusing the whole request, as the REST API answers them: `[{ message, errorCode, fields? }]`. */
export class RequestRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** Salesforce's datetime format in answers: 2026-11-25T10:00:00.000+0000. */
export const sfTime = (at: Date) => at.toISOString().replace("Z", "+0000");

export function seedAccounts(seed: CrmSeedRecord[], pod = "5g0"): Map<string, AccountRow> {
  const rows = new Map<string, AccountRow>();
  for (const [i, record] of seed.entries()) {
    const id = salesforceId("001", pod, 4_200_000 + i * 13);
    const at = sfTime(record.createdAt);
    const row: AccountRow = {
      Id: id,
      Name: record.name,
      Website: record.domain ? `https://www.${record.domain}` : null,
    };
    for (const name of Object.keys(salesforceAccountFields)) if (!(name in row)) row[name] = null;
    Object.assign(row, {
      CreatedDate: at,
      LastModifiedDate: at,
      SystemModstamp: at,
      QuickBooks_Customer_Id__c: record.explicitId,
    });
    rows.set(id, row);
  }
  return rows;
}

type Coerced = { ok: true; value: string | number | null } | { ok: false; statusCode: string; message: string };

/** Converts one written value to the field's type. Throws RequestRefused for what JSON deserialization refuses. */
function coerce(name: string, field: SalesforceField, value: unknown): Coerced {
  if (value === null) return { ok: true, value: null };
  const label = name.replace(/__c$/, "").replace(/_/g, " ");
  switch (field.type) {
    case "id":
      return { ok: true, value: String(value) };
    case "string":
    case "url": {
      if (typeof value === "object") throw jsonError(name, "String", value);
      const text = String(value);
      if (text.length > field.length) {
        return {
          ok: false,
          statusCode: "STRING_TOO_LONG",
          message: `${label}: data value too large: ${text} (max length=${field.length})`,
        };
      }
      return { ok: true, value: text === "" ? null : text };
    }
    case "double": {
      const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
      if (!Number.isFinite(number) || typeof value === "boolean") throw jsonError(name, "double", value);
      const rounded = Number(number.toFixed(field.scale));
      if (Math.abs(rounded) >= 10 ** (field.precision - field.scale)) {
        return {
          ok: false,
          statusCode: "NUMBER_OUTSIDE_VALID_RANGE",
          message: `${label}: value outside of valid range on numeric field: ${number}`,
        };
      }
      return { ok: true, value: rounded };
    }
    case "datetime": {
      const at = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : null;
      if (!at || Number.isNaN(at.getTime())) throw jsonError(name, "datetime", value);
      return { ok: true, value: sfTime(at) };
    }
  }
}

function jsonError(name: string, type: string, value: unknown): RequestRefused {
  return new RequestRefused(
    400,
    "JSON_PARSER_ERROR",
    `Cannot deserialize instance of ${type} from VALUE_STRING value ${JSON.stringify(value)} or request may be missing a required field at [line:1, column:1] (field ${name})`,
  );
}

export interface UpdateRecord {
  id: string | null;
  fields: Record<string, unknown>;
}

export interface PlannedUpdate {
  result: SaveResult;
  /** The row's new values, when it can be saved. */
  changes: Record<string, string | number | null> | null;
}

/**
 * Checks one record of an update against the org (throws RequestRefused for what refuses the whole request);
 * `deleted` holds ids of rows in the recycle bin.
 */
export function planUpdate(
  rows: ReadonlyMap<string, AccountRow>,
  deleted: ReadonlySet<string>,
  record: UpdateRecord,
  canonical: (id: string) => string | null,
): PlannedUpdate {
  const fail = (statusCode: string, message: string, fields: string[] = []): PlannedUpdate => ({
    result: { success: false, errors: [{ statusCode, message, fields }] },
    changes: null,
  });
  const changes: Record<string, string | number | null> = {};
  for (const [name, value] of Object.entries(record.fields)) {
    const canonicalName = salesforceFieldName(name);
    if (!canonicalName || canonicalName === "Id") {
      throw new RequestRefused(400, "INVALID_FIELD", `No such column '${name}' on sobject of type Account`);
    }
    const coerced = coerce(canonicalName, salesforceAccountFields[canonicalName]!, value);
    if (salesforceReadOnlyFields.has(canonicalName)) {
      return fail(
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        `Unable to create/update fields: ${canonicalName}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [canonicalName],
      );
    }
    if (!coerced.ok) return fail(coerced.statusCode, coerced.message, [canonicalName]);
    changes[canonicalName] = coerced.value;
  }
  const id = record.id === null ? null : canonical(record.id);
  if (id === null) return fail("MALFORMED_ID", `malformed id ${record.id ?? ""}`);
  if (deleted.has(id)) return fail("ENTITY_IS_DELETED", "entity is deleted");
  if (!rows.has(id)) return fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
  for (const [name, value] of Object.entries(changes)) {
    const field = salesforceAccountFields[name]!;
    if (!("unique" in field) || !field.unique || value === null) continue;
    const holder = [...rows.values()].find(
      (row) => row.Id !== id && String(row[name] ?? "").toLowerCase() === String(value).toLowerCase(),
    );
    if (holder) {
      return fail("DUPLICATE_VALUE", `duplicate value found: ${name} duplicates value on record with id: ${holder.Id}`);
    }
  }
  return { result: { id, success: true, errors: [] }, changes };
}
